/**
 * Every fsync goes through here, so that it is counted, timed, and skipped as a whole when the
 * caller opted out (fsync: false, for tests and benchmarks that say so).
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

export interface MutableStats {
  fsyncs: number;
  bytesWritten: number;
  lastFsyncMs: number;
}

export class Durability {
  readonly stats: MutableStats = { fsyncs: 0, bytesWritten: 0, lastFsyncMs: 0 };
  onFsync: ((ms: number) => void) | undefined;

  constructor(private readonly enabled: boolean) {}

  /** Data only (fdatasync): enough for appends, since the file size is metadata it flushes. */
  syncData(file: FileHandle): Promise<void> {
    return this.timed(() => file.datasync());
  }

  syncFile(file: FileHandle): Promise<void> {
    return this.timed(() => file.sync());
  }

  /** Makes creations, renames and deletions in `dir` durable. */
  async syncDir(dir: string): Promise<void> {
    if (!this.enabled) return;
    const handle = await open(dir, 'r');
    try {
      await this.timed(() => handle.sync());
    } finally {
      await handle.close();
    }
  }

  private async timed(sync: () => Promise<void>): Promise<void> {
    if (!this.enabled) return;
    const start = performance.now();
    await sync();
    const ms = performance.now() - start;
    this.stats.fsyncs++;
    this.stats.lastFsyncMs = ms;
    this.onFsync?.(ms);
  }
}
