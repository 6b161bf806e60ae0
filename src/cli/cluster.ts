/**
 * `raftsim cluster --nodes 3`: a local cluster of `raftsim serve` processes on loopback. Prints each
 * node's address and a curl example, then one status line per node whenever its role, term or
 * leader changes, and for a node that dies (killed or crashed) the exact command that restarts it.
 * Ctrl-C (SIGINT) or SIGTERM stops every node; the nodes also stop by themselves if this process
 * dies (they watch their stdin pipe). On exit the temporary data directory it made is removed
 * (never a --data one; not while a node restarted by hand still runs from it).
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Chalk, type ChalkInstance } from 'chalk';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { formatAddress, httpUrl } from '../runtime/addresses.js';
import { writeClusterSecretFile } from '../runtime/clusterSecret.js';
import { LocalCluster } from '../runtime/localCluster.js';
import { describeSummary, StatusPoller, type NodeSummary } from '../runtime/statusPoller.js';
import { cliInvocation, commandLine, removeCreatedDataDir } from './clusterRestart.js';
import { ExitCode, UsageError } from './errors.js';
import { integer } from './options.js';

interface ClusterArgs {
  nodes: number;
  spares: number;
  'base-port': number;
  'peer-base-port'?: number;
  data?: string;
  'test-admin': boolean;
  color: boolean;
}

export const clusterCommand: CommandModule<object, ClusterArgs> = {
  command: 'cluster',
  describe: 'Start a local cluster of serve processes on loopback; Ctrl-C stops them all',
  builder: (yargs: Argv) => yargs
    .option('nodes', { default: 3, coerce: integer('--nodes', { min: 1, max: 9 }), describe: 'How many nodes (1 to 9)' })
    .option('spares', { default: 0, coerce: integer('--spares', { min: 0, max: 8 }), describe: 'Start this many more nodes outside the configuration, for raftsim member add-learner (nodes + spares ≤ 9)' })
    .option('base-port', { default: 7001, coerce: integer('--base-port', { min: 1, max: 65535 }), describe: 'Node k listens on 127.0.0.1:(base-port + k - 1)' })
    .option('peer-base-port', { coerce: integer('--peer-base-port', { min: 1, max: 65535 }), describe: 'Give peers ports of their own: node k takes them on 127.0.0.1:(peer-base-port + k - 1)' })
    .option('data', { type: 'string', describe: 'Data directory, one subdirectory per node, kept (default: a new temp directory, removed on exit)' })
    .option('test-admin', { type: 'boolean', default: false, describe: 'TESTS ONLY: start the nodes with --test-admin' })
    .example('$0 cluster --nodes 3', 'three nodes on 127.0.0.1:7001-7003')
    .example('$0 cluster --nodes 5 --base-port 8001 --data ./data', 'five nodes, data kept in ./data') as unknown as Argv<ClusterArgs>,
  handler: async (args: ArgumentsCamelCase<ClusterArgs>) => {
    const spares = args.spares;
    if (!Number.isInteger(args.nodes) || args.nodes < 1 || args.nodes > 9) throw new UsageError(`--nodes must be 1 to 9, got ${args.nodes}`);
    if (!Number.isInteger(spares) || spares < 0 || args.nodes + spares > 9) throw new UsageError(`--spares: nodes and spares must be at most 9 in all, got ${args.nodes} + ${spares}`);
    // Every process below counts the spares: each takes a port (and a peer port) too.
    const nodes = args.nodes + spares;
    const basePort = args['base-port'];
    if (!Number.isInteger(basePort) || basePort < 1 || basePort + nodes - 1 > 65535) throw new UsageError(`--base-port: must leave room for ${nodes} ports below 65536, got ${basePort}`);
    const peerBasePort = args['peer-base-port'];
    if (peerBasePort !== undefined) {
      if (!Number.isInteger(peerBasePort) || peerBasePort < 1 || peerBasePort + nodes - 1 > 65535) throw new UsageError(`--peer-base-port: must leave room for ${nodes} ports below 65536, got ${peerBasePort}`);
      if (peerBasePort < basePort + nodes && basePort < peerBasePort + nodes) throw new UsageError('--peer-base-port ports must not overlap the --base-port ones');
    }
    const color = new Chalk({ level: args.color === false || process.env.NO_COLOR ? 0 : process.stdout.isTTY ? 1 : 0 });
    // Ours to remove on exit only if we made it: a --data directory is the user's.
    const createdDataDir = args.data === undefined ? mkdtempSync(join(tmpdir(), 'raftsim-cluster-')) : null;
    const dataDir = resolve(args.data ?? createdDataDir!);
    mkdirSync(dataDir, { recursive: true });
    // A fresh secret per run, owner-only, in the data directory: only these nodes can be peers.
    const secretFile = writeClusterSecretFile(dataDir);
    const script = process.argv[1];
    if (script === undefined) throw new UsageError('cannot tell which script to run the nodes with');
    const invocation = cliInvocation(script, process.execPath, process.env.PATH ?? '');
    let stopping = false;
    /** Removes the directory we made (once; also on an unplanned exit), and says so when asked. */
    let cleaned = false;
    const cleanUp = (say: boolean): void => {
      if (cleaned || createdDataDir === null) return;
      cleaned = true;
      const outcome = removeCreatedDataDir(dataDir, cluster.nodes.map((n) => n.dataDir));
      if (!say) return;
      process.stdout.write('removed' in outcome ? `removed the temporary data directory ${outcome.removed}\n`
        : `kept the temporary data directory ${outcome.kept}: ${outcome.why}\n`);
    };
    const cluster: LocalCluster = new LocalCluster({
      serveCommand: [script, 'serve'], nodes: args.nodes, spares, basePort, dataDir, secretFile,
      ...(peerBasePort === undefined ? {} : { peerBasePort }),
      extraArgs: args['test-admin'] ? ['--test-admin'] : [],
      onStderr: (node, line) => process.stderr.write(`${color.red(node)} ${line}\n`),
      onExit: (name, code, signal) => {
        if (stopping) return;
        process.stdout.write(`${color.red(`${name} exited`)} (${signal ?? `code ${code}`})\n`);
        if (cluster.nodes.every((n) => n.child !== null && (n.child.exitCode !== null || n.child.signalCode !== null))) {
          process.stdout.write('every node has exited\n');
          cleanUp(true);
          process.exit(ExitCode.failure);
        }
        const node = cluster.nodes.find((n) => n.name === name)!;
        process.stdout.write(`  restart it (on its own, in another terminal) with:\n    ${commandLine([...invocation, 'serve', ...cluster.serveArgs(node)])}\n`);
      },
    });
    process.once('exit', () => cleanUp(false));
    cluster.start();
    printBanner(cluster, color, { dataDir, secretFile, peerPorts: peerBasePort !== undefined, removesDataDir: createdDataDir !== null });
    const addressOf = new Map(cluster.nodes.map((n) => [n.name, n.address]));
    const paint = (summary: NodeSummary, line: string): string =>
      !summary.up ? color.red(line) : summary.role === 'leader' ? color.green(line) : summary.role === 'candidate' ? color.yellow(line) : line;
    const poller = new StatusPoller(cluster.nodes, (summary) => {
      const stamp = new Date().toISOString().slice(11, 23);
      process.stdout.write(`${color.dim(stamp)} ${paint(summary, describeSummary(summary, addressOf.get(summary.name)!))}\n`);
    });
    poller.start();
    await new Promise<void>((done) => {
      const stop = (signal: string): void => {
        if (stopping) return;
        stopping = true;
        poller.stop();
        process.stdout.write(`${signal}: stopping every node\n`);
        cluster.stop().then(done, done);
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    });
    process.stdout.write('stopped\n');
    cleanUp(true);
    process.exit(ExitCode.ok);
  },
};

