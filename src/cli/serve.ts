/**
 * `raftsim serve`: one Raft KV node as a real process. The same src/raft and src/kv code the
 * simulator runs, driven by real timers, TCP and disk (src/runtime). Prints one line when it
 * listens and one per role change; SIGTERM/SIGINT stop it gracefully (storage closed). A crash at
 * any moment loses nothing acknowledged: acks wait for fsync.
 */
import { readFileSync } from 'node:fs';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { formatAddress, httpUrl, parseAddress } from '../runtime/addresses.js';
import { hasOwnPeerAddress, membersFromFile, membersFromPeers, type ClusterMembers } from '../runtime/clusterConfig.js';
import { loadClusterSecret, SECRET_ENV } from '../runtime/clusterSecret.js';
import { nodeName, parseNodeName } from '../runtime/nodeNames.js';
import { handOffLeadership } from '../runtime/leaderHandoff.js';
import { startNode, type RunningNode } from '../runtime/nodeServer.js';
import { DEFAULT_MAX_BYTES_PER_APPEND, DEFAULT_MAX_INFLIGHT_BYTES, DEFAULT_MAX_UNCOMMITTED_BYTES } from '../raft/config.js';
import { MAX_FRAME_BYTES } from '../runtime/framing.js';
import { MAX_ENTRIES_PER_MESSAGE } from '../runtime/peerMessages.js';
import { DEFAULT_ELECTION_SAFEGUARDS, DEFAULT_TIMING } from '../runtime/raftHost.js';
import { DEFAULT_READ_SETTINGS, raftReadConfig } from '../runtime/readSettings.js';
import { RuntimeConfigError } from '../runtime/runtimeConfigError.js';
import type { ReadMode } from '../kv/pendingReads.js';
import { isStorageRefusal } from '../storage/index.js';
import { ExitCode, UsageError } from './errors.js';
import { integer } from './options.js';

interface ServeArgs {
  id: string;
  data: string;
  listen?: string;
  peers?: string;
  config?: string;
  voters?: string;
  'peer-listen'?: string;
  'cluster-secret-file'?: string;
  'insecure-peers': boolean;
  'tick-ms': number;
  'election-ticks-min': number;
  'election-ticks-max': number;
  'heartbeat-ticks': number;
  'snapshot-every': number;
  'max-entries-per-append': number;
  'max-inflight-appends': number;
  'max-bytes-per-append': number;
  'max-inflight-bytes': number;
  'max-uncommitted-bytes': number;
  'request-timeout-ms': number;
  'pre-vote': boolean;
  'check-quorum': boolean;
  'read-mode': ReadMode;
  'follower-reads': boolean;
  'max-clock-drift-ms': number;
  'test-admin': boolean;
  'stop-with-parent': boolean;
}

