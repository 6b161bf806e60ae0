/**
 * NodeStorage on the environment's file system (storageEnv.ts): recovery at open, then a queue of persist requests written by group
 * commit. While one batch is being written and fsynced, new requests wait; the next batch takes
 * all of them at once and shares one fsync. A request resolves only after its batch's fsync, and
 * batches resolve in order, so requests resolve in order.
 *
 * Fail-stop: after any write or fsync error (or a request that would leave a gap in the log) the
 * on-disk state is no longer known to match what the node believes, so every later request is
 * rejected. The process should crash and recover from disk.
 */
import { dirname, join } from 'node:path';
import type { PersistRequest } from '../raft/ready.js';
import type { DurableState, Snapshot } from '../raft/types.js';
import { Durability } from './durability.js';
import { DurableMark, type DurablePosition } from './durableMark.js';
import { snapshotName } from './fileNames.js';
import type { DirLock, StorageClock, StorageEnv, StorageFs } from './storageEnv.js';
import { explainFsError } from './storageErrors.js';
import { encodeFrame } from './frame.js';
import type { NodeStorage, StorageOptions, StorageStats } from './index.js';
import type { LogState } from './logState.js';
import type { RequestRecord } from './walRecords.js';
import type { EntryOrigins } from './entryOrigins.js';
import { readStorageDirectory } from './recovery.js';
import { CORRECT_ENGINE } from './storageVariant.js';
import type { RecoveryPlan } from './recovery.js';
import { writeSnapshotFile } from './snapshotFile.js';
import { WHOLE_VALUE_CODEC, type SnapshotCodec } from './snapshotStream.js';
import { encodeRequest } from './walRecords.js';
import { WalWriter } from './walWriter.js';
import type { FramedRecord } from './walWriter.js';

export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
/** Zeros written ahead of the appends (walWriter.ts): one extra length change per 4 MiB of log. */
export const DEFAULT_PREALLOCATE_BYTES = 4 * 1024 * 1024;
/** The durable mark lags what is durable by at most this long (see recordMark). */
export const MARK_INTERVAL_MS = 100;

interface Queued<C> {
  readonly request: PersistRequest<C>;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export async function openNodeStorage<C>(env: StorageEnv, dir: string, options: StorageOptions): Promise<NodeStorage<C>> {
  const segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
  if (!Number.isSafeInteger(segmentBytes) || segmentBytes <= 0) throw new RangeError(`segmentBytes must be a positive integer, not ${segmentBytes}`);
  const preallocateBytes = options.preallocateBytes ?? DEFAULT_PREALLOCATE_BYTES;
  if (!Number.isSafeInteger(preallocateBytes) || preallocateBytes < 0) throw new RangeError(`preallocateBytes must be a non-negative integer, not ${preallocateBytes}`);
  const { fs, clock } = env;
  const { log } = options;
  const variant = { ...CORRECT_ENGINE, ...options.variant };
  const durability = variant.durability(options.fsync ?? true, fs, clock);
  let lock: DirLock | null = null;
  try {
    // Every directory it created must be durable in its parent, or a crash can take the whole tree.
    const first = await fs.mkdirp(dir);
    if (first !== null) for (const created of createdLevels(first, dir)) await durability.syncDir(dirname(created));
    // Before recovery: recovery cuts and deletes files, which must not happen under a live node.
    lock = await env.lock(dir, log);
    const codec = options.snapshotCodec ?? WHOLE_VALUE_CODEC;
    const plan = await readStorageDirectory<C>(fs, dir, codec, variant);
    await carryOut(fs, dir, plan, durability, log);
    const mark = plan.mark ? await DurableMark.open(fs, dir, plan.mark.counter, plan.mark.position) : await DurableMark.create(fs, dir, durability);
    const wal = await WalWriter.open(fs, dir, durability, { segmentBytes, preallocateBytes }, plan.segments,
      { size: plan.tailSize, headerEnd: plan.tailHeaderEnd, fileSize: plan.tailFileSize },
      plan.state.position());
    return new DiskNodeStorage<C>({ fs, clock, dir, durability, wal, mark, lock, codec }, plan.state, plan.origins, plan.snapshot);
  } catch (error) {
    await lock?.release().catch(() => undefined); // the error that stopped the open is the one to report
    throw explainFsError(error, dir);
  }
}

/** The directories from `first` (the outermost one mkdir created) down to `dir`, outermost first. */
function createdLevels(first: string, dir: string): string[] {
  const levels: string[] = [];
  for (let level = dir; level.length >= first.length && level !== dirname(level); level = dirname(level)) levels.unshift(level);
  return levels;
}

/** Cuts the torn tail (saying so) and deletes leftovers, durably, before anything new is written. */
async function carryOut<C>(fs: StorageFs, dir: string, plan: RecoveryPlan<C>, durability: Durability, log: (line: string) => void): Promise<void> {
  const { cut } = plan;
  if (cut) log(`${join(dir, cut.name)}: cut a torn tail at byte ${cut.size} (${cut.dropped} bytes dropped; written after the last durable record)`);
  if (cut && cut.size === 0) await fs.unlink(join(dir, cut.name));
  if (cut && cut.size > 0) {
    const path = join(dir, cut.name);
    await fs.truncate(path, cut.size);
    // The cut must be durable before appends reuse those bytes, or garbage could reappear after them.
    const file = await fs.open(path, 'r+');
    try {
      await durability.syncFile(file);
    } finally {
      await file.close();
    }
  }
  for (const name of plan.obsolete) await fs.unlink(join(dir, name));
  if (cut || plan.obsolete.length > 0) await durability.syncDir(dir);
}

/** The open files and the lock of one storage directory. */
interface OpenDirectory {
  readonly fs: StorageFs;
  readonly clock: StorageClock;
  readonly dir: string;
  readonly durability: Durability;
  readonly wal: WalWriter;
  readonly mark: DurableMark;
  readonly lock: DirLock;
  readonly codec: SnapshotCodec;
}

class DiskNodeStorage<C> implements NodeStorage<C> {
  readonly recovered: DurableState<C>;
  private queue: Queued<C>[] = [];
  private draining: Promise<void> | null = null;
  private failure: Error | null = null;
  private closed = false;
  /** The highest commit index the node reported (noteCommitted), or the one recovered. */
  private committed: number;
  /** The snapshot file the stored state refers to (others are deleted once it is durable). */
  private snapshotFile: string | null;
  /** The mark writes under way, chained (see recordMark); never rejects: failures land in markFailure. */
  private markWrite: Promise<void> = Promise.resolve();
  private markFailure: Error | null = null;
  /** A durable position not yet recorded, and when the mark was last written. */
  private pendingMark: DurablePosition | null = null;
  private lastMarkAt = -Infinity;
  /** Cancels the timer that writes a pending mark (see recordMark); null when none is armed. */
  private cancelMarkTimer: (() => void) | null = null;

