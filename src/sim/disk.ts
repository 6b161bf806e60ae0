/**
 * A node's simulated disk. Fault model: a write becomes durable only when its fsync completes,
 * which takes virtual time; writes complete in the order they were issued; a crash loses every
 * write whose fsync has not completed. Data that was fsynced is never lost or corrupted (that is a
 * different fault model, not injected here).
 *
 * With `crashKeeping`, a crash may instead keep a prefix of the unsynced writes, as a real disk
 * that wrote some of its cache before the power went: whole requests in order, then optionally a
 * torn one (its snapshot and hard state plus a prefix of its entries; never entries without the
 * hard state of their request, or a restarted node could hold an entry above its durable term).
 */
import type { DurableState, HardState, LogEntry, Snapshot } from '../raft/types.js';
import type { PersistRequest } from '../raft/ready.js';

/** What a crash keeps: the first `whole` unsynced writes, then (unless null) that many entries of the next. */
export interface CrashKeep {
  readonly whole: number;
  readonly tornEntries: number | null;
}

export interface CrashOutcome {
  readonly lost: number;
  readonly kept: number;
  /** Entries kept of the torn write, or null when no write was torn. */
  readonly tornEntries: number | null;
}

export class SimDisk<C> {
  private hardState: HardState = { term: 0, votedFor: null };
  private snapshot: Snapshot | null = null;
  /** Durable log after the snapshot: entries[i] has index snapshotIndex + 1 + i. */
  private entries: LogEntry<C>[] = [];
  private pending: PersistRequest<C>[] = [];
  /** The virtual time at which the last issued write completes; fsyncs are serial. */
  private busyUntil = 0;
  /** Told of every write as it becomes durable (the monitors judge durable facts only). */
  onDurable: ((request: PersistRequest<C>) => void) | null = null;

  /** When a write issued now would start: fsyncs are serial, so after the ones before it. */
  serviceStart(now: number): number {
    return Math.max(this.busyUntil, now);
  }

  /** Queues a write; returns the virtual time at which its fsync completes. */
  write(request: PersistRequest<C>, now: number, fsyncMs: number): number {
    this.pending.push(request);
    this.busyUntil = Math.max(this.busyUntil, now) + fsyncMs;
    return this.busyUntil;
  }

  /** The fsync of the oldest pending write completed; it is now durable. Returns its id. */
  completeOldest(): number {
    const request = this.pending.shift();
    if (!request) throw new Error('disk: fsync completed with no write pending');
    this.applyDurably(request);
    return request.id;
  }

  /** A crash: every write not yet fsynced is lost. Returns how many. */
  crash(): number {
    return this.crashKeeping(null).lost;
  }

  /**
   * A crash that keeps what `choose` picks of the unsynced writes (null: nothing). `lost` counts
   * the writes not kept whole (a torn one is among them), `kept` the whole ones.
   */
  crashKeeping(choose: ((pending: readonly PersistRequest<C>[]) => CrashKeep) | null): CrashOutcome {
    const pending = this.pending;
    this.pending = [];
    this.busyUntil = 0;
    const keep = choose === null || pending.length === 0 ? { whole: 0, tornEntries: null } : choose(pending);
    if (keep.whole < 0 || keep.whole > pending.length) throw new Error(`disk: cannot keep ${keep.whole} of ${pending.length} writes`);
    for (let i = 0; i < keep.whole; i++) this.applyDurably(pending[i]!);
    const torn = keep.tornEntries === null ? undefined : pending[keep.whole];
    if (torn && keep.tornEntries !== null) {
      if (keep.tornEntries >= torn.entries.length) throw new Error('disk: a torn write keeps fewer entries than it has');
      // With no entries kept, the request's truncation never reached the disk either.
      this.applyDurably({ ...torn, entries: torn.entries.slice(0, keep.tornEntries) });
    }
    return { lost: pending.length - keep.whole, kept: keep.whole, tornEntries: torn ? keep.tornEntries : null };
  }

  /** Writes issued and not yet fsynced. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** What a restarting node recovers from. */
  recover(): DurableState<C> {
    return { hardState: this.hardState, snapshot: this.snapshot, entries: this.entries.slice() };
  }

  private applyDurably(request: PersistRequest<C>): void {
    this.onDurable?.(request);
    if (request.snapshot) this.installSnapshot(request.snapshot);
    if (request.entries.length > 0) this.appendEntries(request.entries);
    if (request.hardState) this.hardState = request.hardState;
  }

  private installSnapshot(snapshot: Snapshot): void {
    const base = this.snapshot?.lastIncludedIndex ?? 0;
    if (snapshot.lastIncludedIndex <= base) return;
    const offset = snapshot.lastIncludedIndex - base;
    const covered = this.entries[offset - 1];
    // Keep the suffix only if the log holds the snapshot's last entry with the same term (§7).
    this.entries = covered && covered.term === snapshot.lastIncludedTerm ? this.entries.slice(offset) : [];
    this.snapshot = snapshot;
  }

  private appendEntries(entries: readonly LogEntry<C>[]): void {
    const base = this.snapshot?.lastIncludedIndex ?? 0;
    const first = entries[0]!.index;
    const keep = first - base - 1;
    if (keep < 0) {
      // Entries the snapshot already covers: skip them.
      const skip = -keep;
      if (skip < entries.length) this.appendEntries(entries.slice(skip));
      return;
    }
    if (keep > this.entries.length) {
      throw new Error(`disk: write at index ${first} leaves a gap after ${base + this.entries.length}`);
    }
    this.entries.length = keep;
    for (const entry of entries) this.entries.push(entry);
  }
}
