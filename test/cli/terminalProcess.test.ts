/**
 * Terminal manners of the built CLI (npm run build), through a real pipe and a pseudo-terminal:
 * `raftsim … | head` ends quietly with exit 0, a closed stderr does not stop the results, and
 * NO_COLOR turns colour off on a terminal (where chalk alone would colour) in run and replay.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliEntry } from '../support/cli.js';

interface PipeResult {
  readonly code: number | null;
  /** What the early reader got before it left. */
  readonly first: string;
  /** The other stream, read to the end. */
  readonly other: string;
}

/** Env without any colour setting of the test runner's. */
function plainEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  if (!('FORCE_COLOR' in extra)) delete env.FORCE_COLOR;
  if (!('NO_COLOR' in extra)) delete env.NO_COLOR;
  return env;
}

/** Runs the CLI with `stream` piped into a reader that closes it after the first chunk, like `head -1`. */
function closeEarly(stream: 'stdout' | 'stderr', args: readonly string[], extra: Record<string, string> = {}): Promise<PipeResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliEntry(), ...args], { env: plainEnv(extra), stdio: ['ignore', 'pipe', 'pipe'] });
    const closing = child[stream];
    const other = stream === 'stdout' ? child.stderr : child.stdout;
    let first = '';
    let rest = '';
    closing.once('data', (chunk: Buffer) => {
      first = chunk.toString();
      closing.destroy();
    });
    other.on('data', (chunk: Buffer) => (rest += chunk.toString()));
    child.on('close', (code) => resolve({ code, first, other: rest }));
  });
}

let scenario = '';
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'raftsim-terminal-'));
  scenario = join(dir, 'tiny.json');
  writeFileSync(scenario, JSON.stringify({ nodes: 3, workload: { clients: 2, opsPerClient: 30 }, durationMs: 1500 }));
});

describe('a reader that leaves early (raftsim … | head)', () => {
  it.each([
    ['run', () => ['run', scenario, '--seed', '1']],
    ['replay --verbose', () => ['replay', scenario, '--seed', '1', '--verbose']],
    ['fuzz', () => ['fuzz', scenario, '--seeds', '1', '--workers', '1']],
  ])('%s exits 0 with nothing on stderr but its own lines, and no colour on the pipe', async (_name, args) => {
    const { code, first, other: stderr } = await closeEarly('stdout', args());
    expect(first.length).toBeGreaterThan(0);
    expect(first).not.toContain('\x1b[');
    expect(stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
    expect(code).toBe(0);
  });

  it('a closed stderr silences the progress lines only: fuzz still prints its summary and exits 0', async () => {
    const { code, first, other: stdout } = await closeEarly('stderr', ['fuzz', scenario, '--seeds', '1', '--workers', '1'], { RAFTSIM_GC_FLAGS: 'keep' });
    expect(first).toMatch(/^fuzz: /);
    expect(stdout).toMatch(/1 seed: 1 passed, 0 failed/);
    expect(code).toBe(0);
  });
});

describe('colour on a terminal', () => {
  it('NO_COLOR turns it off in run and replay --verbose, which colour without it', () => {
    const cli = `${JSON.stringify(process.execPath)} ${JSON.stringify(cliEntry())}`;
    const script = [
      `NO_COLOR=1 ${cli} run ${scenario} --seed 1`,
      `NO_COLOR=1 ${cli} replay ${scenario} --seed 1 --verbose --kind call,return`,
      'echo "-- colour --"',
      `${cli} replay ${scenario} --seed 1 --verbose --kind call,return`,
    ].join('; ');
    // `script` gives the commands a pseudo-terminal, as a user's shell would.
    // A person at a terminal, not a CI job: with CI set, chalk colours nothing even on a terminal.
    const env = plainEnv({ TERM: 'xterm-256color' });
    delete env.CI;
    const run = spawnSync('script', ['-qec', script, '/dev/null'], { encoding: 'utf8', env });
    expect(run.status).toBe(0);
    const [plain, coloured] = run.stdout.split('-- colour --');
    expect(plain).toMatch(/PASS \d+ operations/);
    expect(plain).toMatch(/ call +client 1 calls seq 1/);
    expect(plain).not.toContain('\x1b[');
    expect(coloured).toMatch(/call/);
    expect(coloured).toContain('\x1b[');
  });
});