  private readonly dir: string;
  private readonly durability: Durability;
  private readonly wal: WalWriter;

  constructor(
    private readonly files: OpenDirectory,
    /** The stored state, including every request already handed to the WAL. */
    private readonly state: LogState<C>,
    private readonly origins: EntryOrigins,
    snapshot: Snapshot | null,
  ) {
    this.dir = files.dir;
    this.durability = files.durability;
    this.wal = files.wal;
    this.committed = files.mark.position.commitIndex;
    this.recovered = { hardState: state.hardState, snapshot, entries: state.knownEntries.slice() };
    this.snapshotFile = snapshot && snapshotName(snapshot.lastIncludedIndex, snapshot.lastIncludedTerm);
  }

  get stats(): StorageStats {
    return { ...this.durability.stats };
  }

  get onFsync(): ((ms: number) => void) | undefined {
    return this.durability.onFsync;
  }

  set onFsync(hook: ((ms: number) => void) | undefined) {
    this.durability.onFsync = hook;
  }

  noteCommitted(index: number): void {
    if (Number.isSafeInteger(index) && index > this.committed) this.committed = index;
  }

  persist(request: PersistRequest<C>): Promise<void> {
    if (this.closed) return Promise.reject(new Error('storage: persist after close'));
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.draining;
    this.cancelMarkTimer?.();
    this.cancelMarkTimer = null;
    if (this.pendingMark !== null) void this.writeMark(this.pendingMark, false);
    await this.markWrite;
    await this.wal.close();
    await this.files.mark.close();
    await this.files.lock.release();
  }

  private async drain(): Promise<void> {
    // Let the rest of the current turn queue its requests too: they then share the first fsync.
    await null;
    for (;;) {
      const batch = this.queue.splice(0);
      if (batch.length === 0) {
        this.draining = null;
        return;
      }
      await this.writeBatch(batch);
    }
  }

  private async writeBatch(batch: readonly Queued<C>[]): Promise<void> {
    if (this.failure) return this.rejectAll(batch, this.failure);
    let settled = 0;
    try {
      if (this.markFailure) throw this.markFailure;
      const { records, snapshots, planned, invalid } = this.plan(batch);
      // A snapshot file must be durable before the WAL record that refers to it can be.
      for (const snapshot of snapshots) this.durability.stats.bytesWritten += await writeSnapshotFile(this.files.fs, this.dir, snapshot, this.durability, this.files.codec);
      if (snapshots.length > 0) await this.durability.syncDir(this.dir);
      if (records.length > 0) {
        const seqs = await this.wal.append(records.map((r) => r.framed));
        records.forEach(({ record }, i) => {
          if (record.snapshot && !record.snapshot.keepLog) this.origins.cleared();
          if (record.from !== undefined) this.origins.written(record.from, seqs[i]!);
        });
        // Only now, after the fsync, is the batch claimed as durable; synced before segments are deleted.
        // A follower can know a commit index beyond its durable log: only what is durable is claimed.
        const commitIndex = Math.max(this.files.mark.position.commitIndex, Math.min(this.committed, this.state.lastIndex));
        const position = { ...this.wal.position, lastIndex: this.state.lastIndex, term: this.state.hardState.term, commitIndex };
        await this.recordMark(position, snapshots.length > 0);
      }
      // Cleaning up before resolving costs a snapshot request some latency (snapshots are rare),
      // and means that once persist resolves, the files the snapshot covers are gone.
      const last = snapshots.at(-1);
      if (last) await this.dropWhatSnapshotCovers(last, snapshots);
      for (; settled < planned; settled++) batch[settled]!.resolve();
      if (invalid) throw invalid;
    } catch (error) {
      const explained = explainFsError(error, this.dir);
      this.failure = explained instanceof Error ? explained : new Error(String(explained));
      this.rejectAll(batch.slice(settled), this.failure);
    }
  }

