/**
 * Appends request records to the segment files: one write and one fdatasync per batch (group
 * commit), a new segment when the current one would grow past `segmentBytes`, and deletion of the
 * segments a snapshot has made unnecessary.
 */
import { join } from 'node:path';
import type { Durability } from './durability.js';
import { encodeFrame } from './frame.js';
import { segmentName } from './fileNames.js';
import type { SegmentInfo } from './recovery.js';
import type { StorageFile, StorageFs } from './storageEnv.js';
import { encodeSegmentHeader } from './walRecords.js';
import type { SegmentHeader } from './walRecords.js';

export interface FramedRecord {
  readonly frame: Buffer;
  /** The stored state just before this record: the header of a segment that starts with it. */
  readonly stateBefore: Omit<SegmentHeader, 'seq'>;
}

/** How big segments grow, and how far ahead of the appends zeros are written (0: none). */
export interface WalSizes {
  readonly segmentBytes: number;
  readonly preallocateBytes: number;
}

/** The last recovered segment: where its records end, where its header ends, its length on disk. */
export interface RecoveredTail {
  readonly size: number;
  readonly headerEnd: number;
  readonly fileSize: number;
}

/** One zeroed block, reused for every write ahead (never written to). */
const ZEROS = Buffer.alloc(1 << 20);

export class WalWriter {
  private constructor(
    private readonly fs: StorageFs,
    private readonly dir: string,
    private readonly durability: Durability,
    private readonly segmentBytes: number,
    private readonly segments: SegmentInfo[],
    private file: StorageFile,
    /** Bytes in the current segment. */
    private size: number,
    /** Where the current segment's header ends: past it, the segment holds requests. */
    private headerEnd: number,
    /** The current segment's length on disk: zeros past `size` are space written ahead (preallocated). */
    private allocated: number,
    private readonly preallocateBytes: number,
  ) {}

  /** Continues the last recovered segment, or starts the first one from `initial`. */
  static async open(fs: StorageFs, dir: string, durability: Durability, sizes: WalSizes, recovered: readonly SegmentInfo[],
    tail: RecoveredTail, initial: Omit<SegmentHeader, 'seq'>): Promise<WalWriter> {
    const { segmentBytes, preallocateBytes } = sizes;
    const last = recovered.at(-1);
    if (last) {
      const file = await fs.open(join(dir, last.name), 'r+');
      return new WalWriter(fs, dir, durability, segmentBytes, [...recovered], file, tail.size, tail.headerEnd, tail.fileSize, preallocateBytes);
    }
    const { file, info, headerBytes } = await WalWriter.startSegment(fs, dir, durability, 1, initial);
    await durability.syncData(file);
    return new WalWriter(fs, dir, durability, segmentBytes, [info], file, headerBytes, headerBytes, headerBytes, preallocateBytes);
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  /** Writes the records in order and makes them durable. Returns the segment each went to. */
  async append(records: readonly FramedRecord[]): Promise<number[]> {
    const seqs: number[] = [];
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    for (const record of records) {
      const used = this.size + pendingBytes;
      if (used > this.headerEnd && used + record.frame.length > this.segmentBytes) {
        await this.write(pending);
        await this.finishSegment();
        await this.roll(record.stateBefore);
        pending = [];
        pendingBytes = 0;
      }
      pending.push(record.frame);
      pendingBytes += record.frame.length;
      seqs.push(this.currentSeq);
    }
    await this.write(pending);
    await this.durability.syncData(this.file);
    return seqs;
  }

  get currentSeq(): number {
    return this.segments.at(-1)!.seq;
  }

  /** Where appends have reached: the current segment and its size. */
  get position(): { readonly seq: number; readonly offset: number } {
    return { seq: this.currentSeq, offset: this.size };
  }

  /**
   * Deletes, oldest first, every segment before `seq` (never the current one). Oldest first with
   * a directory fsync after each, so a crash leaves a contiguous run of segments.
   */
  async deleteSegmentsBefore(seq: number): Promise<void> {
    while (this.segments.length >= 2 && this.segments[0]!.seq < seq) {
      await this.fs.unlink(join(this.dir, this.segments[0]!.name));
      await this.durability.syncDir(this.dir);
      this.segments.shift();
    }
  }

  async close(): Promise<void> {
    await this.file.close();
  }

  private async write(buffers: readonly Buffer[]): Promise<void> {
    if (buffers.length === 0) return;
    const bytes = buffers.length === 1 ? buffers[0]! : Buffer.concat(buffers);
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.file.write(bytes, done, bytes.length - done, this.size + done);
      done += bytesWritten;
    }
    this.size += bytes.length;
    this.durability.stats.bytesWritten += bytes.length;
    if (this.size > this.allocated) await this.writeAhead();
  }

  /**
   * Writes zeros ahead of the appends (up to `preallocateBytes`, within the segment), as etcd
   * preallocates its segments: later appends then overwrite blocks the file already has, so their
   * fdatasync flushes data only, not the file's new length and block map. Recovery reads zeros
   * after the last record of the last segment as this space, not as damage.
   */
  private async writeAhead(): Promise<void> {
    this.allocated = this.size;
    const target = Math.min(this.segmentBytes, this.size + this.preallocateBytes);
    while (this.allocated < target) {
      const length = Math.min(target - this.allocated, ZEROS.length);
      const { bytesWritten } = await this.file.write(ZEROS, 0, length, this.allocated);
      this.allocated += bytesWritten;
    }
  }

  /**
   * Makes a full segment durable at its exact length: the space written ahead is cut first, so
   * that only the last segment can end in zeros (in an earlier one they would be damage).
   */
  private async finishSegment(): Promise<void> {
    if (this.allocated > this.size) {
      await this.fs.truncate(join(this.dir, this.segments.at(-1)!.name), this.size);
      this.allocated = this.size;
      await this.durability.syncFile(this.file);
    } else {
      await this.durability.syncData(this.file);
    }
  }

  private async roll(stateBefore: Omit<SegmentHeader, 'seq'>): Promise<void> {
    const seq = this.segments.at(-1)!.seq + 1;
    const { file, info, headerBytes } = await WalWriter.startSegment(this.fs, this.dir, this.durability, seq, stateBefore);
    await this.file.close();
    this.file = file;
    this.segments.push(info);
    this.size = headerBytes;
    this.headerEnd = headerBytes;
    this.allocated = headerBytes;
    this.durability.stats.bytesWritten += headerBytes;
  }

  /**
   * Creates a segment holding only its header, and makes its directory entry durable before any
   * request goes into it (the header itself becomes durable with the next data sync).
   */
  private static async startSegment(fs: StorageFs, dir: string, durability: Durability, seq: number, state: Omit<SegmentHeader, 'seq'>):
    Promise<{ file: StorageFile; info: SegmentInfo; headerBytes: number }> {
    const name = segmentName(seq);
    const header = encodeFrame(encodeSegmentHeader({ seq, ...state }));
    const file = await fs.open(join(dir, name), 'wx');
    try {
      await file.write(header, 0, header.length, 0);
      await durability.syncDir(dir);
    } catch (error) {
      await file.close();
      throw error;
    }
    return { file, info: { seq, name }, headerBytes: header.length };
  }
}
