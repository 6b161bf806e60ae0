/**
 * The monitors' own record of what each node's storage holds durably: term, vote, snapshot and the
 * (index, term, command) of every log entry. It is fed the writes in the order they become durable
 * (an fsync completes, or a crash keeps a prefix of the unsynced writes), and follows the storage
 * rules of PersistRequest (src/raft/ready.ts). Monitors judge durable facts from here, never from a
 * node's memory, so that a write a crash discards never counts (issue 8: no false alarm).
 */
import type { PersistRequest } from '../raft/ready.js';
import type { ClusterConfig, DurableState, LogEntry, NodeId } from '../raft/types.js';

interface NodeDurable {
  term: number;
  snapshotIndex: number;
  snapshotTerm: number;
  /** The snapshot's configuration (null: none stored, the bootstrap one applies). */
  snapshotConfig: ClusterConfig | null;
  /** entries[i] has index snapshotIndex + 1 + i. */
  entries: LogEntry[];
}

/** What one durable write did to a node's log. */
export interface DurableChange {
  /** The first index rewritten when the write replaced existing entries (a truncation), else 0. */
  readonly truncatedFrom: number;
  /** How many durable entries the truncation removed (before the new ones were appended). */
  readonly truncatedCount: number;
}

const NO_CHANGE: DurableChange = Object.freeze({ truncatedFrom: 0, truncatedCount: 0 });

export class DurableView {
  private readonly nodes: NodeDurable[] = [];

  constructor(nodeCount: number) {
    for (let i = 0; i <= nodeCount; i++) this.nodes.push({ term: 0, snapshotIndex: 0, snapshotTerm: 0, snapshotConfig: null, entries: [] });
  }

  /** Applies one write that just became durable on `node`. */
  apply(node: NodeId, request: PersistRequest): DurableChange {
    const state = this.nodes[node]!;
    let change = NO_CHANGE;
    if (request.snapshot) installSnapshot(state, request.snapshot.lastIncludedIndex, request.snapshot.lastIncludedTerm, request.snapshot.config ?? null);
    if (request.entries.length > 0) change = appendEntries(state, request.entries);
    if (request.hardState) {
      if (request.hardState.term < state.term) throw new Error(`durable view: n${node}'s durable term went back from ${state.term} to ${request.hardState.term}`);
      state.term = request.hardState.term;
    }
    return change;
  }

  /** The node's storage now holds exactly `state` (a restart from the storage engine). */
  replace(node: NodeId, state: DurableState): void {
    this.nodes[node] = {
      term: state.hardState.term,
      snapshotIndex: state.snapshot?.lastIncludedIndex ?? 0,
      snapshotTerm: state.snapshot?.lastIncludedTerm ?? 0,
      snapshotConfig: state.snapshot?.config ?? null,
      entries: state.entries.slice(),
    };
  }

  term(node: NodeId): number {
    return this.nodes[node]!.term;
  }

  snapshotIndex(node: NodeId): number {
    return this.nodes[node]!.snapshotIndex;
  }

  lastIndex(node: NodeId): number {
    const state = this.nodes[node]!;
    return state.snapshotIndex + state.entries.length;
  }

  /** The durable term at `index` (0 at index 0, the snapshot's at its index), or null if absent or compacted. */
  termAt(node: NodeId, index: number): number | null {
    const state = this.nodes[node]!;
    if (index === 0) return 0;
    if (index === state.snapshotIndex) return state.snapshotTerm;
    if (index < state.snapshotIndex) return null;
    return state.entries[index - state.snapshotIndex - 1]?.term ?? null;
  }

  /**
   * The configuration in force in the node's durable log just before `index`: the latest
   * configuration entry below it, else the snapshot's; null when neither (the bootstrap one).
   */
  configBefore(node: NodeId, index: number): ClusterConfig | null {
    const state = this.nodes[node]!;
    for (let i = Math.min(index - 1, state.snapshotIndex + state.entries.length) - state.snapshotIndex - 1; i >= 0; i--) {
      const config = state.entries[i]!.config;
      if (config !== undefined) return config;
    }
    return state.snapshotConfig;
  }

  /** Whether the durable state holds the entry (index, term), counting a snapshot that covers it. */
  holds(node: NodeId, index: number, term: number): boolean {
    if (index <= this.nodes[node]!.snapshotIndex) return true;
    return this.termAt(node, index) === term;
  }
}

function installSnapshot(state: NodeDurable, index: number, term: number, config: ClusterConfig | null): void {
  if (index <= state.snapshotIndex) return;
  state.snapshotConfig = config;
  const offset = index - state.snapshotIndex;
  const covered = state.entries[offset - 1];
  // §7: keep the suffix only if the log holds the snapshot's last entry with the same term.
  state.entries = covered && covered.term === term ? state.entries.slice(offset) : [];
  state.snapshotIndex = index;
  state.snapshotTerm = term;
}

function appendEntries(state: NodeDurable, written: readonly LogEntry[]): DurableChange {
  const skip = Math.max(0, state.snapshotIndex + 1 - written[0]!.index);
  if (skip >= written.length) return NO_CHANGE;
  const first = written[skip]!.index;
  const keep = first - state.snapshotIndex - 1;
  if (keep > state.entries.length) throw new Error(`durable view: write at index ${first} leaves a gap after ${state.snapshotIndex + state.entries.length}`);
  const removed = state.entries.length - keep;
  state.entries.length = keep;
  for (let i = skip; i < written.length; i++) state.entries.push(written[i]!);
  return removed > 0 ? { truncatedFrom: first, truncatedCount: removed } : NO_CHANGE;
}
