/**
 * The vocabulary of the Raft core: ids, log entries, durable state, snapshots.
 * Nothing here does anything; see `raft.ts` for the state machine.
 */

/** A node's id. Ids are small positive integers (1..n), printed as `n1`, `n2`, … */
export type NodeId = number;

/** Log positions start at 1; index 0 with term 0 is the empty log's sentinel. */
export interface LogEntry<C = unknown> {
  readonly index: number;
  readonly term: number;
  /**
   * The application's command, or null for the no-op a leader appends at the start of its term and
   * for a configuration entry.
   */
  readonly command: C | null;
  /** Set only on a configuration entry (membership.ts; command is then null): the new configuration. */
  readonly config?: ClusterConfig;
}

/**
 * A cluster configuration (thesis ch. 4): the voters, whose majorities elect and commit, and the
 * learners, which receive the log but neither vote nor count. Both sorted ascending, disjoint.
 */
export interface ClusterConfig {
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
}

/** What must survive a crash besides the log (Raft paper, Figure 2). */
export interface HardState {
  readonly term: number;
  /** The node voted for in `term`, or null. */
  readonly votedFor: NodeId | null;
}

/**
 * A snapshot of the application state covering every entry up to `lastIncludedIndex`.
 * `data` is opaque to Raft; the application (the KV store) produces and restores it.
 * It is treated as immutable once made.
 */
export interface Snapshot {
  readonly lastIncludedIndex: number;
  readonly lastIncludedTerm: number;
  readonly data: unknown;
  /**
   * The configuration as of lastIncludedIndex (thesis §5.1: a snapshot carries the latest
   * configuration it covers). The core always sets it; absent only in snapshots stored before
   * membership changes existed, which mean the bootstrap configuration (RaftConfig.peers).
   */
  readonly config?: ClusterConfig;
}

/** Everything a node recovers from on restart: what its storage holds durably. */
export interface DurableState<C = unknown> {
  readonly hardState: HardState;
  readonly snapshot: Snapshot | null;
  /** The log after the snapshot, contiguous, starting at snapshot.lastIncludedIndex + 1 (or 1). */
  readonly entries: readonly LogEntry<C>[];
}

/**
 * 'pre-candidate' (thesis §9.6, etcd-raft's StatePreCandidate): asking for pre-votes, only with
 * config.preVote. It has not changed its term or vote, so it is no candidate for election safety.
 */
export type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

/**
 * The only randomness the core may use: injected, seeded by whoever builds the node.
 * `rangeInclusive(min, max)` returns an integer in [min, max].
 */
export interface RandomSource {
  rangeInclusive(min: number, max: number): number;
}
