/**
 * Every fsync goes through here, so that it is counted, timed, and skipped as a whole when the
 * caller opted out (fsync: false, for tests and benchmarks that say so).
 */
import type { StorageClock, StorageFile, StorageFs } from './storageEnv.js';

export interface MutableStats {
  fsyncs: number;
  bytesWritten: number;
  lastFsyncMs: number;
}

export class Durability {
  readonly stats: MutableStats = { fsyncs: 0, bytesWritten: 0, lastFsyncMs: 0 };
  onFsync: ((ms: number) => void) | undefined;

  constructor(private readonly enabled: boolean, private readonly fs: StorageFs, private readonly clock: StorageClock) {}

  /** Data only (fdatasync): enough for appends, since the file size is metadata it flushes. */
  syncData(file: StorageFile): Promise<void> {
    return this.timed(() => file.datasync());
  }

  syncFile(file: StorageFile): Promise<void> {
    return this.timed(() => file.sync());
  }

  /** Makes creations, renames and deletions in `dir` durable. */
  syncDir(dir: string): Promise<void> {
    return this.timed(() => this.fs.syncDir(dir));
  }

  private async timed(sync: () => Promise<void>): Promise<void> {
    if (!this.enabled) return;
    const start = this.clock.now();
    await sync();
    const ms = this.clock.now() - start;
    this.stats.fsyncs++;
    this.stats.lastFsyncMs = ms;
    this.onFsync?.(ms);
  }
}
