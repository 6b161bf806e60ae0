import type { Message } from './messages.js';
import type { ReadState } from './readIndex.js';
import type { HardState, LogEntry, Snapshot } from './types.js';

/**
 * A batch of work the outside world must carry out for a node, in this order:
 *  1. start `persist` (if any) on storage; when storage reports it durable (fsync done),
 *     call `node.persisted(persist.id)`. Writes complete in the order they were issued.
 *  2. send `messages` (they never depend on state that is not yet durable: the node holds those
 *     back itself until `persisted` releases them, and they then come out in a later Ready);
 *  3. if `snapshotToApply` is set, restore the application from it (before applying `committed`);
 *  4. apply `committed` entries in order;
 *  5. serve each of `readStates` once the application has applied through its index.
 * The node has already counted everything in this Ready as handed over; there is no `advance`.
 */
export interface Ready<C = unknown> {
  readonly persist: PersistRequest<C> | null;
  readonly messages: readonly Message<C>[];
  readonly snapshotToApply: Snapshot | null;
  readonly committed: readonly LogEntry<C>[];
  /** Reads confirmed by the leader (ReadIndex or lease, readIndex.ts); absent when none. */
  readonly readStates?: readonly ReadState[];
}

/**
 * One write to storage. Apply in this order: snapshot (replaces everything up to its index and drops
 * log entries it covers), then entries (truncate the stored log from `entries[0].index` onwards,
 * then append), then hardState.
 *
 * Snapshot rule in full (Raft paper §7): if the stored log holds an entry at
 * `snapshot.lastIncludedIndex` with term `snapshot.lastIncludedTerm`, keep the stored entries after
 * it; otherwise (no entry there, or another term) drop the whole stored log. This is how a
 * follower's log that conflicts with an installed snapshot is discarded.
 *
 * The state storage holds after applying request `id` is exactly the node's in-memory state at the
 * moment it cut that request (the node relies on this for its own durable log index).
 * `DurableState` (for a restart) is built from whatever requests completed, in order.
 */
export interface PersistRequest<C = unknown> {
  /** Increasing per node (1, 2, 3, …) within one incarnation. */
  readonly id: number;
  readonly hardState: HardState | null;
  readonly snapshot: Snapshot | null;
  readonly entries: readonly LogEntry<C>[];
}
