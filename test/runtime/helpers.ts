/**
 * Process helpers for the runtime tests: the built CLI, free loopback ports, serve processes that
 * are always killed (afterEach/afterAll call killAll), bounded waits, and small HTTP calls.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { cliEntry } from '../support/cli.js';

export { cliEntry, raftsimAsync, raftsimSync } from '../support/cli.js';

/** `count` distinct ports free right now on 127.0.0.1. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  })));
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** A base port whose next `count` ports are all free right now (the jepsen command's own finder). */
export { freePortRange } from '../../src/jepsen/ports.js';

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
}

export interface HttpAnswer {
  status: number;
  json: Record<string, unknown>;
  headers: Headers;
  text: string;
}

export async function http(method: string, url: string, options: { body?: string; headers?: Record<string, string>; follow?: boolean; timeoutMs?: number } = {}): Promise<HttpAnswer> {
  const res = await fetch(url, {
    method, redirect: options.follow === true ? 'follow' : 'manual', signal: AbortSignal.timeout(options.timeoutMs ?? 8_000),
    ...(options.headers ? { headers: options.headers } : {}), ...(options.body === undefined ? {} : { body: options.body }),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON (metrics); callers that expect JSON check json fields
  }
  return { status: res.status, json, headers: res.headers, text };
}

export interface NodeStatus {
  id: string; role: string; term: number; leader: string | null; commitIndex: number; lastApplied: number;
  log: { first: number; last: number }; snapshotIndex: number;
}

/** A set of `raftsim serve` processes on free loopback ports with temp data dirs. */
export class TestCluster {
  readonly dataRoot = mkdtempSync(join(tmpdir(), 'raftsim-rt-'));
  readonly children = new Map<string, ChildProcess>();
  readonly logs = new Map<string, string>();

  private constructor(readonly ports: number[], readonly extraArgs: string[]) {}

  static async create(nodes: number, extraArgs: string[] = []): Promise<TestCluster> {
    return new TestCluster(await freePorts(nodes), extraArgs);
  }

  get names(): string[] {
    return this.ports.map((_, i) => `n${i + 1}`);
  }

  address(name: string): string {
    return `127.0.0.1:${this.ports[Number(name.slice(1)) - 1]}`;
  }

  url(name: string, path: string): string {
    return `http://${this.address(name)}${path}`;
  }

  get addresses(): string {
    return this.names.map((n) => this.address(n)).join(',');
  }

  /** Starts `serve` for one node and waits until it listens. */
  async start(name: string): Promise<void> {
    const peers = this.names.filter((n) => n !== name).map((n) => `${n}=${this.address(n)}`).join(',');
    const child = spawn(process.execPath, [cliEntry(), 'serve', '--id', name, '--data', join(this.dataRoot, name),
      '--listen', this.address(name), '--peers', peers, ...this.extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.set(name, child);
    let log = '';
    const listening = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start in 10 s: ${log}`)), 10_000);
      const onData = (d: Buffer): void => {
        log += d.toString();
        this.logs.set(name, log.slice(-4000));
        if (log.includes('listening on')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited with ${code} before listening: ${log}`));
      });
    });
    await listening;
  }

  async startAll(): Promise<void> {
    await Promise.all(this.names.map((n) => this.start(n)));
  }

  /** Sends `signal` and waits for the process to exit. */
  async kill(name: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    const child = this.children.get(name);
    if (child === undefined) return null;
    this.children.delete(name);
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(signal);
    return exited;
  }

  async killAll(): Promise<void> {
    await Promise.all([...this.children.keys()].map((n) => this.kill(n, 'SIGKILL')));
  }

  async destroy(): Promise<void> {
    await this.killAll();
    rmSync(this.dataRoot, { recursive: true, force: true });
  }

  async status(name: string): Promise<NodeStatus> {
    return (await http('GET', this.url(name, '/status'), { timeoutMs: 2_000 })).json as unknown as NodeStatus;
  }

  /** Every running node's status and log tail, for a failure message. */
  async describe(): Promise<string> {
    const lines: string[] = [];
    for (const name of this.children.keys()) {
      const status = await http('GET', this.url(name, '/status'), { timeoutMs: 2_000 }).then((r) => r.text, (e: Error) => e.message);
      lines.push(`${name}: ${status.trim()}`, `${name} log: ${(this.logs.get(name) ?? '').slice(-800)}`);
    }
    return lines.join('\n');
  }

  /** The leader all running nodes agree on (same term), once there is one. */
  async waitForLeader(timeoutMs = 10_000, among = [...this.children.keys()]): Promise<string> {
    return waitFor('a leader all running nodes agree on', async () => {
      const statuses = await Promise.all(among.map((n) => this.status(n)));
      const leaders = statuses.filter((s) => s.role === 'leader');
      if (leaders.length !== 1) return undefined;
      const leader = leaders[0]!;
      return statuses.every((s) => s.leader === leader.id && s.term === leader.term) ? leader.id : undefined;
    }, timeoutMs);
  }
}
