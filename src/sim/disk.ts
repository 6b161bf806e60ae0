/**
 * A node's simulated disk. Fault model: a write becomes durable only when its fsync completes,
 * which takes virtual time; writes complete in the order they were issued; a crash loses every
 * write whose fsync has not completed. Data that was fsynced is never lost or corrupted (that is a
 * different fault model, not injected here).
 */
import type { DurableState, HardState, LogEntry, Snapshot } from '../raft/types.js';
import type { PersistRequest } from '../raft/ready.js';

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

  /** A crash: every write not yet fsynced is lost. */
  crash(): number {
    const lost = this.pending.length;
    this.pending = [];
    this.busyUntil = 0;
    return lost;
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
