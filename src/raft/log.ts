import { assert } from './assert.js';
import { ConfigHistory } from './configHistory.js';
import type { ClusterConfig, LogEntry } from './types.js';

/**
 * The in-memory Raft log after the last snapshot (Raft paper §5.3, §7).
 *
 * Entries `snapshotIndex + 1 .. lastIndex` live in one array at position `index - snapshotIndex - 1`,
 * so `termAt` and `entryAt` are O(1). Index `snapshotIndex` is still known by its term (the
 * snapshot's lastIncludedTerm), which is what the AppendEntries consistency check needs at the
 * boundary; anything below it is compacted and answers null.
 *
 * Invariants: entries are contiguous; terms never decrease along the log; entry objects are shared
 * and never mutated (messages and persist requests hold the same objects, nothing is copied).
 */
export class RaftLog<C> {
  private entries: LogEntry<C>[];
  private offset: number;
  private offsetTerm: number;
  /** The configuration entries held (membership.ts): every change to `entries` goes through it too. */
  private readonly configs: ConfigHistory;

  /** `baseConfig`: the configuration as of the snapshot (or the bootstrap one, with no snapshot). */
  constructor(
    snapshotIndex = 0,
    snapshotTerm = 0,
    entries: readonly LogEntry<C>[] = [],
    baseConfig: ClusterConfig = { voters: [], learners: [] },
  ) {
    assert(snapshotIndex >= 0, 'log: negative snapshot index');
    this.offset = snapshotIndex;
    this.offsetTerm = snapshotTerm;
    this.entries = [];
    this.configs = new ConfigHistory(baseConfig);
    this.append(entries, 0);
  }

  /** The configuration in force: the latest in the log, committed or not (thesis §4.1). */
  get config(): ClusterConfig {
    return this.configs.latest;
  }

  /** Index of the latest configuration entry held (0 if the configuration comes from the snapshot or bootstrap). */
  get configIndex(): number {
    return this.configs.latestIndex;
  }

  /** The configuration in force at `index` (≥ snapshotIndex), for a snapshot taken there. */
  configAt(index: number): ClusterConfig {
    return this.configs.at(index);
  }

  get snapshotIndex(): number {
    return this.offset;
  }

  get snapshotTerm(): number {
    return this.offsetTerm;
  }

  /** The first index still held as an entry (snapshotIndex + 1; may exceed lastIndex if empty). */
  get firstIndex(): number {
    return this.offset + 1;
  }

  get lastIndex(): number {
    return this.offset + this.entries.length;
  }

  get lastTerm(): number {
    const n = this.entries.length;
    return n === 0 ? this.offsetTerm : this.entries[n - 1]!.term;
  }

  /** Term at `index`: the snapshot's term at snapshotIndex, null if compacted or beyond the log. */
  termAt(index: number): number | null {
    if (index === this.offset) return this.offsetTerm;
    if (index < this.offset || index > this.offset + this.entries.length) return null;
    return this.entries[index - this.offset - 1]!.term;
  }

  /** The entry at `index`, or null if compacted or beyond the log. No copy. */
  entryAt(index: number): LogEntry<C> | null {
    if (index <= this.offset || index > this.offset + this.entries.length) return null;
    return this.entries[index - this.offset - 1]!;
  }

  /** True if the log holds an entry (or the snapshot boundary) at `index` with term `term`. */
  matchTerm(index: number, term: number): boolean {
    return this.termAt(index) === term;
  }

  /**
   * The index of the first of `entries[from..]` that this log lacks or holds with another term, or
   * 0 if the log already holds all of them. Entries must be contiguous and above snapshotIndex.
   * Used so that only conflicting entries are truncated, never matching ones (§5.3: "if an existing
   * entry conflicts with a new one … delete the existing entry and all that follow it").
   */
  findConflict(entries: readonly LogEntry<C>[], from: number): number {
    for (let k = from; k < entries.length; k++) {
      const entry = entries[k]!;
      if (this.termAt(entry.index) !== entry.term) return entry.index;
    }
    return 0;
  }

  /** Appends `entries[from..]`, which must start right after lastIndex. */
  append(entries: readonly LogEntry<C>[], from: number): void {
    if (from >= entries.length) return;
    assert(entries[from]!.index === this.lastIndex + 1, 'log: append not contiguous');
    let lastTerm = this.lastTerm;
    for (let k = from; k < entries.length; k++) {
      const entry = entries[k]!;
      assert(entry.term >= lastTerm, 'log: terms must not decrease');
      lastTerm = entry.term;
      this.entries.push(entry);
      this.configs.appended(entry);
    }
  }

  /** Appends one entry, which must have index lastIndex + 1. */
  appendOne(entry: LogEntry<C>): void {
    assert(entry.index === this.lastIndex + 1, 'log: append not contiguous');
    assert(entry.term >= this.lastTerm, 'log: terms must not decrease');
    this.entries.push(entry);
    this.configs.appended(entry);
  }

  /** Drops the entries at `index` and above. `index` must be above snapshotIndex. */
  truncateFrom(index: number): void {
    assert(index > this.offset, 'log: cannot truncate the snapshot');
    if (index > this.lastIndex) return;
    this.entries.length = index - this.offset - 1;
    this.configs.truncatedFrom(index);
  }

  /** A new array with the entries in [from, to] (inclusive), all of which must be in the log. */
  slice(from: number, to: number): LogEntry<C>[] {
    if (to < from) return [];
    assert(from > this.offset, 'log: slice below the first index');
    assert(to <= this.lastIndex, 'log: slice beyond the last index');
    return this.entries.slice(from - this.offset - 1, to - this.offset);
  }

  /** Drops the prefix through `index` (≤ lastIndex), which a snapshot now covers (§7). */
  compact(index: number): void {
    assert(index > this.offset, 'log: compact must move forward');
    const term = this.termAt(index);
    assert(term !== null, 'log: compact beyond the last index');
    this.entries.splice(0, index - this.offset);
    this.offset = index;
    this.offsetTerm = term;
    this.configs.compacted(index);
  }

  /**
   * Installs a snapshot through (index, term) (§7): if the log holds an entry with that index and
   * term, the entries after it are kept; otherwise the whole log is discarded. Returns whether the
   * suffix was kept. `config` is the snapshot's configuration.
   */
  restoreSnapshot(index: number, term: number, config: ClusterConfig): boolean {
    assert(index > this.offset, 'log: snapshot must move forward');
    const keep = this.termAt(index) === term;
    if (keep) {
      this.entries.splice(0, index - this.offset);
    } else {
      this.entries.length = 0;
    }
    this.offset = index;
    this.offsetTerm = term;
    this.configs.restored(index, config, keep);
    return keep;
  }

  /**
   * The first index of the run of entries having the same term as the entry at `index` (which must
   * be held), but not below firstIndex: a follower's conflictIndex for fast backtracking.
   */
  firstIndexOfTermAt(index: number): number {
    const term = this.termAt(index);
    assert(term !== null, 'log: firstIndexOfTermAt outside the log');
    let i = index;
    while (i - 1 > this.offset && this.entries[i - 2 - this.offset]!.term === term) i--;
    return i;
  }

  /**
   * The last index ≤ `atMost` whose term is `term`, or 0 if the held log has no entry of that term
   * there: a leader's jump target for fast backtracking. Terms never decrease, so scan down.
   */
  lastIndexOfTerm(term: number, atMost: number): number {
    let i = Math.min(atMost, this.lastIndex);
    while (i > this.offset) {
      const t = this.entries[i - this.offset - 1]!.term;
      if (t === term) return i;
      if (t < term) return 0;
      i--;
    }
    return 0;
  }
}
