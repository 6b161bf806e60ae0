/**
 * A whole node in this process: storage, the Raft/KV loop, peer transport and the HTTP API on one
 * loopback port. `startNode` resolves once it listens; `close` stops it and closes storage.
 */
import type { KvCommand } from '../kv/types.js';
import type { RaftByteLimits } from '../raft/config.js';
import type { NodeId } from '../raft/types.js';
import type { Address } from './addresses.js';
import { hasOwnPeerAddress, type ClusterMembers } from './clusterConfig.js';
import { BodyBudget } from './http/body.js';
import { httpLimits, type HttpLimits } from './http/limits.js';
import { createRequestHandler } from './http/router.js';
import { NodeListener } from './listener.js';
import { NodeMetrics } from './metrics.js';
import type { PeerKey } from './peerAuth.js';
import { PeerListener } from './peerListener.js';
import { RaftHost, type ElectionSafeguards, type NodeTiming, type RequestBounds } from './raftHost.js';
import type { ReadSettings } from './readSettings.js';
import { KV_SNAPSHOT_CODEC } from '../storage/kvSnapshotCodec.js';
import { openStorage } from './diskStorage.js';
import type { NodeStorage, OpenStorage } from './storageContract.js';
import { PeerTransport } from './transport.js';

export interface NodeOptions {
  readonly members: ClusterMembers;
  readonly dataDir: string;
  /** Default: the real disk storage (./storage/). */
  readonly openStorage?: OpenStorage;
  /** False only for tests and benchmarks that say so: writes are then not crash-safe. */
  readonly fsync?: boolean;
  readonly timing: NodeTiming;
  readonly snapshotEveryEntries: number;
  readonly maxEntriesPerAppend: number;
  readonly maxInflightAppends: number;
  /** The core's byte limits; absent: the core's defaults. */
  readonly byteLimits?: RaftByteLimits;
  /** PreVote and CheckQuorum; absent: both on (DEFAULT_ELECTION_SAFEGUARDS, raftHost.ts). */
  readonly electionSafeguards?: ElectionSafeguards;
  /** How gets are answered; absent: ReadIndex (DEFAULT_READ_SETTINGS, readSettings.ts). */
  readonly readSettings?: ReadSettings;
  /** How long a client request may wait for its command to apply before 504 (outcome unknown). */
  readonly requestTimeoutMs: number;
  readonly testAdmin: boolean;
  /** HTTP deadlines and caps; default DEFAULT_HTTP_LIMITS (http/limits.ts). */
  readonly httpLimits?: Partial<HttpLimits>;
  /** Bounds on requests waiting for their answer; default DEFAULT_REQUEST_BOUNDS (raftHost.ts). */
  readonly requestBounds?: RequestBounds;
  /** The cluster secret peers must prove (peerAuth.ts). */
  readonly peerKey: PeerKey;
  /** One line about something refused (a bad peer connection); default: stderr. */
  readonly log?: (line: string) => void;
  /** Called once if the node cannot go on (disk error, failed assertion); it has stopped itself. */
  readonly onFatal: (error: Error) => void;
}

export interface RunningNode {
  readonly id: NodeId;
  readonly address: Address;
  readonly host: RaftHost;
  /** What its HTTP clients hold now: open connections and buffered body bytes. */
  httpLoad(): { readonly connections: number; readonly bodyBytes: number };
  close(): Promise<void>;
}

export async function startNode(options: NodeOptions): Promise<RunningNode> {
  const { members } = options;
  const self = members.self;
  const address = members.addresses.get(self)!;
  const limits = httpLimits(options.httpLimits);
  const open = options.openStorage ?? openStorage;
  const storage: NodeStorage<KvCommand> = await open<KvCommand>(options.dataDir, { fsync: options.fsync ?? true, snapshotCodec: KV_SNAPSHOT_CODEC });
  const metrics = new NodeMetrics();
  storage.onFsync = (ms) => metrics.fsyncLatency.observe(ms / 1000);
  const peers = new Map([...members.peerAddresses].filter(([id]) => id !== self));
  // The host and the transport need each other; the transport only calls back once started.
  let host: RaftHost | null = null;
  const transport = new PeerTransport({
    self, peers, key: options.peerKey, onMessage: (message) => host?.deliver(message), registry: metrics.registry, snapshotCodec: KV_SNAPSHOT_CODEC,
    log: options.log ?? ((line) => process.stderr.write(`raftsim: n${self}: ${line}\n`)),
  });
  const running: RaftHost = new RaftHost({
    id: self, voters: members.voters, timing: options.timing,
    maxEntriesPerAppend: options.maxEntriesPerAppend, maxInflightAppends: options.maxInflightAppends,
    ...(options.byteLimits === undefined ? {} : { byteLimits: options.byteLimits }),
    ...(options.electionSafeguards === undefined ? {} : { electionSafeguards: options.electionSafeguards }),
    ...(options.readSettings === undefined ? {} : { readSettings: options.readSettings }),
    snapshotEveryEntries: options.snapshotEveryEntries, requestTimeoutMs: options.requestTimeoutMs,
    ...(options.requestBounds === undefined ? {} : { requestBounds: options.requestBounds }),
    storage, send: (message) => transport.send(message), metrics,
    onFatal: options.onFatal,
  });
  host = running;
  const bodyBudget = new BodyBudget(limits.maxBufferedBodyBytes);
  const separatePeers = hasOwnPeerAddress(members, self);
  const listener = new NodeListener({
    address, limits,
    onRequest: createRequestHandler({ self, addresses: members.addresses, host: running, transport, metrics, testAdmin: options.testAdmin, limits, bodyBudget }),
    onPeer: separatePeers ? (socket) => transport.refuseElsewhere(socket) : (socket, rest) => transport.accept(socket, rest),
    onDeadline: (phase) => metrics.httpDeadlineCloses.inc({ phase }),
    onRefused: () => metrics.overloaded.inc({ reason: 'connections' }),
    onConnections: (open) => metrics.httpConnections.set(open),
    onActivity: () => running.tickIfDue(),
  });
  const peerListener = separatePeers ? new PeerListener({
    address: members.peerAddresses.get(self)!,
    onPeer: (socket, rest) => transport.accept(socket, rest),
    onNotPeer: (socket) => transport.refuseNotPeer(socket),
  }) : null;
  try {
    await listener.listen();
    await peerListener?.listen();
  } catch (error) {
    await listener.close();
    await storage.close();
    throw error;
  }
  transport.start();
  running.start();
  let closing: Promise<void> | null = null;
  return {
    id: self, address, host: running,
    httpLoad: () => ({ connections: listener.httpConnections, bodyBytes: bodyBudget.heldBytes }),
    close: () => {
      closing ??= (async () => {
        running.stop();
        transport.close();
        await listener.close();
        await peerListener?.close();
        await storage.close();
      })();
      return closing;
    },
  };
}