  /**
   * Normalizes the batch's requests against the stored state, advancing it, and frames them.
   * Stops at the first invalid request: those before it are still written.
   */
  private plan(batch: readonly Queued<C>[]): { records: { record: RequestRecord<C>; framed: FramedRecord }[]; snapshots: Snapshot[]; planned: number; invalid: Error | null } {
    const records: { record: RequestRecord<C>; framed: FramedRecord }[] = [];
    const snapshots: Snapshot[] = [];
    let planned = 0;
    for (const { request } of batch) {
      let record;
      try {
        record = this.state.plan(request);
      } catch (error) {
        return { records, snapshots, planned, invalid: error as Error };
      }
      planned++;
      if (!record) continue;
      const stateBefore = this.state.position();
      this.state.apply(record);
      if (record.snapshot) snapshots.push(request.snapshot!);
      records.push({ record, framed: { frame: encodeFrame(encodeRequest(record)), stateBefore } });
    }
    return { records, snapshots, planned, invalid: null };
  }

  /**
   * Records how far the WAL is durable. The mark only ever claims what is already synced, so it
   * may lag, and it does, by design: it is written when the WAL rolls to a new segment, before
   * any segment is deleted (then synced, so it never points into a deleted segment), at close,
   * and otherwise at most every MARK_INTERVAL_MS (a timer catches the last batch of a burst).
   * Written on every batch it cost about a fifth of the appends at one request in flight (the
   * file's inode joins every fsync's journal commit). One mark write at a time; a failed one fails
   * the next batch, and the storage with it.
   */
  private async recordMark(position: DurablePosition, beforeDeleting: boolean): Promise<void> {
    const rolled = position.seq !== this.files.mark.position.seq;
    if (beforeDeleting || rolled || this.files.clock.now() - this.lastMarkAt >= MARK_INTERVAL_MS) {
      await this.writeMark(position, beforeDeleting);
      return;
    }
    this.pendingMark = position;
    if (this.cancelMarkTimer === null) {
      this.cancelMarkTimer = this.files.clock.after(MARK_INTERVAL_MS, () => {
        this.cancelMarkTimer = null;
        if (this.pendingMark !== null && !this.closed) void this.writeMark(this.pendingMark, false);
      });
    }
  }

  /** Queues a mark write after the one under way; resolves at once unless `sync` (then when it is durable). */
  private writeMark(position: DurablePosition, sync: boolean): Promise<void> {
    this.pendingMark = null;
    this.lastMarkAt = this.files.clock.now();
    const write = this.markWrite.then(() => this.files.mark.record(position, this.durability, sync));
    this.markWrite = write.catch((error: unknown) => {
      this.markFailure ??= error instanceof Error ? error : new Error(String(error));
    });
    return sync ? write : Promise.resolve();
  }

  /** Once the WAL refers to `current` durably, older snapshots and the segments it makes unneeded can go. */
  private async dropWhatSnapshotCovers(current: Snapshot, written: readonly Snapshot[]): Promise<void> {
    const stale = [this.snapshotFile, ...written.map((s) => snapshotName(s.lastIncludedIndex, s.lastIncludedTerm))];
    this.snapshotFile = snapshotName(current.lastIncludedIndex, current.lastIncludedTerm);
    for (const name of new Set(stale)) if (name && name !== this.snapshotFile) await this.files.fs.unlink(join(this.dir, name));
    await this.durability.syncDir(this.dir);
    // The oldest segment still needed holds the first entry after the snapshot (or, with no
    // entries left, is the current one).
    const first = current.lastIncludedIndex + 1;
    const needed = this.state.lastIndex >= first ? this.origins.segmentOf(first) : this.wal.currentSeq;
    if (needed === null) throw new Error(`storage: no segment is known to hold entry ${first}`);
    await this.wal.deleteSegmentsBefore(needed);
  }

  /** Rejects `batch` and everything queued after it. */
  private rejectAll(batch: readonly Queued<C>[], error: Error): void {
    for (const queued of [...batch, ...this.queue.splice(0)]) queued.reject(error);
  }
}
