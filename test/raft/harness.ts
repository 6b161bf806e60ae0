/**
 * A tiny deterministic harness for Raft unit tests: hand-built messages, in-memory storage that
 * follows the PersistRequest contract, and a cluster that delivers messages between RaftNodes.
 * Not a simulator: no time, no randomness; the test decides what is delivered, dropped or persisted.
 */
import { RaftNode } from '../../src/raft/index.js';
import type {
  AppendEntries,
  DurableState,
  HardState,
  LogEntry,
  Message,
  NodeId,
  PersistRequest,
  RaftConfig,
  RandomSource,
  ReadState,
  Ready,
  Snapshot,
} from '../../src/raft/index.js';

/** Always returns min + offset (clamped): election timeouts are fixed and known. */
export class FixedRandom implements RandomSource {
  constructor(private readonly offset = 0) {}
  rangeInclusive(min: number, max: number): number {
    return Math.min(max, min + this.offset);
  }
}

export const ELECTION_MIN = 10;
export const ELECTION_MAX = 20;
export const HEARTBEAT = 2;

/**
 * A config where node `id` has election timeout ELECTION_MIN + 2·(id-1): lower ids time out first,
 * so who campaigns is decided by the test, not by chance.
 */
export function makeConfig(id: NodeId, peers: readonly NodeId[], over: Partial<RaftConfig> = {}): RaftConfig {
  return {
    id,
    peers,
    electionTicksMin: ELECTION_MIN,
    electionTicksMax: ELECTION_MAX,
    heartbeatTicks: HEARTBEAT,
    maxEntriesPerAppend: 4,
    maxInflightAppends: 2,
    random: new FixedRandom(2 * (id - 1)),
    ...over,
  };
}

/** Log entries from a list of terms: entry i (1-based) has term terms[i-1], command `c<i>`. */
export function entriesOfTerms(terms: readonly number[], first = 1): LogEntry<string>[] {
  return terms.map((term, k) => ({ index: first + k, term, command: `c${first + k}` }));
}

/** A node restarted from a hand-built durable state: a log of the given terms, in `term`. */
export function nodeWithLog(
  id: NodeId,
  peers: readonly NodeId[],
  term: number,
  logTerms: readonly number[],
  over: Partial<RaftConfig> = {},
  votedFor: NodeId | null = null,
): RaftNode<string> {
  return new RaftNode<string>(makeConfig(id, peers, over), {
    hardState: { term, votedFor },
    snapshot: null,
    entries: entriesOfTerms(logTerms),
  });
}

export function rv(from: NodeId, to: NodeId, term: number, lastLogIndex: number, lastLogTerm: number): Message<string> {
  return { type: 'RequestVote', from, to, term, lastLogIndex, lastLogTerm };
}

export function ae(
  from: NodeId,
  to: NodeId,
  term: number,
  prev: [number, number],
  entries: LogEntry<string>[],
  leaderCommit = 0,
): AppendEntries<string> {
  return { type: 'AppendEntries', from, to, term, prevLogIndex: prev[0], prevLogTerm: prev[1], entries, leaderCommit };
}

export function aeOk(from: NodeId, to: NodeId, term: number, matchIndex: number): Message<string> {
  return {
    type: 'AppendEntriesResponse', from, to, term, success: true, matchIndex,
    rejectedIndex: 0, conflictTerm: 0, conflictIndex: 0,
  };
}

export function voteFor(from: NodeId, to: NodeId, term: number, granted = true): Message<string> {
  return { type: 'RequestVoteResponse', from, to, term, granted };
}

/** Storage that follows the PersistRequest contract (ready.ts). */
export class MemoryStorage {
  hardState: HardState = { term: 0, votedFor: null };
  snapshot: Snapshot | null = null;
  entries: LogEntry<string>[] = [];
  readonly requests: PersistRequest<string>[] = [];

  apply(p: PersistRequest<string>): void {
    this.requests.push(p);
    if (p.snapshot !== null) {
      const s = p.snapshot;
      const at = this.entries.find((e) => e.index === s.lastIncludedIndex);
      // §7: keep the suffix only if the entry at the snapshot's index has the snapshot's term.
      this.entries = at !== undefined && at.term === s.lastIncludedTerm
        ? this.entries.filter((e) => e.index > s.lastIncludedIndex)
        : [];
      this.snapshot = s;
    }
    if (p.entries.length > 0) {
      const from = p.entries[0]!.index;
      this.entries = this.entries.filter((e) => e.index < from).concat(p.entries);
    }
    if (p.hardState !== null) this.hardState = p.hardState;
  }

  durable(): DurableState<string> {
    return { hardState: this.hardState, snapshot: this.snapshot, entries: [...this.entries] };
  }
}

/**
 * Takes every Ready of `node`, persists at once, and returns the messages it sends (including the
 * ones the barrier released), the committed entries and any snapshot to restore.
 */
