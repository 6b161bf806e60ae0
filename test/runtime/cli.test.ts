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
import { cliEntry, freePortRange, freePorts, http, raftsimAsync, raftsimSync, waitFor } from './helpers.js';

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
    const run = raftsimSync(args);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('raftsim client', () => {
  it('exits 1 when no server could take the operation', async () => {
    const [port] = await freePorts(1);
    const run = raftsimSync(['client', 'put', 'k', 'v', '--cluster', `127.0.0.1:${port}`, '--timeout-ms', '500']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('not applied');
  });
});

let cluster: ChildProcess | null = null;
let dataDir: string | null = null;

afterEach(() => {
  if (cluster !== null && cluster.exitCode === null && cluster.signalCode === null) cluster.kill('SIGKILL');
  cluster = null;
  if (dataDir !== null) rmSync(dataDir, { recursive: true, force: true });
  dataDir = null;
});

async function startCluster(basePort: number): Promise<{ child: ChildProcess; output: () => string }> {
  dataDir = mkdtempSync(join(tmpdir(), 'raftsim-cl-'));
  const child = spawn(process.execPath, [cliEntry(), 'cluster', '--nodes', '3', '--base-port', String(basePort), '--data', dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  cluster = child;
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor('a leader line from raftsim cluster', () => (/ leader term \d+/.test(out) ? true : undefined), 15_000);
  return { child, output: () => out };
}

async function nodesAnswering(basePort: number): Promise<number> {
  const answers = await Promise.all([0, 1, 2].map((i) =>
    http('GET', `http://127.0.0.1:${basePort + i}/status`, { timeoutMs: 500 }).then(() => 1, () => 0)));
  return answers.reduce<number>((a, b) => a + b, 0);
}

describe('raftsim cluster', () => {
  it('starts 3 nodes, prints addresses and role changes, serves clients, and stops them all on SIGTERM', async () => {
    const base = await freePortRange(3);
    const { child, output } = await startCluster(base);
    expect(output()).toContain(`n1  http://127.0.0.1:${base}`);
    expect(output()).toContain('curl');
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
  });

  it('its nodes stop by themselves when it is SIGKILLed', async () => {
    const base = await freePortRange(3);
    const { child } = await startCluster(base);
    expect(await nodesAnswering(base)).toBe(3);
    child.kill('SIGKILL');
    await waitFor('every node to stop', async () => ((await nodesAnswering(base)) === 0 ? true : undefined), 10_000, 100);
  });
});
