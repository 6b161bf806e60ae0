/**
 * A real crash: a child process writes requests and is killed with SIGKILL at some point (in the
 * middle of a write, a segment roll, a snapshot or a deletion, wherever it happens to be). The
 * directory must then recover to the state after a prefix of whole requests that includes every
 * request the child had reported durable. (SIGKILL keeps the page cache, so this tests the
 * process dying, not the machine losing power.)
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KvCommand } from '../../../src/kv/types.js';
import { openStorage } from '../../../src/runtime/diskStorage.js';
import { scaled } from '../../support/timeFactor.js';
import { generateRequests, tempDir } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
let compiled = '';

beforeAll(() => {
  // The child runs plain JS: compile the runtime's storage (the engine on the Node env) on its own.
  const out = tempDir('raftsim-storage-compiled-');
  writeFileSync(join(out, 'package.json'), '{"type":"module"}');
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '--ignoreConfig', '--outDir', out, '--rootDir', ROOT,
    '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--skipLibCheck',
    join(ROOT, 'src/runtime/diskStorage.ts')], { encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`tsc failed: ${tsc.stdout}${tsc.stderr}`);
  compiled = pathToFileURL(join(out, 'src/runtime/diskStorage.js')).href;
}, scaled(120_000));

const CHILD = `
import { readFileSync } from 'node:fs';
const [moduleUrl, dir, requestsFile] = process.argv.slice(2);
const { openStorage } = await import(moduleUrl);
const requests = JSON.parse(readFileSync(requestsFile, 'utf8'));
const storage = await openStorage(dir, { segmentBytes: 1500, fsync: false });
let i = 0;
while (i < requests.length) {
  // Bursts of pipelined requests, so batches of several records get cut too.
  const burst = requests.slice(i, i + 1 + (i % 7));
  i += burst.length;
  await Promise.all(burst.map((r) => storage.persist(r).then(() => process.stdout.write('ack ' + r.id + '\\n'))));
}
process.stdout.write('done\\n');
setInterval(() => {}, 1000);
`;

interface KilledRun {
  /** Highest request id the child reported durable. */
  readonly acked: number;
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
  /** The child had persisted every request before the kill reached it. */
  readonly finished: boolean;
  readonly stderr: string;
}

/** Runs the child until it has acknowledged `killAfter` requests, then SIGKILLs it. */
function runAndKill(script: string, dir: string, requestsFile: string, killAfter: number): Promise<KilledRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, compiled, dir, requestsFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let acked = 0;
    let finished = false;
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('ack ')) acked = Math.max(acked, Number(line.slice(4)));
        if (line === 'done') finished = true;
        if ((acked >= killAfter || finished) && child.exitCode === null && !child.killed) child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    // 'close': every ack the child wrote before it died has been read.
    child.on('close', (code, signal) => resolve({ acked, signal, code, finished, stderr }));
  });
}

/** Where the runs kill the child: after this many acknowledged requests (of 300). */
const KILL_AFTER = [20, 55, 90, 125, 160, 195, 230, 265];

describe('SIGKILL at a random moment', () => {
  it('recovers a prefix of whole requests holding every acknowledged one', async () => {
    const work = tempDir('raftsim-storage-kill-');
    const script = join(work, 'child.mjs');
    writeFileSync(script, CHILD);
    let killedMidway = 0;
    for (const [run, killAfter] of KILL_AFTER.entries()) {
      const { requests, states } = generateRequests(100 + run, 300);
      const requestsFile = join(work, `requests-${run}.json`);
      writeFileSync(requestsFile, JSON.stringify(requests));
      const dir = join(work, `node-${run}`);
      const child = await runAndKill(script, dir, requestsFile, killAfter);
      // Only a child that got going and died of our SIGKILL says anything about recovery.
      expect(child.signal, `run ${run}: the child must die of our SIGKILL, not exit (code ${child.code}; stderr: ${child.stderr})`).toBe('SIGKILL');
      expect(child.acked, `run ${run}: acknowledged writes before the kill`).toBeGreaterThanOrEqual(killAfter);
      if (!child.finished) killedMidway++;
      const storage = await openStorage<KvCommand>(dir, { segmentBytes: 1500, fsync: false });
      const recovered = JSON.stringify(storage.recovered);
      const prefix = states.findIndex((s, i) => i >= child.acked && JSON.stringify(s) === recovered);
      expect(prefix, `run ${run}: killed after ack ${child.acked}; recovered state is not a later prefix`).toBeGreaterThanOrEqual(child.acked);
      await storage.close();
    }
    // At least some kills must land while the child is still writing, or nothing crashed mid-way.
    expect(killedMidway, 'runs killed before the child had persisted everything').toBeGreaterThan(0);
  }, scaled(120_000));
});
