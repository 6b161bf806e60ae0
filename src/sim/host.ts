/**
 * One simulated machine: a Raft node, the KV server over it, and its disk. The host keeps the
 * machine's life cycle (alive, crashed, restarted as a new incarnation); the world carries out the
 * work the node hands back.
 */
import { KvServer } from '../kv/server.js';
import type { KvServerOptions } from '../kv/server.js';
import type { ReadMode } from '../kv/pendingReads.js';
import type { KvCommand } from '../kv/types.js';
import type { RaftConfig } from '../raft/config.js';
import { RaftNode } from '../raft/raft.js';
import type { PersistRequest } from '../raft/ready.js';
import type { RaftNodeApi } from '../raft/node.js';
import type { DurableState, NodeId, Role } from '../raft/types.js';
import { SimDisk } from './disk.js';
import type { CrashKeep, CrashOutcome } from './disk.js';
import type { PauseState } from './pauses.js';
import type { StorageVariant } from '../storage/index.js';

/**
 * A test-only seam: wraps each node the host starts (at boot and at every restart), so that a test
 * can break a node on purpose and watch a monitor catch it in a real run. Production runs pass none.
 */
export type NodeMutant = (id: NodeId, node: RaftNode<KvCommand>) => RaftNodeApi<KvCommand>;

/**
 * How each machine builds its Raft node and its KV server (at boot and at every restart). A run
 * with a known bug (the harness's catalog, src/mutants) passes a subclass's constructor here;
 * production runs pass none and get the core classes.
 */
export interface NodeFactories {
  readonly raft?: (config: RaftConfig, durable: DurableState<KvCommand> | undefined) => RaftNode<KvCommand>;
  readonly kv?: (options: KvServerOptions) => KvServer;
  /** Storage engine parts to replace (disk.storage "engine" only). */
  readonly storage?: StorageVariant;
}

/** What the KV server of each machine is given: its clock, and the session bounds. */
export interface KvHostOptions {
  readonly snapshotEveryEntries: number;
  readonly sessionExpiryMs: number;
  readonly maxSessions: number;
  readonly clockMs: () => number;
  readonly readMode?: ReadMode;
  readonly followerReads?: boolean;
}

export class NodeHost {
  readonly disk = new SimDisk<KvCommand>();
  /** Ticks this node has led in a row (0 when not leading): the simulator's CheckQuorum figure. */
  ticksLeading = 0;
  raft: RaftNodeApi<KvCommand>;
  kv: KvServer;
  alive = true;
  /** Bumped at each crash, so that timers and fsyncs of an earlier life are ignored. */
  incarnation = 0;
  /** What the monitors last saw, to notice changes cheaply. */
  lastRole: Role = 'follower';
  lastTerm = 0;
  /** The node's last log index as of its last write issued: a write starting at or below it truncates. */
  writtenLastIndex = 0;
  /** With the storage engine: writes handed to it and not yet reported durable. */
  writesInFlight = 0;
  /** With the storage engine: the engine is opening (recovering) for a start. */
  opening = false;
  /** With the storage engine: why it refused to start on damaged storage; the machine stays down for good. */
  refused: string | null = null;
  /** Set while the process is stopped (SIGSTOP): what it will find when it resumes. */
  paused: PauseState | null = null;

  constructor(
    readonly id: number,
    private readonly config: RaftConfig,
    private readonly kvOptions: KvHostOptions,
    private readonly mutant: NodeMutant | undefined = undefined,
    private readonly factories: NodeFactories = {},
  ) {
    this.raft = this.startNode(undefined);
    this.kv = this.makeServer();
  }

  /** The process dies (a pause ends with it); `choose` picks what the disk keeps of unsynced writes. */
  crash(choose: ((pending: readonly PersistRequest<KvCommand>[]) => CrashKeep) | null = null): CrashOutcome {
    this.stop();
    return this.disk.crashKeeping(choose);
  }

  /** The process is gone: nothing of this incarnation runs on (its timers, fsyncs and engine are ignored). */
  stop(): void {
    this.alive = false;
    this.paused = null;
    this.incarnation++;
    this.opening = false;
    this.writesInFlight = 0;
  }

  /** Writes handed to storage and not yet durable (the model disk's, or the engine's). */
  get pendingWrites(): number {
    return this.disk.pendingCount + this.writesInFlight;
  }

  /** A new incarnation starts from what its storage recovered. */
  restartFrom(durable: DurableState<KvCommand>): void {
    this.raft = this.startNode(durable);
    this.kv = this.makeServer();
    this.alive = true;
    this.lastRole = 'follower';
    this.lastTerm = this.raft.status().term;
    this.writtenLastIndex = this.raft.lastIndex;
  }

  private startNode(durable: DurableState<KvCommand> | undefined): RaftNodeApi<KvCommand> {
    const make = this.factories.raft;
    const node = make ? make(this.config, durable) : new RaftNode<KvCommand>(this.config, durable);
    return this.mutant ? this.mutant(this.id, node) : node;
  }

  private makeServer(): KvServer {
    const options: KvServerOptions = { node: this.raft, ...this.kvOptions };
    return this.factories.kv ? this.factories.kv(options) : new KvServer(options);
  }
}
