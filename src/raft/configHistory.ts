import { assert } from './assert.js';
import type { ClusterConfig, LogEntry } from './types.js';

/**
 * The configuration entries of a log (thesis §4.1: a server uses the latest configuration in its
 * log, committed or not), kept beside RaftLog so that `latest` is O(1) and a truncation that cuts
 * a configuration entry reverts to the one before it. `base` is the configuration as of the
 * snapshot (or the bootstrap one); `entries` the configuration entries after it, in index order.
 */
export class ConfigHistory {
  private base: ClusterConfig;
  private entries: { readonly index: number; readonly config: ClusterConfig }[] = [];

  constructor(base: ClusterConfig) {
    this.base = base;
  }

  /** The configuration in force: the latest configuration entry's, else the snapshot's. */
  get latest(): ClusterConfig {
    const n = this.entries.length;
    return n === 0 ? this.base : this.entries[n - 1]!.config;
  }

  /** Index of the latest configuration entry still in the log (0: only the snapshot's or bootstrap's). */
  get latestIndex(): number {
    const n = this.entries.length;
    return n === 0 ? 0 : this.entries[n - 1]!.index;
  }

  /** The configuration in force at `index` (the latest entry at or below it), for snapshots. */
  at(index: number): ClusterConfig {
    let config = this.base;
    for (const e of this.entries) {
      if (e.index > index) break;
      config = e.config;
    }
    return config;
  }

  appended(entry: LogEntry<unknown>): void {
    if (entry.config === undefined) return;
    assert(entry.index > this.latestIndex, 'config history: entries out of order');
    this.entries.push({ index: entry.index, config: entry.config });
  }

  /** The log dropped entries at `index` and above. */
  truncatedFrom(index: number): void {
    while (this.entries.length > 0 && this.entries[this.entries.length - 1]!.index >= index) this.entries.pop();
  }

  /** The log's prefix through `index` became a snapshot: fold its configuration entries into the base. */
  compacted(index: number): void {
    this.base = this.at(index);
    this.entries = this.entries.filter((e) => e.index > index);
  }

  /** A snapshot through `index` with configuration `config` was installed; `keptSuffix` as RaftLog.restoreSnapshot. */
  restored(index: number, config: ClusterConfig, keptSuffix: boolean): void {
    this.base = config;
    this.entries = keptSuffix ? this.entries.filter((e) => e.index > index) : [];
  }
}
