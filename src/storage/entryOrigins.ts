/**
 * Which segment each stored entry was written to, as runs: entries from `fromIndex` up to the
 * next run's start were written to segment `seq`. A surviving entry at a higher index was never
 * written before one at a lower index (a write truncates everything after it), so the segment
 * holding the oldest stored entry (just after the snapshot) bounds what the log still needs:
 * every segment before it can be deleted.
 */
export class EntryOrigins {
  private runs: { fromIndex: number; seq: number }[] = [];

  /** Entries from `fromIndex` on were (re)written to segment `seq`. */
  written(fromIndex: number, seq: number): void {
    while (this.runs.length > 0 && this.runs.at(-1)!.fromIndex >= fromIndex) this.runs.pop();
    this.runs.push({ fromIndex, seq });
  }

  /** A snapshot dropped the whole stored log. */
  cleared(): void {
    this.runs = [];
  }

  /** The segment holding entry `index`, forgetting runs wholly before it; null if none is known. */
  segmentOf(index: number): number | null {
    let i = this.runs.length - 1;
    while (i >= 0 && this.runs[i]!.fromIndex > index) i--;
    if (i < 0) return null;
    this.runs.splice(0, i);
    return this.runs[0]!.seq;
  }
}
