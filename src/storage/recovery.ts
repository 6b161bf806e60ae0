/**
 * Reads a storage directory back into the state the node had made durable.
 *
 * Segments are replayed in order from the first one still present (its header gives the state at
 * its start). Every record must follow from the state before it, and every segment header must
 * equal the state at the end of the previous segment; anything else is corruption.
 *
 * What must be there: segment numbers are consecutive, the first segment starts where the
 * snapshot ends, and the WAL reaches the durable mark (durableMark.ts), at the log index and term
 * the mark recorded. A segment missing in the middle, at the start or at the end, or one cut
 * short below the mark, stops recovery with a WalMissingError naming the missing indexes.
 *
 * Torn tail: damage in the last segment, past the mark, after which no intact record follows is
 * what a crash in the middle of a write leaves (a short header, a short payload, a bad CRC, or
 * zeros where a write never landed). It is cut off. Damage followed by an intact record, or
 * anywhere in an earlier segment, is corruption: cutting there would silently lose records.
 * Zeros from the last record to the end of the last segment are the space the writer wrote ahead
 * (walWriter.ts): kept, not cut. Zeros over records the mark vouches for still fail the mark check.
 *
 * Nothing is changed on disk until the whole directory has been read and found sound.
 */
import { join } from 'node:path';
import type { Snapshot } from '../raft/types.js';
import { decodeMark, MARK_NAME } from './durableMark.js';
import type { DurablePosition } from './durableMark.js';
import { EntryOrigins } from './entryOrigins.js';
import { intactFrameAfter, readFrame } from './frame.js';
import type { FrameRead } from './frame.js';

/** The parts of recovery a variant may replace (storageVariant.ts). */
export interface RecoveryParts {
  readonly readRecord: (bytes: Buffer, offset: number) => FrameRead;
  /** What the durable mark is taken to vouch for (the default: all it says). */
  readonly vouchedPosition: (mark: DurablePosition) => DurablePosition;
}

const CORRECT_RECOVERY: RecoveryParts = { readRecord: readFrame, vouchedPosition: (mark) => mark };
import { classify, segmentName } from './fileNames.js';
import { LogState } from './logState.js';
import { readSnapshotFile } from './snapshotFile.js';
import { WHOLE_VALUE_CODEC, type SnapshotCodec } from './snapshotStream.js';
import { StorageCorruptError, WalMissingError } from './storageCorruptError.js';
import type { StorageFs } from './storageEnv.js';
import { decodeRecord, looksLikeRecord } from './walRecords.js';

export interface SegmentInfo {
  readonly seq: number;
  readonly name: string;
}

export interface ReadMark {
  readonly position: DurablePosition;
  readonly counter: number;
}

/** What recovery found, and what it must change on disk before the directory is used. */
export interface RecoveryPlan<C> {
  readonly state: LogState<C>;
  /** Which segment holds each stored entry. */
  readonly origins: EntryOrigins;
  readonly snapshot: Snapshot | null;
  /** Sound segments, in order; the last is where appends continue. */
  readonly segments: readonly SegmentInfo[];
  /** Byte size of the last segment once its torn tail (if any) is cut. */
  readonly tailSize: number;
  /** Where the last segment's header ends (past it, the segment holds requests). */
  readonly tailHeaderEnd: number;
  /** The last segment's length on disk once cut: zeros past `tailSize` are space written ahead. */
  readonly tailFileSize: number;
  /** The torn tail to cut: truncate `name` to `size` (0 with no header left: delete the file); `dropped` bytes go. */
  readonly cut: { readonly name: string; readonly size: number; readonly dropped: number } | null;
  /** Files to delete: leftovers of interrupted writes, and snapshots other than the current one. */
  readonly obsolete: readonly string[];
  /** The durable mark; null in a new directory (which then gets one). */
  readonly mark: ReadMark | null;
}