export const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'Run one node of a real Raft KV cluster (HTTP API and peers on one loopback port, or peers on --peer-listen)',
  builder: (yargs: Argv) => yargs
    .option('id', { type: 'string', demandOption: true, describe: 'This node: n1, n2, …' })
    .option('data', { type: 'string', demandOption: true, describe: 'Directory for this node\'s log and snapshots' })
    .option('listen', { type: 'string', describe: 'Address to listen on, 127.0.0.1:PORT (default: this node\'s address in --config)' })
    .option('peers', { type: 'string', describe: 'The other nodes: n2=127.0.0.1:7002,n3=127.0.0.1:7003; one with its own peer port: n2=127.0.0.1:7002/127.0.0.1:8002' })
    .option('config', { type: 'string', describe: 'Cluster file {"nodes": [{"id": "n1", "address": "127.0.0.1:7001"}, …]} instead of --peers' })
    .option('voters', { type: 'string', describe: 'The bootstrap voters, e.g. n1,n2,n3 (default: the cluster file\'s "voters", else every node); the others start as spares for raftsim member add-learner. Give every node the same list' })
    .option('peer-listen', { type: 'string', describe: 'Take peer connections on this address of their own, 127.0.0.1:PORT (the client port then refuses them)' })
    .option('cluster-secret-file', { type: 'string', describe: `File holding the cluster secret peers must prove (mode 0600; else set ${SECRET_ENV})` })
    .option('insecure-peers', { type: 'boolean', default: false, describe: 'Run without a cluster secret: any local process can speak as a peer' })
    .option('tick-ms', { default: DEFAULT_TIMING.tickMs, coerce: integer('--tick-ms', { min: 1 }), describe: 'Milliseconds per Raft tick' })
    .option('election-ticks-min', { default: DEFAULT_TIMING.electionTicksMin, coerce: integer('--election-ticks-min', { min: 1 }), describe: 'Election timeout, lowest, in ticks' })
    .option('election-ticks-max', { default: DEFAULT_TIMING.electionTicksMax, coerce: integer('--election-ticks-max', { min: 1 }), describe: 'Election timeout, highest, in ticks' })
    .option('heartbeat-ticks', { default: DEFAULT_TIMING.heartbeatTicks, coerce: integer('--heartbeat-ticks', { min: 1 }), describe: 'Leader heartbeat interval in ticks' })
    .option('snapshot-every', { default: 10_000, coerce: integer('--snapshot-every', { min: 0 }), describe: 'Snapshot and compact the log every N applied entries (0: never)' })
    .option('max-entries-per-append', { default: 64, coerce: integer('--max-entries-per-append', { min: 1 }), describe: 'Most entries in one AppendEntries' })
    .option('max-inflight-appends', { default: 4, coerce: integer('--max-inflight-appends', { min: 1 }), describe: 'Most unanswered AppendEntries per follower' })
    .option('max-bytes-per-append', { default: DEFAULT_MAX_BYTES_PER_APPEND, coerce: integer('--max-bytes-per-append', { min: 1 }), describe: 'Most bytes of entries in one AppendEntries (a larger entry goes alone)' })
    .option('max-inflight-bytes', { default: DEFAULT_MAX_INFLIGHT_BYTES, coerce: integer('--max-inflight-bytes', { min: 1 }), describe: 'Most unanswered bytes of entries per follower' })
    .option('max-uncommitted-bytes', { default: DEFAULT_MAX_UNCOMMITTED_BYTES, coerce: integer('--max-uncommitted-bytes', { min: 1 }), describe: 'A leader answers 503 overloaded while its uncommitted entries hold more bytes than this' })
    .option('request-timeout-ms', { default: 5_000, coerce: integer('--request-timeout-ms', { min: 1 }), describe: 'A client request waits this long for its commit before 504 (outcome unknown)' })
    .option('pre-vote', { type: 'boolean', default: DEFAULT_ELECTION_SAFEGUARDS.preVote, describe: 'PreVote: ask whether an election could be won before starting one (--no-pre-vote: off)' })
    .option('check-quorum', { type: 'boolean', default: DEFAULT_ELECTION_SAFEGUARDS.checkQuorum, describe: 'CheckQuorum: a leader cut off from a majority for an election timeout steps down (--no-check-quorum: off)' })
    .option('read-mode', { choices: ['log', 'read-index', 'lease'] as const, default: DEFAULT_READ_SETTINGS.mode, describe: 'How GET /kv is answered: read-index (a heartbeat round confirms leadership, no log entry), lease (no round while the leader lease holds; safe only under --max-clock-drift-ms and no process pauses), or log (each read is a log entry)' })
    .option('follower-reads', { type: 'boolean', default: DEFAULT_READ_SETTINGS.followerReads, describe: 'With --read-mode read-index: followers answer GET themselves at a read index their leader confirms, instead of redirecting (--no-follower-reads: redirect)' })
    .option('max-clock-drift-ms', { default: DEFAULT_READ_SETTINGS.maxClockDriftMs, coerce: integer('--max-clock-drift-ms', { min: 0 }), describe: 'With --read-mode lease: how far two nodes\' clocks may disagree over one election timeout; the lease is shorter by this much' })
    .option('test-admin', { type: 'boolean', default: false, describe: 'TESTS ONLY: enable POST /admin/partition and /admin/heal' })
    .option('stop-with-parent', { type: 'boolean', default: false, describe: 'Stop when stdin closes (raftsim cluster uses this so nodes never outlive it)' })
    .example('$0 serve --id n1 --data /tmp/n1 --listen 127.0.0.1:7001 --peers n2=127.0.0.1:7002,n3=127.0.0.1:7003 --cluster-secret-file secret', 'one node of three')
    .example('$0 serve --id n2 --data /tmp/n2 --config cluster.json --cluster-secret-file secret', 'addresses from a cluster file') as unknown as Argv<ServeArgs>,
  handler: async (args: ArgumentsCamelCase<ServeArgs>) => {
    const members = usage(() => membersOf(args));
    const peerKey = usage(() => loadClusterSecret({ file: args['cluster-secret-file'], env: process.env[SECRET_ENV], insecure: args['insecure-peers'] }));
    const timing = {
      tickMs: positiveInt(args['tick-ms'], '--tick-ms'),
      electionTicksMin: positiveInt(args['election-ticks-min'], '--election-ticks-min'),
      electionTicksMax: positiveInt(args['election-ticks-max'], '--election-ticks-max'),
      heartbeatTicks: positiveInt(args['heartbeat-ticks'], '--heartbeat-ticks'),
    };
    if (timing.electionTicksMax < timing.electionTicksMin) throw new UsageError('--election-ticks-max must be at least --election-ticks-min');
    if (timing.heartbeatTicks >= timing.electionTicksMin) throw new UsageError('--heartbeat-ticks must be below --election-ticks-min');
    const snapshotEvery = args['snapshot-every'];
    if (!Number.isSafeInteger(snapshotEvery) || snapshotEvery < 0) throw new UsageError('--snapshot-every must be a non-negative integer');
    const readSettings = { mode: args['read-mode'], maxClockDriftMs: args['max-clock-drift-ms'], followerReads: args['follower-reads'] };
    // Checked here, so that a lease the timing leaves no room for is a usage error (exit 2).
    usage(() => raftReadConfig(readSettings, timing, args['check-quorum']));
    const self = nodeName(members.self);
    let node: RunningNode;
    try {
      node = await startNode({
        members, dataDir: args.data, timing, snapshotEveryEntries: snapshotEvery,
        maxEntriesPerAppend: atMost(positiveInt(args['max-entries-per-append'], '--max-entries-per-append'), MAX_ENTRIES_PER_MESSAGE, '--max-entries-per-append'),
        maxInflightAppends: positiveInt(args['max-inflight-appends'], '--max-inflight-appends'),
        byteLimits: {
          // An entry's estimate counts UTF-16 units; in UTF-8 one may take 3 bytes, so a full
          // append stays inside a peer frame only up to a quarter of it.
          maxBytesPerAppend: atMost(positiveInt(args['max-bytes-per-append'], '--max-bytes-per-append'), MAX_FRAME_BYTES / 4, '--max-bytes-per-append'),
          maxInflightBytes: positiveInt(args['max-inflight-bytes'], '--max-inflight-bytes'),
          maxUncommittedBytes: positiveInt(args['max-uncommitted-bytes'], '--max-uncommitted-bytes'),
        },
        requestTimeoutMs: positiveInt(args['request-timeout-ms'], '--request-timeout-ms'),
        electionSafeguards: { preVote: args['pre-vote'], checkQuorum: args['check-quorum'] },
        readSettings,
        testAdmin: args['test-admin'], peerKey,
        onFatal: (error) => {
          // A disk refusal (no space, read-only, …) is one line naming the path; anything else is a bug: its stack.
          const storage = isStorageRefusal(error);
          process.stderr.write(`raftsim: ${self} stopping on a fatal error: ${storage ? error.message : error.stack ?? error.message}\n`);
          process.exit(storage ? ExitCode.usage : ExitCode.failure);
        },
      });
    } catch (error) {
      // The data directory cannot be used as it is (locked, damaged, missing records, read-only, …).
      if (isStorageRefusal(error)) {
        process.stderr.write(`raftsim: ${self}: ${error.message}\n`);
        process.exit(ExitCode.usage);
      }
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') {
        const taken = error as NodeJS.ErrnoException & { address?: string; port?: number };
        const where = taken.port === undefined ? formatAddress(members.addresses.get(members.self)!) : `${taken.address ?? '127.0.0.1'}:${taken.port}`;
        process.stderr.write(`raftsim: ${self}: ${where} is already in use\n`);
        process.exit(ExitCode.failure);
      }
      throw error;
    }
    const others = [...members.addresses].filter(([id]) => id !== members.self).map(([id, a]) => `${nodeName(id)} ${formatAddress(a)}`);
    const peerPort = hasOwnPeerAddress(members, members.self) ? `; peer port ${formatAddress(members.peerAddresses.get(members.self)!)}` : '';
    const insecure = peerKey.insecure ? '; INSECURE peers: no cluster secret' : '';
    // A node outside the configuration (a spare, or one removed) waits for a configuration entry to add it.
    const config = node.host.node.configuration;
    const outside = config.voters.includes(members.self) || config.learners.includes(members.self) ? ''
      : `; outside the configuration (voters ${config.voters.map(nodeName).join(',')}) until raftsim member add-learner ${self}`;
    process.stdout.write(`${self} listening on ${httpUrl(node.address)} (data ${args.data}; peers ${others.join(', ') || 'none'}${peerPort}${outside}${insecure})\n`);
    const roles = setInterval(() => reportRole(node), 50);
    let stopping = false;
    const stop = (why: string, handOff = false): void => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`${self} stopping (${why})\n`);
      // A leader stopping on purpose hands over first (bounded by an election timeout), so the
      // cluster does not sit without a leader until its election timers fire.
      const handedOff = handOff ? handOffBeforeStopping(node) : Promise.resolve();
      handedOff.then(() => {
        clearInterval(roles);
        return node.close();
      }).then(() => process.exit(ExitCode.ok), (error: unknown) => {
        process.stderr.write(`raftsim: ${self}: error while closing: ${(error as Error).message}\n`);
        process.exit(ExitCode.failure);
      });
    };
    process.on('SIGTERM', () => stop('SIGTERM', true));
    process.on('SIGINT', () => stop('SIGINT', true));
    if (args['stop-with-parent']) {
      process.stdin.on('end', () => stop('parent gone'));
      process.stdin.on('close', () => stop('parent gone'));
      process.stdin.on('error', () => stop('parent gone'));
      process.stdin.resume();
    }
    await new Promise<never>(() => undefined); // runs until a signal; stop() exits the process
  },
};

