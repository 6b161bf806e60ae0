/**
 * The public face of a Raft node (implemented by `RaftNode` in raft.ts).
 * Drive it with `tick`, `step` and `propose`; after any of them, take `ready()` and carry it out.
 */
import type { Message } from './messages.js';
import type { ReadIndexResult } from './readIndex.js';
import type { Ready } from './ready.js';
import type { TransferResult } from './transfer.js';
import type { ConfigChange, ConfigChangeRefusal } from './membership.js';
import type { ClusterConfig, LogEntry, NodeId, Role, Snapshot } from './types.js';

export type ProposeResult =
  | { readonly ok: true; readonly index: number; readonly term: number }
  | { readonly ok: false; readonly reason: 'not-leader'; readonly leaderHint: NodeId | null }
  /**
   * This leader has more uncommitted bytes than config.maxUncommittedBytes: the command was not
   * appended (a definite refusal; retrying later, once the backlog commits, is safe).
   */
  | { readonly ok: false; readonly reason: 'uncommitted-limit' }
  /** This leader is handing leadership to `leaderHint` (transfer.ts): a definite refusal; retry there. */
  | { readonly ok: false; readonly reason: 'transferring'; readonly leaderHint: NodeId };

/** What `proposeConfigChange` answers: the entry appended (and the configuration it makes), or why not. */
export type ConfigChangeResult =
  | { readonly ok: true; readonly index: number; readonly term: number; readonly config: ClusterConfig }
  | { readonly ok: false; readonly reason: 'not-leader'; readonly leaderHint: NodeId | null }
  | { readonly ok: false; readonly reason: 'transferring'; readonly leaderHint: NodeId }
  | { readonly ok: false; readonly reason: ConfigChangeRefusal | 'uncommitted-limit' };

/** A read-only view of a node, for monitors, traces and tests. */
export interface RaftStatus {
  readonly id: NodeId;
  readonly role: Role;
  readonly term: number;
  readonly votedFor: NodeId | null;
  readonly leaderId: NodeId | null;
  readonly commitIndex: number;
  readonly lastApplied: number;
  readonly firstIndex: number;
  readonly lastIndex: number;
  readonly snapshotIndex: number;
}

export interface RaftNodeApi<C = unknown> {
  readonly id: NodeId;
  /**
   * Cheap views for monitors (no allocation, unlike `status()`): role, current term, known
   * leader, commitIndex, lastApplied, and the log's first and last index (firstIndex is
   * snapshotIndex + 1; firstIndex > lastIndex when only the snapshot is left).
   */
  readonly role: Role;
  readonly term: number;
  readonly leaderId: NodeId | null;
  readonly commitIndex: number;
  readonly lastApplied: number;
  readonly firstIndex: number;
  readonly lastIndex: number;
  tick(): void;
  step(message: Message<C>): void;
  propose(command: C): ProposeResult;
  /** A membership change, one server at a time (membership.ts). */
  proposeConfigChange(change: ConfigChange): ConfigChangeResult;
  /** The configuration in force: the latest in the log, committed or not (thesis §4.1). */
  readonly configuration: ClusterConfig;
  /** Index of the entry that set it (0: the snapshot's or the bootstrap configuration). */
  readonly configurationIndex: number;
  /** Leadership transfer (thesis §3.10, transfer.ts): hand leadership to voter `to`. */
  transferLeadership(to: NodeId): TransferResult;
  /** A read without a log entry (ReadIndex, or a lease read): confirmed later as a Ready's ReadState for `ctx`. */
  readIndex(ctx: number): ReadIndexResult;
  /** The application has taken a snapshot of its state through `index` (≤ lastApplied). */
  compact(index: number, data: unknown): void;
  /** Storage reports the PersistRequest with this id (and all before it) durable. */
  persisted(id: number): void;
  hasReady(): boolean;
  ready(): Ready<C>;
  status(): RaftStatus;
  /** Term of the entry at index, or null if compacted away or beyond the log (0 for index 0). */
  termAt(index: number): number | null;
  /** Entries in [from, to], all still in the log (for monitors); throws if compacted. */
  entries(from: number, to: number): readonly LogEntry<C>[];
  /** The entry at index (shared, never mutated; do not modify), or null if compacted or beyond. */
  entryAt(index: number): LogEntry<C> | null;
  snapshot(): Snapshot | null;
  /** Ticks since this leader last heard from a majority, by its own clock; null if not leader or never. */
  ticksSinceQuorumContact(): number | null;
  readonly electionTicksMin: number;
}
