/**
 * The cluster's `raftsim serve` processes, one handle per node that the nemesis can SIGKILL,
 * restart, SIGSTOP and SIGCONT. (runtime/LocalCluster starts and stops a whole cluster but cannot
 * restart one node.) Every node runs with --stop-with-parent, so a node that is running stops when
 * this process dies; a paused one cannot notice, so `killAllNow` (also run on process exit) sends
 * SIGCONT before SIGKILL. Each node's stdout and stderr go to a log file in the output folder,
 * every line prefixed with the test clock (ms since the run started, the time base of faults.json
 * and of the console), so that a log line can be placed next to the fault that caused it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { formatAddress, type Address } from '../runtime/addresses.js';
import { nodeName } from '../runtime/nodeNames.js';
import { sleep, TestClock, withTimeout } from './clock.js';
import { fetchStatus } from './nodeApi.js';

/** A node's output line longer than this is cut into pieces, each stamped (bounds the buffer). */
const MAX_LOG_LINE = 64 * 1024;

export interface NodeProcessesOptions {
  /** [main.js, 'serve']. */
  readonly serveCommand: readonly string[];
  readonly nodes: number;
  readonly basePort: number;
  readonly dataDir: string;
  readonly logDir: string;
  readonly extraArgs: readonly string[];
  /** Stamps the node log lines (default: a clock started with this object). */
  readonly clock?: TestClock;
}

export interface NodeHandle {
  readonly name: string;
  readonly address: Address;
  child: ChildProcess | null;
  paused: boolean;
  /** We killed it on purpose (SIGKILL or the final stop): its exit is expected. */
  expectExit: boolean;
}

/** A node that exited without us asking: a crash of our own server, which fails the run. */
export interface UnexpectedExit {
  readonly node: string;
  readonly code: number | null;
  readonly signal: string | null;
}

export class NodeProcesses {
  readonly nodes: NodeHandle[];
  readonly unexpectedExits: UnexpectedExit[] = [];
  private readonly onExitHook = (): void => this.killAllNow();
  private readonly clock: TestClock;

  constructor(private readonly options: NodeProcessesOptions) {
    this.nodes = Array.from({ length: options.nodes }, (_, i) => ({
      name: nodeName(i + 1), address: { host: '127.0.0.1', port: options.basePort + i }, child: null, paused: false, expectExit: false,
    }));
    this.clock = options.clock ?? new TestClock();
    mkdirSync(options.logDir, { recursive: true });
    process.on('exit', this.onExitHook);
  }

  node(name: string): NodeHandle {
    const node = this.nodes.find((n) => n.name === name);
    if (!node) throw new Error(`no node ${name}`);
    return node;
  }

  isRunning(node: NodeHandle): boolean {
    return node.child !== null && node.child.exitCode === null && node.child.signalCode === null;
  }

  startAll(): void {
    for (const node of this.nodes) this.start(node);
  }

  start(node: NodeHandle): void {
    if (this.isRunning(node)) return;
    const peers = this.nodes.filter((n) => n !== node).map((n) => `${n.name}=${formatAddress(n.address)}`).join(',');
    const [script, ...selector] = this.options.serveCommand;
    const args = [
      script!, ...selector, '--id', node.name, '--data', join(this.options.dataDir, node.name), '--listen', formatAddress(node.address),
      '--peers', peers, '--stop-with-parent', ...this.options.extraArgs,
    ];
    const log = createWriteStream(join(this.options.logDir, `${node.name}.log`), { flags: 'a' });
    log.on('error', () => undefined);
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin!.on('error', () => undefined);
    log.write(`${this.stamp()}[jepsen] started ${node.name} (pid ${child.pid ?? '?'})\n`);
    let open = 2;
    const closed = (): void => { if (--open === 0) log.end(); };
    this.stampLines(child.stdout!, log, closed);
    this.stampLines(child.stderr!, log, closed);
    node.child = child;
    node.paused = false;
    node.expectExit = false;
    child.on('exit', (code, signal) => {
      if (node.child === child && !node.expectExit) this.unexpectedExits.push({ node: node.name, code, signal });
    });
  }

  /** Waits (bounded) until `node` answers /status: a restarted node is back once it listens. */
  async waitListening(node: NodeHandle, boundMs: number): Promise<boolean> {
    const deadline = performance.now() + boundMs;
    while (performance.now() < deadline) {
      if (!this.isRunning(node)) return false;
      if (await fetchStatus(node.address, 500) !== null) return true;
      await sleep(100);
    }
    return false;
  }

  private stamp(): string {
    return `[${String(this.clock.ret()).padStart(7)} ms] `;
  }

  /** Copies `stream` to `log` line by line, each line stamped when it arrives. */
  private stampLines(stream: Readable, log: WriteStream, done: () => void): void {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      partial += chunk;
      let newline: number;
      while ((newline = partial.indexOf('\n')) >= 0 || partial.length > MAX_LOG_LINE) {
        const end = newline >= 0 && newline < MAX_LOG_LINE ? newline + 1 : MAX_LOG_LINE;
        const line = partial.slice(0, end);
        partial = partial.slice(end);
        log.write(`${this.stamp()}${line.endsWith('\n') ? line : `${line}\n`}`);
      }
    });
    stream.on('error', () => undefined);
    stream.on('close', () => {
      if (partial !== '') log.write(`${this.stamp()}${partial}\n`);
      done();
    });
  }

  /** SIGKILL, and wait (bounded) until the process is gone so that its port is free again. */
  async kill(node: NodeHandle): Promise<void> {
    const child = node.child;
    if (child === null || !this.isRunning(node)) return;
    node.expectExit = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    node.paused = false;
    await withTimeout(exited, 5_000, undefined);
  }

  pause(node: NodeHandle): void {
    if (!this.isRunning(node) || node.paused) return;
    node.child!.kill('SIGSTOP');
    node.paused = true;
  }

  resume(node: NodeHandle): void {
    if (!node.paused) return;
    if (this.isRunning(node)) node.child!.kill('SIGCONT');
    node.paused = false;
  }

  /** The end of the run: SIGCONT, then SIGTERM, then SIGKILL whatever is left after `graceMs`. */
  async stopAll(graceMs = 3_000): Promise<void> {
    const running = this.nodes.filter((n) => this.isRunning(n));
    const exited = running.map((n) => new Promise<void>((resolve) => n.child!.once('exit', () => resolve())));
    for (const node of running) {
      node.expectExit = true;
      this.resume(node);
      node.child!.kill('SIGTERM');
    }
    if (!(await withTimeout(Promise.all(exited).then(() => true), graceMs, false))) this.killAllNow();
    await withTimeout(Promise.all(exited), 5_000, []);
    process.off('exit', this.onExitHook);
  }

  /** Synchronous, for process exit: nothing we started may outlive us, paused or not. */
  killAllNow(): void {
    for (const node of this.nodes) {
      if (!this.isRunning(node)) continue;
      node.expectExit = true;
      try {
        node.child!.kill('SIGCONT');
        node.child!.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}