export function drain(node: RaftNode<string>, storage = new MemoryStorage()): {
  messages: Message<string>[]; committed: LogEntry<string>[]; restored: Snapshot | null; readies: Ready<string>[];
} {
  const messages: Message<string>[] = [];
  const committed: LogEntry<string>[] = [];
  const readies: Ready<string>[] = [];
  let restored: Snapshot | null = null;
  for (let guard = 0; node.hasReady(); guard++) {
    if (guard > 1000) throw new Error('drain: node never settles');
    const r = node.ready();
    readies.push(r);
    messages.push(...r.messages);
    if (r.snapshotToApply !== null) restored = r.snapshotToApply;
    committed.push(...r.committed);
    if (r.persist !== null) {
      storage.apply(r.persist);
      node.persisted(r.persist.id);
    }
  }
  return { messages, committed, restored, readies };
}

/** The application replica of one node: applied entries, restored from snapshots. */
interface AppState {
  applied: LogEntry<string>[];
}

/**
 * N nodes, their storages and applications, and the messages in flight. `drop` decides which
 * messages are lost; `autoPersist` false leaves PersistRequests pending until `flush(id)`.
 */
export class Cluster {
  readonly nodes = new Map<NodeId, RaftNode<string>>();
  readonly storages = new Map<NodeId, MemoryStorage>();
  readonly apps = new Map<NodeId, AppState>();
  readonly pending = new Map<NodeId, PersistRequest<string>[]>();
  /** Per node: the ReadStates its Readies handed out, in order. */
  readonly readStates = new Map<NodeId, ReadState[]>();
  inFlight: Message<string>[] = [];
  drop: (m: Message<string>) => boolean = () => false;
  autoPersist = true;
  delivered = 0;
  readonly ids: NodeId[];
  private readonly peers: NodeId[];

  /** `bootstrapVoters`: how many of the n nodes (n1, n2, …) make the bootstrap configuration; the rest start outside it. */
  constructor(n: number, private readonly over: Partial<RaftConfig> = {}, bootstrapVoters = n) {
    this.ids = Array.from({ length: n }, (_, k) => k + 1);
    const peers = (this.peers = this.ids.slice(0, bootstrapVoters));
    for (const id of this.ids) {
      this.storages.set(id, new MemoryStorage());
      this.apps.set(id, { applied: [] });
      this.pending.set(id, []);
      this.nodes.set(id, new RaftNode<string>(makeConfig(id, peers, over)));
    }
  }

  node(id: NodeId): RaftNode<string> {
    return this.nodes.get(id)!;
  }

  readStatesOf(id: NodeId): ReadState[] {
    let states = this.readStates.get(id);
    if (states === undefined) this.readStates.set(id, (states = []));
    return states;
  }

  app(id: NodeId): LogEntry<string>[] {
    return this.apps.get(id)!.applied;
  }

  /** Carries out every Ready of node `id`. */
  process(id: NodeId): void {
    const node = this.node(id);
    while (node.hasReady()) {
      const r = node.ready();
      if (r.persist !== null) this.pending.get(id)!.push(r.persist);
      this.inFlight.push(...r.messages);
      if (r.readStates !== undefined) this.readStatesOf(id).push(...r.readStates);
      const app = this.apps.get(id)!;
      if (r.snapshotToApply !== null) app.applied = [...(r.snapshotToApply.data as LogEntry<string>[])];
      for (const e of r.committed) {
        if (e.index !== app.applied.length + 1) throw new Error(`n${id} applied ${e.index} out of order`);
        app.applied.push(e);
      }
      if (this.autoPersist) this.flush(id);
    }
  }

  /** Storage of `id` completes every pending write. */
  flush(id: NodeId): void {
    const queue = this.pending.get(id)!;
    if (queue.length === 0) return;
    for (const p of queue) this.storages.get(id)!.apply(p);
    const last = queue[queue.length - 1]!.id;
    queue.length = 0;
    this.node(id).persisted(last);
  }

  /** Delivers messages (and their consequences) until none are in flight, within a budget. */
  deliverAll(budget = 10_000): void {
    for (const id of this.ids) this.process(id);
    while (this.inFlight.length > 0) {
      if (--budget < 0) throw new Error('deliverAll: budget exhausted');
      const m = this.inFlight.shift()!;
      if (this.drop(m) || !this.nodes.has(m.to)) continue;
      this.delivered++;
      this.node(m.to).step(m);
      this.process(m.to);
    }
    for (const id of this.ids) this.process(id);
  }

  tickAll(times = 1): void {
    for (let t = 0; t < times; t++) {
      for (const id of this.ids) {
        this.node(id).tick();
        this.process(id);
      }
      this.deliverAll();
    }
  }

  /** Ticks node `id` alone until it campaigns, then lets the election run. */
  campaign(id: NodeId): void {
    const node = this.node(id);
    for (let guard = 0; node.role === 'follower'; guard++) {
      if (guard > ELECTION_MAX * 2) throw new Error('campaign: never timed out');
      node.tick();
    }
    this.process(id);
    this.deliverAll();
  }

  leaders(): NodeId[] {
    return this.ids.filter((id) => this.node(id).role === 'leader');
  }

  /** Crash and restart `id` from what its storage holds (pending writes are lost). */
  restart(id: NodeId): void {
    this.pending.set(id, []);
    this.apps.set(id, { applied: [] });
    this.inFlight = this.inFlight.filter((m) => m.to !== id && m.from !== id);
    const durable = this.storages.get(id)!.durable();
    this.nodes.set(id, new RaftNode<string>(makeConfig(id, this.peers, this.over), durable));
    this.process(id);
  }
}