export async function readStorageDirectory<C>(fs: StorageFs, dir: string, codec: SnapshotCodec = WHOLE_VALUE_CODEC,
  parts: RecoveryParts = CORRECT_RECOVERY): Promise<RecoveryPlan<C>> {
  const listing = classify(await fs.readdir(dir));
  const obsolete: string[] = [...listing.temps];
  const mark = await readMark(fs, dir);
  const firstSnapshot = listing.snapshots[0];
  const empty = { state: LogState.empty<C>(), origins: new EntryOrigins(), snapshot: null, segments: [], tailSize: 0, tailHeaderEnd: 0, tailFileSize: 0, obsolete, mark };
  if (listing.segments.length === 0) {
    if (mark && mark.position.seq > 0) {
      const { seq, lastIndex } = mark.position;
      throw new WalMissingError(join(dir, segmentName(seq)), 0, `every WAL segment is missing (the log was durable up to index ${lastIndex}, in ${segmentName(seq)})`, dir);
    }
    // The first segment is made durable before any snapshot can be written.
    if (firstSnapshot) throw new StorageCorruptError(join(dir, firstSnapshot.name), 0, 'a snapshot file but no write-ahead log');
    return { ...empty, cut: null };
  }
  if (!mark) {
    throw new StorageCorruptError(join(dir, MARK_NAME), 0,
      'missing: the directory holds WAL segments but not the record of how far they were durable (deleted, or written by an older raftsim)');
  }
  const vouched = parts.vouchedPosition(mark.position);
  const replay = new Replay<C>(fs, dir, vouched, parts.readRecord);
  for (const [i, segment] of listing.segments.entries()) {
    const isLast = i === listing.segments.length - 1;
    if (!(await replay.segment(segment, isLast, i === 0 && firstSnapshot !== undefined))) break;
  }
  const { state, origins, segments, cut, tailSize, tailHeaderEnd, tailFileSize } = replay;
  if (!state) {
    replay.checkReachedMark();
    return { ...empty, cut };
  }
  if (!state.isComplete) {
    const [from, to] = state.unknownRange;
    throw new WalMissingError(join(dir, segments[0]!.name), 0, `WAL segment for indexes ${from}..${to} is missing (before ${segments[0]!.name}; the snapshot ends at ${state.snapshotIndex})`, dir);
  }
  replay.checkReachedMark();
  const { commitIndex } = vouched;
  if (state.lastIndex < commitIndex) {
    const last = segments.at(-1)!;
    throw new WalMissingError(join(dir, last.name), tailSize, `the log ends at index ${state.lastIndex} but index ${commitIndex} was recorded committed: indexes ${state.lastIndex + 1}..${commitIndex} are missing`, dir);
  }
  const snapshot = state.snapshotIndex > 0 ? await readSnapshotFile(fs, dir, state.snapshotIndex, state.snapshotTerm, codec) : null;
  for (const s of listing.snapshots) {
    if (s.index !== state.snapshotIndex || s.term !== state.snapshotTerm) obsolete.push(s.name);
  }
  return { state, origins, snapshot, segments, tailSize, tailHeaderEnd, tailFileSize, cut, obsolete, mark };
}

async function readMark(fs: StorageFs, dir: string): Promise<ReadMark | null> {
  const path = join(dir, MARK_NAME);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return null;
    throw error;
  }
  return decodeMark(path, bytes);
}

