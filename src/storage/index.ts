/**
 * The storage engine, shared by the runtime and the simulator: a node's durable storage as a
 * write-ahead log in segment files plus snapshot files, with group commit. Semantics are those of
 * src/sim/disk.ts (see PersistRequest in src/raft/ready.ts); the on-disk format is described in
 * walRecords.ts, frame.ts and snapshotFile.ts. It touches the world only through a StorageEnv
 * (storageEnv.ts): the runtime passes a real disk (src/runtime/nodeStorageEnv.ts), the simulator
 * an in-memory one in virtual time.
 */
import type { PersistRequest } from '../raft/ready.js';
import type { DurableState } from '../raft/types.js';
import { openNodeStorage } from './nodeStorage.js';
import type { SnapshotCodec } from './snapshotStream.js';
import type { StorageVariant } from './storageVariant.js';
export type { StorageVariant } from './storageVariant.js';
export { Durability } from './durability.js';
export type { FrameRead } from './frame.js';
export { FRAME_HEADER_BYTES } from './frame.js';
export { NOTHING_CLAIMED } from './durableMark.js';
import type { StorageEnv } from './storageEnv.js';

export type { SnapshotBuilder, SnapshotCodec } from './snapshotStream.js';
export type { DirLock, OpenFlags, StorageClock, StorageEnv, StorageFile, StorageFs } from './storageEnv.js';

export { StorageCorruptError, WalMissingError } from './storageCorruptError.js';
export { DataDirInUseError, LOCK_NAME, LockFileUnreadableError } from './lockErrors.js';
export { StorageAccessError, isStorageRefusal } from './storageErrors.js';

export interface StorageOptions {
  readonly segmentBytes?: number;   // roll to a new segment file past this size (default 64 MiB)
  readonly preallocateBytes?: number; // zeros written ahead of the appends, within a segment (default 4 MiB; 0: none)
  readonly fsync?: boolean;         // default true; false only for tests/benchmarks that say so
  /** Where recovery's one-line notices go (a torn tail cut, a stale lock taken over). */
  readonly log: (line: string) => void;
  /** How the application's state becomes snapshot pieces and back (default: the whole state as one piece). */
  readonly snapshotCodec?: SnapshotCodec;
  /** Parts replaced by a variant: only the bug catalog passes one (see storageVariant.ts). */
  readonly variant?: StorageVariant;
}

export interface StorageStats { readonly fsyncs: number; readonly bytesWritten: number; readonly lastFsyncMs: number; }

export interface NodeStorage<C> {
  /** What the node restarts from (read at open). */
  readonly recovered: DurableState<C>;
  /** Queue a request; resolves when it (and every request before it) is durable. Requests resolve in order.
   *  Group commit: requests queued while an fsync is running are written together and share the next fsync. */
  persist(request: PersistRequest<C>): Promise<void>;
  readonly stats: StorageStats;
  /**
   * The node knows entries through `index` are committed. Recorded (up to what is durable) with
   * the next batch; recovery refuses a log that ends below a recorded commit index.
   */
  noteCommitted?(index: number): void;
  /** Optional hook for metrics: called with each fsync's duration in ms. */
  onFsync?: (ms: number) => void;
  close(): Promise<void>;
}

/**
 * Opens (creating if needed) the storage in `dir` on `env`, and recovers what it holds. Throws
 * DataDirInUseError if another live process or open storage holds the directory's lock,
 * StorageCorruptError (WalMissingError when durable records are gone) if the directory holds
 * damage other than a torn last write, StorageAccessError for a file system refusal (read-only,
 * no permission, no space, not a directory). `isStorageRefusal` tells all of these apart from bugs.
 */
export function openStorage<C>(env: StorageEnv, dir: string, options: StorageOptions): Promise<NodeStorage<C>> {
  return openNodeStorage<C>(env, dir, options);
}
