/**
 * Reads a storage directory back into the state the node had made durable.
 *
 * Segments are replayed in order from the first one still present (its header gives the state at
 * its start). Every record must follow from the state before it, and every segment header must
 * equal the state at the end of the previous segment; anything else is corruption.
 *
 * Torn tail: damage in the last segment after which no intact record follows is what a crash in
 * the middle of a write leaves (a short header, a short payload, a bad CRC, or zeros where a
 * write never landed). It is cut off. Damage followed by an intact record, or anywhere in an
 * earlier segment, is corruption: cutting there would silently lose records.
 *
 * Nothing is changed on disk until the whole directory has been read and found sound.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Snapshot } from '../../raft/types.js';
import { EntryOrigins } from './entryOrigins.js';
import { intactFrameAfter, readFrame } from './frame.js';
import { classify } from './fileNames.js';
import { LogState } from './logState.js';
import { readSnapshotFile } from './snapshotFile.js';
import { StorageCorruptError } from './storageCorruptError.js';
import { decodeRecord, looksLikeRecord } from './walRecords.js';

export interface SegmentInfo {
  readonly seq: number;
  readonly name: string;
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
  /** The torn tail to cut: truncate `name` to `size` (0 with no header left: delete the file). */
  readonly cut: { readonly name: string; readonly size: number } | null;
  /** Files to delete: leftovers of interrupted writes, and snapshots other than the current one. */
  readonly obsolete: readonly string[];
}

export async function readStorageDirectory<C>(dir: string): Promise<RecoveryPlan<C>> {
  const listing = classify(await readdir(dir));
  const obsolete: string[] = [...listing.temps];
  const firstSnapshot = listing.snapshots[0];
  if (listing.segments.length === 0) {
    // The first segment is made durable before any snapshot can be written.
    if (firstSnapshot) throw new StorageCorruptError(join(dir, firstSnapshot.name), 0, 'a snapshot file but no write-ahead log');
    return { state: LogState.empty(), origins: new EntryOrigins(), snapshot: null, segments: [], tailSize: 0, tailHeaderEnd: 0, cut: null, obsolete };
  }
  listing.segments.forEach((segment, i) => {
    const previous = listing.segments[i - 1];
    if (previous && segment.seq !== previous.seq + 1) {
      throw new StorageCorruptError(join(dir, segment.name), 0, `segment ${previous.seq + 1} is missing (found ${previous.seq}, then ${segment.seq})`);
    }
  });

  let state: LogState<C> | null = null;
  const origins = new EntryOrigins();
  const segments: SegmentInfo[] = [];
  let cut: { name: string; size: number } | null = null;
  let tailSize = 0;
  let tailHeaderEnd = 0;
  for (const [i, { seq, name }] of listing.segments.entries()) {
    const path = join(dir, name);
    const isLast = i === listing.segments.length - 1;
    const bytes = await readFile(path);
    let offset = 0;
    let startLastIndex: number | null = null;
    let headerEnd = 0;
    while (offset < bytes.length) {
      const frame = readFrame(bytes, offset);
      if (!frame.ok) {
        if (!isLast) throw new StorageCorruptError(path, offset, `${frame.reason} in a segment that is not the last`);
        const intact = intactFrameAfter(bytes, offset, looksLikeRecord);
        if (intact !== null) throw new StorageCorruptError(path, offset, `${frame.reason}, followed by an intact record at byte ${intact}`);
        cut = { name, size: offset };
        break;
      }
      let record;
      try {
        record = decodeRecord<C>(frame.payload);
      } catch (error) {
        throw new StorageCorruptError(path, offset, (error as Error).message);
      }
      if (record.kind === 'header') {
        const header = record.header;
        if (offset !== 0) throw new StorageCorruptError(path, offset, 'a segment header in the middle of a segment');
        if (header.seq !== seq) throw new StorageCorruptError(path, offset, `the header says segment ${header.seq}`);
        if (state && !state.matchesHeader(header)) {
          throw new StorageCorruptError(path, offset, `the header (${JSON.stringify(header)}) does not match the end of the previous segment`);
        }
        try {
          state ??= LogState.fromHeader<C>(header);
        } catch (error) {
          throw new StorageCorruptError(path, offset, (error as Error).message);
        }
        startLastIndex = header.lastIndex;
        headerEnd = frame.end;
      } else {
        if (!state || startLastIndex === null) throw new StorageCorruptError(path, offset, 'the segment does not start with a header');
        try {
          state.apply(record.request);
          const { snapshot, from } = record.request;
          if (snapshot && !snapshot.keepLog) origins.cleared();
          if (from !== undefined) origins.written(from, seq);
        } catch (error) {
          throw new StorageCorruptError(path, offset, `request ${record.request.id}: ${(error as Error).message}`);
        }
      }
      offset = frame.end;
    }
    if (startLastIndex === null) {
      // No header: only a crash while starting this, the last, segment can leave that.
      if (!isLast) throw new StorageCorruptError(path, 0, 'an empty segment that is not the last');
      if (i === 0 && firstSnapshot) throw new StorageCorruptError(join(dir, firstSnapshot.name), 0, 'a snapshot file but no write-ahead log');
      cut = { name, size: 0 };
      break;
    }
    segments.push({ seq, name });
    tailSize = offset;
    tailHeaderEnd = headerEnd;
  }

  if (!state) return { state: LogState.empty(), origins: new EntryOrigins(), snapshot: null, segments: [], tailSize: 0, tailHeaderEnd: 0, cut, obsolete };
  const first = segments[0]!;
  if (!state.isComplete) {
    const [from, to] = state.unknownRange;
    throw new StorageCorruptError(join(dir, first.name), 0, `log entries ${from}..${to} are neither in a segment nor covered by the snapshot`);
  }
  const snapshot = state.snapshotIndex > 0 ? await readSnapshotFile(dir, state.snapshotIndex, state.snapshotTerm) : null;
  for (const s of listing.snapshots) {
    if (s.index !== state.snapshotIndex || s.term !== state.snapshotTerm) obsolete.push(s.name);
  }
  return { state, origins, snapshot, segments, tailSize, tailHeaderEnd, cut, obsolete };
}
