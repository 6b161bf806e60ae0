/**
 * The stored state as the WAL describes it: hard state, snapshot position, and the log after it.
 * The writer keeps one to normalize each PersistRequest (exactly as src/sim/disk.ts applies it);
 * recovery keeps one to replay records. Both apply the same records through `apply`, so what is
 * replayed is what was written.
 *
 * During replay the state may start from a segment header whose earlier segments were deleted:
 * the entries between the snapshot and the header's last index are then unknown (they live, or
 * lived, in the deleted segments). That is fine as long as a later snapshot covers them by the
 * end; `isComplete` says whether it did.
 */
import type { HardState, LogEntry } from '../raft/types.js';
import type { PersistRequest } from '../raft/ready.js';
import type { EntryRecord, RequestRecord, SegmentHeader, SnapshotMarker } from './walRecords.js';

export class LogState<C> {
  hardState: HardState;
  snapshotIndex: number;
  snapshotTerm: number;
  /** entries[i] has index firstKnown + i. Indexes in (snapshotIndex, firstKnown) are unknown. */
  private firstKnown: number;
  private entries: LogEntry<C>[] = [];

  private constructor(hardState: HardState, snapshotIndex: number, snapshotTerm: number, lastIndex: number) {
    if (lastIndex < snapshotIndex) throw new Error(`last index ${lastIndex} is before the snapshot index ${snapshotIndex}`);
    this.hardState = hardState;
    this.snapshotIndex = snapshotIndex;
    this.snapshotTerm = snapshotTerm;
    this.firstKnown = lastIndex + 1;
  }

  static empty<C>(): LogState<C> {
    return new LogState<C>({ term: 0, votedFor: null }, 0, 0, 0);
  }

  static fromHeader<C>(header: SegmentHeader): LogState<C> {
    return new LogState<C>(header.hardState, header.snapshotIndex, header.snapshotTerm, header.lastIndex);
  }

  get lastIndex(): number {
    return this.firstKnown + this.entries.length - 1;
  }

  /** True when every entry after the snapshot is known (always so for the writer). */
  get isComplete(): boolean {
    return this.firstKnown === this.snapshotIndex + 1;
  }

  get unknownRange(): readonly [first: number, last: number] {
    return [this.snapshotIndex + 1, this.firstKnown - 1];
  }

  /** The state as a segment header records it (less the segment's seq). */
  position(): Omit<SegmentHeader, 'seq'> {
    return { hardState: this.hardState, snapshotIndex: this.snapshotIndex, snapshotTerm: this.snapshotTerm, lastIndex: this.lastIndex };
  }

  /** Does the header agree with this state (the state at the end of the previous segment)? */
  matchesHeader(header: SegmentHeader): boolean {
    return header.snapshotIndex === this.snapshotIndex && header.snapshotTerm === this.snapshotTerm &&
      header.lastIndex === this.lastIndex && header.hardState.term === this.hardState.term &&
      header.hardState.votedFor === this.hardState.votedFor;
  }

  get knownEntries(): readonly LogEntry<C>[] {
    return this.entries;
  }

  private termAt(index: number): number | undefined {
    if (index < this.firstKnown) return undefined;
    return this.entries[index - this.firstKnown]?.term;
  }

  /**
   * Normalizes a request against this state, with the semantics of SimDisk: a snapshot at or
   * before the stored one is ignored; entries the snapshot covers are skipped; the §7 rule is
   * decided here and written down. Returns null when the request changes nothing. Does not
   * mutate; throws on a request that would leave a gap in the log.
   */
  plan(request: PersistRequest<C>): RequestRecord<C> | null {
    let snapshot: SnapshotMarker | undefined;
    let snapshotIndex = this.snapshotIndex;
    let lastIndex = this.lastIndex;
    const s = request.snapshot;
    if (s && s.lastIncludedIndex > this.snapshotIndex) {
      const keepLog = this.termAt(s.lastIncludedIndex) === s.lastIncludedTerm;
      snapshot = { index: s.lastIncludedIndex, term: s.lastIncludedTerm, keepLog };
      snapshotIndex = s.lastIncludedIndex;
      if (!keepLog) lastIndex = snapshotIndex;
    }
    request.entries.forEach((e, i) => {
      if (e.index !== request.entries[0]!.index + i) throw new Error(`persist ${request.id}: entries are not contiguous at index ${e.index}`);
    });
    const entries = request.entries.filter((e) => e.index > snapshotIndex);
    const from = entries[0]?.index;
    if (from !== undefined && from > lastIndex + 1) {
      throw new Error(`persist ${request.id}: entries from index ${from} leave a gap after ${lastIndex}`);
    }
    if (!snapshot && from === undefined && !request.hardState) return null;
    return {
      id: request.id,
      ...(snapshot && { snapshot }),
      ...(from !== undefined && { from, entries: entries.map(entryRecord) }),
      ...(request.hardState && { hardState: { term: request.hardState.term, votedFor: request.hardState.votedFor } }),
    };
  }

  /** Applies a normalized record; throws (with the reason) if it cannot follow this state. */
  apply(record: RequestRecord<C>): void {
    if (record.snapshot) this.applySnapshot(record.snapshot);
    if (record.entries && record.from !== undefined) this.applyEntries(record.from, record.entries);
    if (record.hardState) this.hardState = record.hardState;
  }

  private applySnapshot({ index, term, keepLog }: SnapshotMarker): void {
    if (index <= this.snapshotIndex) throw new Error(`snapshot marker ${index} does not advance past ${this.snapshotIndex}`);
    const storedTerm = this.termAt(index);
    if (keepLog) {
      if (index > this.lastIndex) throw new Error(`snapshot marker ${index} keeps a log that ends at ${this.lastIndex}`);
      if (storedTerm !== undefined && storedTerm !== term) throw new Error(`snapshot marker ${index}/${term} keeps a log whose entry there has term ${storedTerm}`);
      if (index >= this.firstKnown) {
        this.entries = this.entries.slice(index - this.firstKnown + 1);
        this.firstKnown = index + 1;
      }
    } else {
      if (storedTerm === term) throw new Error(`snapshot marker ${index}/${term} drops a log that matches it`);
      this.entries = [];
      this.firstKnown = index + 1;
    }
    this.snapshotIndex = index;
    this.snapshotTerm = term;
  }

  private applyEntries(from: number, entries: readonly EntryRecord<C>[]): void {
    if (from <= this.snapshotIndex) throw new Error(`entries from ${from} are covered by the snapshot at ${this.snapshotIndex}`);
    if (from > this.lastIndex + 1) throw new Error(`entries from ${from} leave a gap after ${this.lastIndex}`);
    if (from < this.firstKnown) {
      // Truncating into the unknown part: everything unknown from `from` on is gone anyway.
      this.entries = [];
      this.firstKnown = from;
    } else {
      this.entries.length = from - this.firstKnown;
    }
    entries.forEach(([term, command, config], i) => {
      this.entries.push(config === undefined ? { index: from + i, term, command } : { index: from + i, term, command, config });
    });
  }
}

/** An entry as the WAL stores it: [term, command], or [term, null, configuration] for a configuration entry. */
function entryRecord<C>(e: LogEntry<C>): EntryRecord<C> {
  return e.config === undefined ? [e.term, e.command] : [e.term, null, e.config];
}
