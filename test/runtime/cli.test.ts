/**
 * The serve, client and cluster commands as a user runs them: bad usage exits 2 with one line,
 * the client's exit codes, and a `raftsim cluster` whose nodes stop with it (also when it is
 * SIGKILLed: the nodes watch their stdin pipe).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cliEntry, freePortRange, freePorts, http, PortTakenError, raftsimAsync, raftsimSync, retryWhilePortTaken, saysPortTaken, scaled, waitFor,
} from './helpers.js';

const TEST_MS = scaled(90_000);

describe('bad usage exits 2 with one line', () => {
  it.each([
    [['serve', '--id', 'x1', '--data', '/tmp/x', '--listen', '127.0.0.1:7001']],
    [['serve', '--id', 'n1', '--data', '/tmp/x', '--listen', '10.0.0.1:7001']],
    [['serve', '--id', 'n1', '--data', '/tmp/x', '--listen', '127.0.0.1:7001', '--peers', 'n2=127.0.0.1:7001']],
    [['serve', '--id', 'n1', '--data', '/tmp/x']],
    [['serve', '--id', 'n1', '--data', '/tmp/x', '--listen', '127.0.0.1:7001', '--heartbeat-ticks', '40']],
    [['serve', '--id', 'n1', '--data', '/tmp/x', '--config', '/nonexistent/cluster.json']],
    [['client', 'put', 'k']],
    [['client', 'frob', 'k']],
    [['client', 'get', 'k', '--cluster', 'nowhere']],
    [['cluster', '--nodes', '0']],
  ])('%j', (args) => {
    const run = raftsimSync(args, 30_000);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  }, TEST_MS);
});

describe('serve refuses a bad byte limit, naming it', () => {
  const serve = ['serve', '--id', 'n1', '--data', '/tmp/raftsim-never-created', '--listen', '127.0.0.1:7001', '--insecure-peers'];
  it.each([
    [['--max-bytes-per-append', '0'], '--max-bytes-per-append: must be ≥ 1, got 0'],
    [['--max-bytes-per-append', '999999999'], '--max-bytes-per-append: must be ≤ 16777216 (what a peer accepts in one message), got 999999999'],
    [['--max-inflight-bytes', '-1'], '--max-inflight-bytes: must be ≥ 1, got -1'],
    [['--max-uncommitted-bytes', '1.5'], '--max-uncommitted-bytes: not an integer: 1.5'],
    [['--tick-ms', 'fast'], '--tick-ms: not an integer: fast'],
  ])('%j', (flag, message) => {
    const run = raftsimSync([...serve, ...flag], 30_000);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(`raftsim: ${message}`);
  }, TEST_MS);
});

describe('raftsim client', () => {
  it('exits 1 when no server could take the operation', async () => {
    const [port] = await freePorts(1);
    const run = raftsimSync(['client', 'put', 'k', 'v', '--cluster', `127.0.0.1:${port}`, '--timeout-ms', '500']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('not applied');
  }, TEST_MS);
});

let cluster: ChildProcess | null = null;
let dataDir: string | null = null;

afterEach(async () => {
  if (cluster !== null) await stopNow(cluster);
  cluster = null;
  if (dataDir !== null) rmSync(dataDir, { recursive: true, force: true });
  dataDir = null;
});

/** SIGKILLs `child` (if it still runs) and waits until it has exited. */
async function stopNow(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** `raftsim cluster --nodes 3` on fresh ports (again on others if one was taken), once all 3 nodes answer and a leader is reported. */
async function startCluster(): Promise<{ child: ChildProcess; base: number; output: () => string }> {
  return retryWhilePortTaken(async () => {
    const base = await freePortRange(3);
    dataDir ??= mkdtempSync(join(tmpdir(), 'raftsim-cl-'));
    const child = spawn(process.execPath, [cliEntry(), 'cluster', '--nodes', '3', '--base-port', String(base), '--data', join(dataDir, String(base))],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    cluster = child;
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const seen = await waitFor('raftsim cluster to report a leader with all 3 nodes answering (or a port in use)',
      async () => ({ out, answering: await nodesAnswering(base) }),
      (s) => saysPortTaken(s.out) || (/ leader term \d+/.test(s.out) && s.answering === 3));
    if (saysPortTaken(seen.out)) {
      await stopNow(child);
      throw new PortTakenError(seen.out);
    }
    return { child, base, output: () => out };
  });
}

/** How many of the 3 nodes answer /status as themselves. */
async function nodesAnswering(basePort: number): Promise<number> {
  const answers = await Promise.all([0, 1, 2].map((i) =>
    http('GET', `http://127.0.0.1:${basePort + i}/status`, { timeoutMs: 2_000 }).then((r) => (r.status === 200 && r.json.id === `n${i + 1}` ? 1 : 0), () => 0)));
  return answers.reduce<number>((a, b) => a + b, 0);
}

describe('raftsim cluster', () => {
  it('starts 3 nodes, prints addresses and role changes, serves clients, and stops them all on SIGTERM', async () => {
    const { child, base, output } = await startCluster();
    expect(output()).toContain(`n1  http://127.0.0.1:${base}`);
    expect(output()).toContain('curl');
    expect(output()).toMatch(/ leader term \d+/);
    const addrs = [0, 1, 2].map((i) => `127.0.0.1:${base + i}`).join(',');
    const put = await raftsimAsync(['client', 'put', 'k', 'v', '--cluster', addrs, '--json']);
    expect(put.code).toBe(0);
    expect(JSON.parse(put.stdout)).toMatchObject({ kind: 'ok', op: 'put', key: 'k' });
    const cas = await raftsimAsync(['client', 'cas', 'k', 'nope', 'w', '--cluster', addrs]);
    expect(cas.code).toBe(0);
    expect(cas.stdout).toContain('not applied');
    const get = await raftsimAsync(['client', 'get', 'k', '--cluster', addrs]);
    expect(get.stdout).toBe('v\n');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await nodesAnswering(base)).toBe(0);
  }, TEST_MS);

  it('its nodes stop by themselves when it is SIGKILLed', async () => {
    const { child, base } = await startCluster();
    expect(await nodesAnswering(base)).toBe(3);
    child.kill('SIGKILL');
    await waitFor('every node to stop answering', () => nodesAnswering(base), (answering) => answering === 0);
  }, TEST_MS);
});
