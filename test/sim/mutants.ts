/**
 * Nodes broken on purpose, one per monitor, for the end-to-end negative tests: each wraps a real
 * RaftNode and lies to the world in one narrow way (what it reports, or what it writes), so that a
 * real simulated run reaches exactly one invariant's violation through the world's real wiring.
 * Test-only: the simulator takes them through RunOptions.mutant (src/sim/host.ts, NodeMutant).
 */
import type { KvCommand } from '../../src/kv/types.js';
import type { RaftNodeApi } from '../../src/raft/node.js';
import type { RaftNode } from '../../src/raft/raft.js';
import type { Ready } from '../../src/raft/ready.js';
import type { LogEntry, NodeId } from '../../src/raft/types.js';
import type { NodeMutant } from '../../src/sim/host.js';

type Node = RaftNode<KvCommand>;
type Overrides = Partial<Record<keyof RaftNodeApi<KvCommand>, unknown>>;

/**
 * The node with some members replaced: `live` ones (read as values: commitIndex, role, …) are
 * recomputed on every read, `methods` replace functions. Everything else is the real node's.
 */
function lying(node: Node, methods: (real: Node) => Overrides,
  live: Partial<Record<'commitIndex' | 'role' | 'term' | 'lastIndex', () => unknown>> = {}): RaftNodeApi<KvCommand> {
  const replaced = methods(node) as Record<PropertyKey, unknown>;
  return new Proxy(node, {
    get(target, prop) {
      const compute = (live as Record<PropertyKey, (() => unknown) | undefined>)[prop];
      if (compute) return compute();
      if (Object.prototype.hasOwnProperty.call(replaced, prop)) return replaced[prop];
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) as RaftNodeApi<KvCommand>;
}

/** A node whose every Ready passes through `edit` before the world carries it out. */
function editingReady(node: Node, edit: (ready: Ready<KvCommand>, node: Node) => Ready<KvCommand>): RaftNodeApi<KvCommand> {
  return lying(node, (real) => ({ ready: () => edit(real.ready(), real) }));
}

function only(target: NodeId, mutant: NodeMutant): NodeMutant {
  return (id, node) => (id === target ? mutant(id, node) : node);
}

/** A copy of a client command: equal in content, but not the command the leader proposed. */
function forged(entry: LogEntry<KvCommand>): LogEntry<KvCommand> {
  return entry.command === null ? entry : { ...entry, command: { ...entry.command, seq: entry.command.seq + 1_000_000 } };
}

export const MUTANTS = {
  /** n2's storage holds a different command than its peers at the same index and term (log matching, §5.3). */
  forgeStoredCommand: only(2, (_id, node) => editingReady(node, (ready) => (ready.persist === null ? ready : {
    ...ready, persist: { ...ready.persist, entries: ready.persist.entries.map((entry) => (entry.command === null ? entry : { ...entry, command: { ...entry.command, seq: entry.command.seq + 1_000_000 } })) },
  }))),

  /** n2 stores its first entry with another term: it then agrees with its peers on entry 2 but not on the one before. */
  forgeStoredTerm: only(2, (_id, node) => editingReady(node, (ready) => (ready.persist === null ? ready : {
    ...ready, persist: { ...ready.persist, entries: ready.persist.entries.map((entry) => (entry.index === 1 ? { ...entry, term: entry.term + 50 } : entry)) },
  }))),

  /** Every leader says it lacks entry 1 (leader completeness, §5.4). */
  leaderLacksFirstEntry: (_id, node) => lying(node, (real) => ({
    termAt: (index: number) => (index === 1 && real.role === 'leader' ? null : real.termAt(index)),
  })),

  /**
   * n3 reports a different term for every entry it says is committed (state machine safety, the
   * commit side). A follower of no-faults seed 1: a leader's lie would reach the acknowledged-write
   * check first.
   */
  misreportCommittedTerm: only(3, (_id, node) => lying(node, (real) => ({
    termAt: (index: number) => { const term = real.termAt(index); return term === null || index === 0 ? term : term + 100; },
  }))),

  /** n2 applies a different command than its peers at the same index (state machine safety, the apply side). */
  applyForgedCommand: only(2, (_id, node) => editingReady(node, (ready) => ({ ...ready, committed: ready.committed.map(forged) }))),

  /** n2's commitIndex falls back by two on every odd value from 11 on (commit index monotonic). */
  commitGoesBack: only(2, (_id, node) => lying(node, () => ({}), {
    commitIndex: () => { const c = node.commitIndex; return c >= 11 && c % 2 === 1 ? c - 2 : c; },
  })),

  /** n2 reports a commitIndex one past its log once it has committed 3 entries (committed entries exist). */
  commitPastLog: only(2, (_id, node) => lying(node, () => ({}), {
    commitIndex: () => (node.commitIndex >= 3 ? node.lastIndex + 1 : node.commitIndex),
  })),

  /** n2 rewrites its log from its commit index on with every write (truncating a committed entry). */
  rewriteCommitted: only(2, (_id, node) => editingReady(node, (ready, real) => {
    const commit = real.commitIndex;
    const first = ready.persist?.entries[0];
    if (!ready.persist || !first || commit < 2 || first.index <= commit) return ready;
    const rewrite = real.entries(commit, first.index - 1);
    return { ...ready, persist: { ...ready.persist, entries: [...rewrite, ...ready.persist.entries] } };
  })),

  /** The leader acknowledges writes with an entry term the log does not hold (an acknowledged write never committed). */
  acknowledgeWrongTerm: (_id, node) => editingReady(node, (ready, real) => (real.role !== 'leader' ? ready : {
    ...ready, committed: ready.committed.map((entry) => ({ ...entry, term: entry.term + 100 })),
  })),

  /**
   * Leaders never store their own entries, and n3 stores nothing and never answers an append: an
   * acknowledged write ends the run held by one node of three (acknowledged writes survive).
   */
  storeOnFollowerOnly: (id, node) => editingReady(node, (ready, real) => {
    const messages = id === 3 ? ready.messages.filter((m) => m.type !== 'AppendEntriesResponse') : ready.messages;
    const dropEntries = id === 3 || real.role === 'leader';
    const persist = dropEntries && ready.persist !== null ? { ...ready.persist, entries: [] } : ready.persist;
    return { ...ready, messages, persist };
  }),

  /** n1 throws on the 500th message it receives: an exception inside our code. */
  throwOnMessage: only(1, (_id, node) => {
    let received = 0;
    return lying(node, (real) => ({
      step: (message: Parameters<Node['step']>[0]) => {
        if (++received === 500) throw new TypeError('mutant: n1 cannot read this message');
        real.step(message);
      },
    }));
  }),
} satisfies Record<string, NodeMutant>;