function membersOf(args: ServeArgs): ClusterMembers {
  const self = parseNodeName(args.id);
  const listen = args.listen === undefined ? null : parseAddress(args.listen);
  const peerListen = args['peer-listen'] === undefined ? null : parseAddress(args['peer-listen']);
  if (args.config !== undefined) {
    if (args.peers !== undefined) throw new RuntimeConfigError('give --peers or --config, not both');
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(args.config, 'utf8'));
    } catch (error) {
      throw new RuntimeConfigError(`cannot read cluster config ${args.config}: ${(error as Error).message.split('\n')[0]}`);
    }
    return membersFromFile(self, json, listen, peerListen, args.voters ?? null);
  }
  if (listen === null) throw new RuntimeConfigError('give --listen (and --peers), or --config');
  return membersFromPeers(self, listen, args.peers ?? '', peerListen, args.voters ?? null);
}

/** If this node leads, hands leadership to the most up-to-date follower and says how it went. */
async function handOffBeforeStopping(node: RunningNode): Promise<void> {
  if (node.host.node.role !== 'leader') return;
  const self = nodeName(node.id);
  const outcome = await handOffLeadership(node.host, null);
  if (outcome.kind === 'transferred') process.stdout.write(`${self} handed leadership to ${nodeName(outcome.to)} (term ${outcome.term})\n`);
  else process.stdout.write(`${self} could not hand leadership over (${outcome.kind === 'refused' ? outcome.reason : outcome.kind}); stopping anyway\n`);
}

const lastRole = new WeakMap<RunningNode, string>();

function reportRole(node: RunningNode): void {
  const raft = node.host.node;
  const line = `${nodeName(node.id)} ${raft.role} term ${raft.term}${raft.leaderId === null ? '' : ` leader ${nodeName(raft.leaderId)}`}`;
  if (lastRole.get(node) === line) return;
  lastRole.set(node, line);
  process.stdout.write(`${line}\n`);
}

/** Runs `fn`, turning a bad configuration into a UsageError (exit 2). */
export function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof RuntimeConfigError) throw new UsageError(error.message);
    throw error;
  }
}

function atMost(value: number, max: number, flag: string): number {
  if (value > max) throw new UsageError(`${flag}: must be ≤ ${max} (what a peer accepts in one message), got ${value}`);
  return value;
}

export function positiveInt(value: number, flag: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`${flag} must be a positive integer, got ${value}`);
  return value;
}
