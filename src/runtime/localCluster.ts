/**
 * A local cluster of `raftsim serve` child processes on loopback, for `raftsim cluster`. Each
 * child runs with --stop-with-parent and a pipe on its stdin: if this process dies in any way
 * (even SIGKILL) the pipe closes and the children stop themselves, so they never outlive it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { formatAddress, type Address } from './addresses.js';
import { nodeName } from './nodeNames.js';

export interface LocalClusterOptions {
  /** The node script and the arguments that select the serve command: [main.js, 'serve']. */
  readonly serveCommand: readonly string[];
  readonly nodes: number;
  /**
   * More nodes after those, started outside the configuration (serve --voters names the first
   * `nodes`), for membership changes (raftsim member add-learner). Default 0.
   */
  readonly spares?: number;
  readonly basePort: number;
  readonly dataDir: string;
  /** The cluster secret file every node is given (--cluster-secret-file). */
  readonly secretFile: string;
  /** When set, node k takes peers on 127.0.0.1:(peerBasePort + k - 1) (--peer-listen). */
  readonly peerBasePort?: number;
  /** More flags for every node (e.g. --test-admin). */
  readonly extraArgs?: readonly string[];
  /** A line a node wrote on stderr. */
  readonly onStderr: (node: string, line: string) => void;
  readonly onExit: (node: string, code: number | null, signal: NodeJS.Signals | null) => void;
}

export interface LocalNode {
  readonly name: string;
  readonly address: Address;
  /** Where it takes peer connections: its address unless the cluster has a peer base port. */
  readonly peerAddress: Address;
  readonly dataDir: string;
  /** Started outside the bootstrap configuration (LocalClusterOptions.spares). */
  readonly spare: boolean;
  child: ChildProcess | null;
}

export class LocalCluster {
  readonly nodes: LocalNode[];

  constructor(private readonly options: LocalClusterOptions) {
    this.nodes = Array.from({ length: options.nodes + (options.spares ?? 0) }, (_, i) => ({
      name: nodeName(i + 1),
      address: { host: '127.0.0.1', port: options.basePort + i },
      peerAddress: { host: '127.0.0.1', port: (options.peerBasePort ?? options.basePort) + i },
      dataDir: join(options.dataDir, nodeName(i + 1)),
      spare: i >= options.nodes,
      child: null,
    }));
  }

  start(): void {
    for (const node of this.nodes) this.startNode(node);
  }

  /** SIGTERM to every child, SIGKILL to those still running after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    const running = this.nodes.map((n) => n.child).filter((c): c is ChildProcess => c !== null && c.exitCode === null && c.signalCode === null);
    const exited = running.map((child) => new Promise<void>((resolve) => child.once('exit', () => resolve())));
    for (const child of running) child.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }, graceMs);
    await Promise.all(exited);
    clearTimeout(timer);
  }

  /**
   * The serve flags of `node`, as it is started here but without --stop-with-parent: what a person
   * runs to restart it by hand, on its own (`raftsim serve …`).
   */
  serveArgs(node: LocalNode): string[] {
    const own = this.options.peerBasePort !== undefined;
    const peers = this.nodes.filter((n) => n !== node)
      .map((n) => `${n.name}=${formatAddress(n.address)}${own ? `/${formatAddress(n.peerAddress)}` : ''}`).join(',');
    return [
      '--id', node.name, '--data', node.dataDir, '--listen', formatAddress(node.address), '--peers', peers,
      '--cluster-secret-file', this.options.secretFile,
      ...(this.nodes.some((n) => n.spare) ? ['--voters', this.nodes.filter((n) => !n.spare).map((n) => n.name).join(',')] : []),
      ...(own ? ['--peer-listen', formatAddress(node.peerAddress)] : []), ...(this.options.extraArgs ?? []),
    ];
  }

  private startNode(node: LocalNode): void {
    const [script, ...selector] = this.options.serveCommand;
    const args = [script!, ...selector, ...this.serveArgs(node), '--stop-with-parent'];
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    node.child = child;
    let partial = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const line of lines) this.options.onStderr(node.name, line);
    });
    child.stdin!.on('error', () => undefined);
    child.on('exit', (code, signal) => this.options.onExit(node.name, code, signal));
  }
}
