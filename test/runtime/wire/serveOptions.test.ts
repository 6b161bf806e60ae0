/**
 * The peer options as a user meets them: `serve` will not start without a cluster secret unless
 * told --insecure-peers (one line, exit 2), bad secrets and peer addresses are refused the same
 * way, and `raftsim cluster --peer-base-port` runs a cluster whose peers use their own ports with
 * a generated owner-only secret, while the client ports refuse peer traffic.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame, PEER_MAGIC } from '../../../src/runtime/framing.js';
import { cliEntry, freePortRange, http, PortTakenError, retryWhilePortTaken, saysPortTaken, scaled, waitFor } from '../helpers.js';
import { RawPeer, refusals } from './rawPeer.js';

const TEST_MS = scaled(120_000);
const dirs: string[] = [];
let child: ChildProcess | null = null;

afterEach(async () => {
  if (child !== null && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
  child = null;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'raftsim-wire-'));
  dirs.push(dir);
  return dir;
}

/** `raftsim serve …` with exactly `env` for the secret (never the test's own environment's). */
function serve(args: readonly string[], secretEnv?: string): { code: number | null; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.RAFTSIM_CLUSTER_SECRET;
  if (secretEnv !== undefined) env.RAFTSIM_CLUSTER_SECRET = secretEnv;
  const run = spawnSync(process.execPath, [cliEntry(), 'serve', '--id', 'n1', '--data', join(tempDir(), 'n1'), ...args],
    { encoding: 'utf8', env, timeout: scaled(30_000) });
  return { code: run.status, stderr: run.stderr };
}

describe('serve refuses to run peers it cannot authenticate', () => {
  const listen = ['--listen', '127.0.0.1:7001', '--peers', 'n2=127.0.0.1:7002'];

  it('without a secret: exit 2 and one line naming the ways to give one', () => {
    const run = serve(listen);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/--cluster-secret-file.*RAFTSIM_CLUSTER_SECRET.*--insecure-peers/);
  }, TEST_MS);

  it.each([
    ['a secret file others can read', () => {
      const file = join(tempDir(), 'secret');
      writeFileSync(file, 'x'.repeat(40), { mode: 0o644 });
      return { args: ['--cluster-secret-file', file] };
    }, /readable by others/],
    ['a missing secret file', () => ({ args: ['--cluster-secret-file', '/nonexistent/secret'] }), /cannot read cluster secret file/],
    ['a secret too short', () => ({ args: [], env: 'short' }), /16 to 4096 characters/],
    ['a secret and --insecure-peers', () => ({ args: ['--insecure-peers'], env: 'x'.repeat(40) }), /contradict/],
    ['a peer with three addresses', () => ({ args: ['--peers', 'n2=127.0.0.1:7002/127.0.0.1:8002/127.0.0.1:9002'], env: 'x'.repeat(40) }), /at most one "\/"/],
    ['a peer port that is another node\'s address', () => ({ args: ['--peers', 'n2=127.0.0.1:7002/127.0.0.1:7001'], env: 'x'.repeat(40) }), /share the address/],
    ['--peer-listen on the client address of another node', () => ({ args: ['--peer-listen', '127.0.0.1:7002'], env: 'x'.repeat(40) }), /share the address/],
    ['more entries per append than a peer accepts', () => ({ args: ['--max-entries-per-append', '5000'], env: 'x'.repeat(40) }), /--max-entries-per-append: must be ≤ 4096 /],
  ] as const)('%s: exit 2 with one line', (_, setup, says) => {
    const { args, env } = setup() as { args: string[]; env?: string };
    const run = serve(args.includes('--peers') ? ['--listen', '127.0.0.1:7001', ...args] : [...listen, ...args], env);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(says);
  }, TEST_MS);
});

describe('raftsim cluster --peer-base-port', () => {
  it('commits over separate peer ports with a 0600 secret; client ports refuse peer traffic, peer ports refuse HTTP', async () => {
    const { base, dataDir } = await retryWhilePortTaken(async () => {
      const base = await freePortRange(6);
      const dataDir = tempDir();
      const started = spawn(process.execPath, [cliEntry(), 'cluster', '--nodes', '3', '--base-port', String(base), '--peer-base-port', String(base + 3), '--data', dataDir],
        { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
      child = started;
      let out = '';
      started.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      started.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      const seen = await waitFor('the cluster to report a leader (or a port in use)', () => out, (o) => saysPortTaken(o) || / leader term \d+/.test(o));
      if (saysPortTaken(seen)) throw new PortTakenError(seen);
      expect(seen).toContain(`peers on 127.0.0.1:${base + 3}`);
      return { base, dataDir };
    });
    expect(statSync(join(dataDir, 'cluster-secret')).mode & 0o777).toBe(0o600);
    const put = await waitFor('a write through n1 to commit', () => http('PUT', `http://127.0.0.1:${base}/kv/sep`, { body: 'arate', follow: true }), (r) => r.status === 200);
    expect(put.status).toBe(200);
    // A leader change between the two calls answers 503 no-leader (not applied): wait it out.
    const read = await waitFor('a read through n2', () => http('GET', `http://127.0.0.1:${base + 1}/kv/sep`, { follow: true }), (r) => r.status === 200);
    expect(read.text).toContain('arate');

    const peerOnClientPort = await RawPeer.connect(base);
    peerOnClientPort.write(Buffer.concat([PEER_MAGIC, encodeFrame({ hello: 2, to: 1, nonce: '0'.repeat(32) })]));
    await peerOnClientPort.waitClosed('the peer magic to the client port');
    expect(peerOnClientPort.frames).toEqual([]);
    expect(await refusals(base, 'client-port')).toBe(1);

    const httpOnPeerPort = await RawPeer.connect(base + 3);
    httpOnPeerPort.write(Buffer.from('GET /status HTTP/1.1\r\nHost: x\r\n\r\n'));
    await httpOnPeerPort.waitClosed('HTTP to the peer port');
    expect(httpOnPeerPort.frames).toEqual([]);
  }, TEST_MS);
});