/** What the cluster is and how to use it: addresses, the secret, example commands, how to stop. */
function printBanner(cluster: LocalCluster, color: ChalkInstance, about: { dataDir: string; secretFile: string; peerPorts: boolean; removesDataDir: boolean }): void {
  const count = cluster.nodes.length;
  const spares = cluster.nodes.filter((n) => n.spare).length;
  const what = `${count - spares} node${count - spares === 1 ? '' : 's'}${spares > 0 ? ` and ${spares} spare${spares === 1 ? '' : 's'}` : ''}`;
  process.stdout.write(`${color.bold(`raftsim cluster: ${what}`)}, data in ${about.dataDir}\n`);
  for (const node of cluster.nodes) {
    const peerPort = about.peerPorts ? `  (peers on ${formatAddress(node.peerAddress)})` : '';
    const spare = node.spare ? `  (spare, outside the configuration: raftsim member add-learner ${node.name})` : '';
    process.stdout.write(`  ${node.name}  ${httpUrl(node.address)}${peerPort}${spare}\n`);
  }
  process.stdout.write(`cluster secret in ${about.secretFile} (mode 0600)\n`);
  const first = formatAddress(cluster.nodes[0]!.address);
  process.stdout.write(`try:\n  curl -L -X PUT --data-binary hello http://${first}/kv/greeting\n  curl -L http://${first}/kv/greeting\n  curl http://${first}/status\n`);
  process.stdout.write(`  raftsim client get greeting --cluster ${cluster.nodes.map((n) => formatAddress(n.address)).join(',')}\n`);
  process.stdout.write(`Ctrl-C stops every node${about.removesDataDir ? ' and removes the temporary data directory' : ''}.\n`);
}
