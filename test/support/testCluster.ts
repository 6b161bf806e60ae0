/**
 * A set of `raftsim serve` processes on fresh loopback ports with temp data dirs. Starting picks
 * the ports again when one turns out taken; every wait is for a condition, bounded by one scaled
 * limit; `destroy` kills whatever still runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { parseAddress } from '../../src/runtime/addresses.js';
import { generateClusterSecret } from '../../src/runtime/clusterSecret.js';
import { HttpKvClient } from '../../src/runtime/httpKvClient.js';
import { cliEntry } from './cli.js';
import { http } from './http.js';
import { freePorts, PortTakenError, retryWhilePortTaken, saysPortTaken } from './ports.js';
import { scaled } from './timeFactor.js';
import { waitFor } from './wait.js';

export interface NodeStatus {
  id: string; role: string; term: number; leader: string | null; commitIndex: number; lastApplied: number;
  log: { first: number; last: number }; snapshotIndex: number; readMode: string; followerReads: boolean;
}

export class TestCluster {
  readonly dataRoot = mkdtempSync(join(tmpdir(), 'raftsim-rt-'));
  readonly children = new Map<string, ChildProcess>();
  readonly logs = new Map<string, string>();
  /** The cluster secret every node proves to its peers; wire tests use it to speak as a peer. */
  readonly secret = generateClusterSecret();
  readonly secretFile = join(this.dataRoot, 'cluster-secret');

  private constructor(readonly ports: readonly number[], readonly extraArgs: readonly string[]) {
    writeFileSync(this.secretFile, this.secret, { mode: 0o600 });
  }

  /** `nodes` running nodes; `pickPorts` chooses the ports of each attempt (tests of the retry pass their own). */
  static async start(nodes: number, extraArgs: readonly string[] = [], pickPorts = freePorts): Promise<TestCluster> {
    return retryWhilePortTaken(async () => {
      const cluster = new TestCluster(await pickPorts(nodes), extraArgs);
      try {
        await cluster.startAll();
        return cluster;
      } catch (error) {
        await cluster.destroy();
        throw error;
      }
    });
  }

  /** A cluster destroyed when the calling test ends, pass or fail. */
  static async forThisTest(nodes: number, extraArgs: readonly string[] = []): Promise<TestCluster> {
    const cluster = await TestCluster.start(nodes, extraArgs);
    onTestFinished(() => cluster.destroy());
    return cluster;
  }

  get names(): string[] {
    return this.ports.map((_, i) => `n${i + 1}`);
  }

  /** The nodes whose process runs. */
  get running(): string[] {
    return this.names.filter((n) => this.children.has(n));
  }

  port(name: string): number {
    return this.ports[Number(name.slice(1)) - 1]!;
  }

  address(name: string): string {
    return `127.0.0.1:${this.port(name)}`;
  }

  url(name: string, path: string): string {
    return `http://${this.address(name)}${path}`;
  }

  get addresses(): string {
    return this.names.map((n) => this.address(n)).join(',');
  }

  /** Starts `serve` for one node (again, after a kill) and waits until it listens. */
  async startNode(name: string): Promise<void> {
    const peers = this.names.filter((n) => n !== name).map((n) => `${n}=${this.address(n)}`).join(',');
    const child = spawn(process.execPath, [cliEntry(), 'serve', '--id', name, '--data', join(this.dataRoot, name),
      '--listen', this.address(name), '--peers', peers, '--cluster-secret-file', this.secretFile, ...this.extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.set(name, child);
    let log = '';
    const onData = (d: Buffer): void => {
      log += d.toString();
      this.logs.set(name, log.slice(-4000));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const seen = await waitFor(`${name} to listen on ${this.address(name)}`,
      () => ({ listening: log.includes('listening on'), exited: child.exitCode ?? child.signalCode, log }),
      (s) => s.listening || s.exited !== null);
    if (!seen.listening) {
      this.children.delete(name);
      const why = `${name} exited (${seen.exited}) before listening: ${log}`;
      throw saysPortTaken(log) ? new PortTakenError(why) : new Error(why);
    }
  }

  async startAll(): Promise<void> {
    await Promise.all(this.names.map((n) => this.startNode(n)));
  }

  /** Sends `signal`, waits for the process to exit and returns its exit code (null when a signal ended it). */
  async kill(name: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    const child = this.children.get(name);
    if (child === undefined) return null;
    this.children.delete(name);
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    // 'close' comes after 'exit' and after the last output was read into the log.
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    child.kill(signal);
    return exited;
  }

  async destroy(): Promise<void> {
    await Promise.all(this.running.map((n) => this.kill(n, 'SIGKILL')));
    rmSync(this.dataRoot, { recursive: true, force: true });
  }

  async status(name: string): Promise<NodeStatus> {
    const answer = await http('GET', this.url(name, '/status'), { timeoutMs: 5_000 });
    if (answer.status !== 200) throw new Error(`${name} /status answered ${answer.status}: ${answer.text}`);
    return answer.json as unknown as NodeStatus;
  }

  /** Waits for one leader that every node in `among` (default: the running ones) names, in one term. */
  async currentLeader(among = this.running): Promise<string> {
    const statuses = await waitFor(`one leader that ${among.join(', ')} all name, in one term`,
      () => Promise.all(among.map((n) => this.status(n))), (all) => agreedLeader(all) !== undefined)
      .catch(async (error: Error) => {
        throw new Error(`${error.message}\n${await this.describe()}`);
      });
    return agreedLeader(statuses)!;
  }

  /** A running node other than `leader`. */
  follower(leader: string): string {
    const name = this.running.find((n) => n !== leader);
    if (name === undefined) throw new Error(`no running node besides ${leader}`);
    return name;
  }

  /** An HTTP KV client that knows every node (it finds the leader itself). */
  client(): HttpKvClient {
    return new HttpKvClient({ servers: this.names.map((n) => parseAddress(this.address(n))), deadlineMs: scaled(20_000) });
  }

  /** Every running node's status and log tail, for a failure message. */
  async describe(): Promise<string> {
    const lines: string[] = [];
    for (const name of this.running) {
      const status = await http('GET', this.url(name, '/status'), { timeoutMs: 2_000 }).then((r) => r.text, (e: Error) => e.message);
      lines.push(`${name}: ${status.trim()}`, `${name} log: ${(this.logs.get(name) ?? '').slice(-800)}`);
    }
    return lines.join('\n');
  }
}

/** The one leader every status names, all in the leader's term; undefined while they disagree. */
export function agreedLeader(statuses: readonly NodeStatus[]): string | undefined {
  const leaders = statuses.filter((s) => s.role === 'leader');
  if (leaders.length !== 1) return undefined;
  const { id, term } = leaders[0]!;
  return statuses.every((s) => s.leader === id && s.term === term) ? id : undefined;
}
