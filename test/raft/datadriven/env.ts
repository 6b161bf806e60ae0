/**
 * The interaction env: a cluster of real RaftNodes driven only through their public API (`tick`,
 * `step`, `propose`, `compact`, `ready`, `persisted`, `status`), with the world around them made
 * explicit so that a golden file can say exactly what happens and when:
 * - storage: each node's writes queue up as pending until an fsync completes them (at once in
 *   `process-ready`, or later with `process-ready … no-fsync` then `fsync`); a crash loses them;
 * - the network: one FIFO of messages in flight, delivered or dropped only by command;
 * - the application: the commands each node applied, which is also what its snapshots carry.
 * No time and no randomness: election timeouts are fixed per node (harness.ts `makeConfig`).
 */
import { RaftNode } from '../../../src/raft/index.js';
import type { DurableState, Message, NodeId, PersistRequest, RaftConfig, Ready } from '../../../src/raft/index.js';
import { MemoryStorage } from '../harness.js';
import { messageText, readyLines } from './text.js';

/** One node slot: the node while it runs, and what outlives a crash (config, storage). */
interface Peer {
  readonly id: NodeId;
  readonly config: RaftConfig;
  /** Builds the node at add and at every restart: the core, or a mutant of it. */
  readonly make: NodeMaker;
  readonly storage: MemoryStorage;
  /** null while crashed. */
  node: RaftNode<string> | null;
  /** Writes handed to storage and not yet durable, oldest first. */
  pending: PersistRequest<string>[];
  /** The application: the command of each applied entry, in index order (null for a no-op). */
  applied: (string | null)[];
}

export type NodeMaker = (config: RaftConfig, durable: DurableState<string>) => RaftNode<string>;

const CORE: NodeMaker = (config, durable) => new RaftNode<string>(config, durable);

/** Which in-flight messages a delivery takes: by recipient, sender and type (all if empty). */
export interface MessageFilter {
  readonly to: readonly NodeId[];
  readonly from: readonly NodeId[];
  readonly types: readonly string[];
}

/** A bound on process-ready loops: a node that keeps producing Readies is a bug. */
const READY_LOOP_MAX = 100;

export class InteractionEnv {
  private readonly peers = new Map<NodeId, Peer>();
  /** Messages sent and not yet delivered or dropped, in the order they were sent. */
  private inFlight: Message<string>[] = [];

  /** Ids in ascending order (a stable order for every loop over nodes). */
  ids(): NodeId[] {
    return [...this.peers.keys()].sort((a, b) => a - b);
  }

  addNode(config: RaftConfig, durable: DurableState<string>, make: NodeMaker = CORE): RaftNode<string> {
    if (this.peers.has(config.id)) throw new Error(`n${config.id} already exists`);
    const storage = new MemoryStorage();
    storage.hardState = durable.hardState;
    storage.snapshot = durable.snapshot;
    storage.entries = [...durable.entries];
    const node = make(config, storage.durable());
    this.peers.set(config.id, { id: config.id, config, make, storage, node, pending: [], applied: [] });
    return node;
  }

  /** The running node `id`; throws if unknown or crashed. */
  node(id: NodeId): RaftNode<string> {
    const node = this.peer(id).node;
    if (node === null) throw new Error(`n${id} is down`);
    return node;
  }

  isUp(id: NodeId): boolean {
    return this.peer(id).node !== null;
  }

  storage(id: NodeId): MemoryStorage {
    return this.peer(id).storage;
  }

  pendingWrites(id: NodeId): readonly PersistRequest<string>[] {
    return this.peer(id).pending;
  }

  applied(id: NodeId): readonly (string | null)[] {
    return this.peer(id).applied;
  }

  messagesInFlight(): number {
    return this.inFlight.length;
  }

  /**
   * Carries out every Ready of node `id` (ready.ts order: write, send, restore, apply), and
   * unless `fsync` is false completes the writes at once, which may release held messages into
   * another Ready. Returns what happened, one line per fact.
   */
  processReady(id: NodeId, fsync = true): string[] {
    const node = this.node(id);
    const lines: string[] = [];
    for (let round = 0; node.hasReady(); round++) {
      if (round >= READY_LOOP_MAX) throw new Error(`n${id} never runs out of Readies`);
      const ready = node.ready();
      lines.push(...readyLines(id, ready));
      this.carryOut(this.peer(id), ready);
      if (fsync) lines.push(...this.fsync(id));
    }
    return lines;
  }

  /** Storage of `id` completes every pending write, and the node hears of it. */
  fsync(id: NodeId): string[] {
    const peer = this.peer(id);
    const node = this.node(id);
    if (peer.pending.length === 0) return [];
    for (const write of peer.pending) peer.storage.apply(write);
    const ids = peer.pending.map((w) => `#${w.id}`);
    node.persisted(peer.pending[peer.pending.length - 1]!.id);
    peer.pending = [];
    return [`n${id} fsync ${ids.join(' ')}`];
  }

  /**
   * Delivers (or with `drop`, drops) the in-flight messages the filter takes, recipient by
   * recipient in id order, each recipient's in the order sent; the rest stay in flight.
   */
  deliver(filter: MessageFilter, drop: boolean): string[] {
    const taken = this.inFlight.filter((m) => matches(m, filter));
    this.inFlight = this.inFlight.filter((m) => !matches(m, filter));
    const lines: string[] = [];
    for (const to of [...new Set(taken.map((m) => m.to))].sort((a, b) => a - b)) {
      for (const m of taken.filter((t) => t.to === to)) {
        if (drop) lines.push(`dropped ${messageText(m)}`);
        else if (!this.peers.has(to) || !this.isUp(to)) lines.push(`lost ${messageText(m)} (n${to} is down)`);
        else {
          lines.push(messageText(m));
          this.node(to).step(m);
        }
      }
    }
    return lines;
  }

  /** The node stops: its unsynced writes and its application state are lost; storage stays. */
  crash(id: NodeId): string[] {
    const peer = this.peer(id);
    if (peer.node === null) throw new Error(`n${id} is already down`);
    const lost = peer.pending.map((w) => `#${w.id}`);
    peer.node = null;
    peer.pending = [];
    peer.applied = [];
    return [lost.length === 0 ? `n${id} down` : `n${id} down, lost unsynced writes ${lost.join(' ')}`];
  }

  /** A crashed node comes back from what its storage holds (the application restores in Ready). */
  restart(id: NodeId): RaftNode<string> {
    const peer = this.peer(id);
    if (peer.node !== null) throw new Error(`n${id} is running; crash it first`);
    peer.node = peer.make(peer.config, peer.storage.durable());
    return peer.node;
  }

  private peer(id: NodeId): Peer {
    const peer = this.peers.get(id);
    if (peer === undefined) throw new Error(`no node n${id}`);
    return peer;
  }

  private carryOut(peer: Peer, ready: Ready<string>): void {
    if (ready.persist !== null) peer.pending.push(ready.persist);
    this.inFlight.push(...ready.messages);
    if (ready.snapshotToApply !== null) peer.applied = [...(ready.snapshotToApply.data as (string | null)[])];
    for (const e of ready.committed) {
      if (e.index !== peer.applied.length + 1) throw new Error(`n${peer.id} applies ${e.index} out of order`);
      peer.applied.push(e.command);
    }
  }
}

function matches(m: Message<string>, f: MessageFilter): boolean {
  return (
    (f.to.length === 0 || f.to.includes(m.to)) &&
    (f.from.length === 0 || f.from.includes(m.from)) &&
    (f.types.length === 0 || f.types.includes(m.type))
  );
}