/** "indexes a..b", or what else lies between two last indexes (a truncation can lower it). */
function allZero(bytes: Buffer, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

function indexesBetween(lastBefore: number, lastAfter: number): string {
  return lastAfter > lastBefore ? `indexes ${lastBefore + 1}..${lastAfter}` : `records after index ${lastBefore}`;
}

/** Replays segments one by one, checking continuity and the mark. */
class Replay<C> {
  state: LogState<C> | null = null;
  readonly origins = new EntryOrigins();
  readonly segments: SegmentInfo[] = [];
  cut: { name: string; size: number; dropped: number } | null = null;
  tailSize = 0;
  tailHeaderEnd = 0;
  tailFileSize = 0;
  private reachedMark = false;

  constructor(private readonly fs: StorageFs, private readonly dir: string, private readonly mark: DurablePosition,
    private readonly readRecord: (bytes: Buffer, offset: number) => FrameRead) {
    this.reachedMark = mark.seq === 0;
  }

  /** Replays one segment; false when replay stops here (a last segment with no header). */
  async segment({ seq, name }: SegmentInfo, isLast: boolean, snapshotWithoutLog: boolean): Promise<boolean> {
    const path = join(this.dir, name);
    const bytes = await this.fs.readFile(path);
    const previous = this.segments.at(-1);
    if (previous && seq !== previous.seq + 1) this.missingBetween(previous.seq, seq, path, bytes);
    let offset = 0;
    let startLastIndex: number | null = null;
    let headerEnd = 0;
    while (offset < bytes.length) {
      const frame = this.readRecord(bytes, offset);
      if (!frame.ok) {
        // Only zeros to the end of the last segment: the space the writer wrote ahead.
        if (isLast && allZero(bytes, offset)) break;
        if (!isLast) throw new StorageCorruptError(path, offset, `${frame.reason} in a segment that is not the last`);
        const intact = intactFrameAfter(bytes, offset, looksLikeRecord);
        if (intact !== null) throw new StorageCorruptError(path, offset, `${frame.reason}, followed by an intact record at byte ${intact}`);
        this.cut = { name, size: offset, dropped: bytes.length - offset };
        break;
      }
      if (seq === this.mark.seq && frame.end > this.mark.offset && offset < this.mark.offset) {
        throw new StorageCorruptError(path, offset, `a record runs across the durable mark at byte ${this.mark.offset}`);
      }
      const isHeader = this.replayRecord(path, seq, offset, frame.payload, startLastIndex !== null);
      if (isHeader) {
        startLastIndex = this.state!.lastIndex;
        headerEnd = frame.end;
      }
      offset = frame.end;
      if (seq === this.mark.seq && offset === this.mark.offset) this.atMark(path, offset);
    }
    if (seq === this.mark.seq && !this.reachedMark) {
      const at = this.state?.lastIndex ?? 0;
      throw new WalMissingError(path, offset, `WAL segment ${name} ends at byte ${offset} but was durable up to byte ${this.mark.offset}: ${indexesBetween(at, this.mark.lastIndex)} are missing`, this.dir);
    }
    if (startLastIndex === null) {
      // No header: only a crash while starting this, the last, segment can leave that.
      if (!isLast) throw new StorageCorruptError(path, 0, 'an empty segment that is not the last');
      if (snapshotWithoutLog) throw new StorageCorruptError(path, 0, 'a snapshot file but no write-ahead log');
      this.cut = { name, size: 0, dropped: bytes.length };
      return false;
    }
    this.segments.push({ seq, name });
    this.tailSize = offset;
    this.tailHeaderEnd = headerEnd;
    this.tailFileSize = this.cut === null ? bytes.length : offset;
    return true;
  }

  /** Applies one record; true if it was the segment header. */
  private replayRecord(path: string, seq: number, offset: number, payload: Buffer, headerSeen: boolean): boolean {
    let record;
    try {
      record = decodeRecord<C>(payload);
    } catch (error) {
      throw new StorageCorruptError(path, offset, (error as Error).message);
    }
    if (record.kind === 'header') {
      const header = record.header;
      if (offset !== 0) throw new StorageCorruptError(path, offset, 'a segment header in the middle of a segment');
      if (header.seq !== seq) throw new StorageCorruptError(path, offset, `the header says segment ${header.seq}`);
      if (this.state && !this.state.matchesHeader(header)) {
        throw new StorageCorruptError(path, offset, `the header (${JSON.stringify(header)}) does not match the end of the previous segment`);
      }
      try {
        this.state ??= LogState.fromHeader<C>(header);
      } catch (error) {
        throw new StorageCorruptError(path, offset, (error as Error).message);
      }
      return true;
    }
    if (!this.state || !headerSeen) throw new StorageCorruptError(path, offset, 'the segment does not start with a header');
    try {
      this.state.apply(record.request);
      const { snapshot, from } = record.request;
      if (snapshot && !snapshot.keepLog) this.origins.cleared();
      if (from !== undefined) this.origins.written(from, seq);
    } catch (error) {
      throw new StorageCorruptError(path, offset, `request ${record.request.id}: ${(error as Error).message}`);
    }
    return false;
  }

  private atMark(path: string, offset: number): void {
    const state = this.state!;
    if (state.lastIndex !== this.mark.lastIndex || state.hardState.term !== this.mark.term) {
      throw new StorageCorruptError(path, offset, `the log here ends at index ${state.lastIndex} in term ${state.hardState.term}, ` +
        `but the durable mark recorded index ${this.mark.lastIndex} in term ${this.mark.term} (a foreign or rewritten segment?)`);
    }
    this.reachedMark = true;
  }

  /** Segments between `before` and `after` are missing: name them and the indexes they held. */
  private missingBetween(before: number, after: number, path: string, bytes: Buffer): never {
    const names = after - before > 2 ? `segments ${segmentName(before + 1)}..${segmentName(after - 1)}` : `segment ${segmentName(before + 1)}`;
    const header = readFrame(bytes, 0);
    let what = `WAL ${names} is missing (found ${segmentName(before)}, then ${segmentName(after)})`;
    if (header.ok && this.state) {
      try {
        const record = decodeRecord<C>(header.payload);
        if (record.kind === 'header') what = `WAL ${names} for ${indexesBetween(this.state.lastIndex, record.header.lastIndex)} is missing`;
      } catch {
        // The plain message then.
      }
    }
    throw new WalMissingError(path, 0, what, this.dir);
  }

  /** After the replay: the WAL must have reached the mark. */
  checkReachedMark(): void {
    if (this.reachedMark) return;
    const last = this.segments.at(-1);
    const at = this.state?.lastIndex ?? 0;
    const missing = last === undefined || this.mark.seq > last.seq
      ? `WAL segment ${segmentName(last === undefined ? 1 : last.seq + 1)}${this.mark.seq > (last?.seq ?? 0) + 1 ? `..${segmentName(this.mark.seq)}` : ''}`
      : `WAL segment ${segmentName(this.mark.seq)}`;
    throw new WalMissingError(join(this.dir, segmentName(this.mark.seq)), 0, `${missing} for ${indexesBetween(at, this.mark.lastIndex)} is missing`, this.dir);
  }
}
