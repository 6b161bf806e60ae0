/**
 * The WAL's own record of what must be there: DIR/DURABLE says how far the log had been made
 * durable (segment, byte offset, and the last log index and term at that point) and the commit
 * index then known (entries up to it must never be lost: Raft never truncates them). Recovery must
 * find the WAL reaching that point, or it refuses: a deleted or truncated segment is then caught
 * instead of being taken for a torn tail or a young node.
 *
 * The mark is written only after the fsync of the records it covers, so it never claims more than
 * was synced before it. It is neither written nor synced on every batch (nodeStorage.ts writes it
 * at most every MARK_INTERVAL_MS, and when the WAL rolls to a new segment): a lagging mark, or one
 * lost to a power cut, is an older mark, a smaller claim, still true. It is synced before segments are deleted (a snapshot),
 * so that it never points into a deleted segment.
 *
 * Layout: two 256-byte slots, written alternately, each one frame (frame.ts) of JSON with a
 * counter; the valid slot with the higher counter is the mark. A torn slot write leaves the other.
 */
import { join } from 'node:path';
import type { Durability } from './durability.js';
import type { StorageFile, StorageFs } from './storageEnv.js';
import { TEMP_SUFFIX } from './fileNames.js';
import { encodeFrame, readFrame } from './frame.js';
import { StorageCorruptError } from './storageCorruptError.js';
import { writeAll } from './writeAll.js';

export const MARK_NAME = 'DURABLE';
const SLOT_BYTES = 256;

export interface DurablePosition {
  /** Segment and byte offset the WAL reached, durably; seq 0: nothing claimed yet. */
  readonly seq: number;
  readonly offset: number;
  /** The last log index and the hard state's term at that point. */
  readonly lastIndex: number;
  readonly term: number;
  /** The highest index the node knew committed, and held durably, at that point: never lost. */
  readonly commitIndex: number;
}

export const NOTHING_CLAIMED: DurablePosition = { seq: 0, offset: 0, lastIndex: 0, term: 0, commitIndex: 0 };

/** The mark in `bytes` (the file's content), or a StorageCorruptError when no slot holds one. */
export function decodeMark(path: string, bytes: Buffer): { position: DurablePosition; counter: number } {
  let best: { position: DurablePosition; counter: number } | null = null;
  for (let slot = 0; slot < 2; slot++) {
    const start = slot * SLOT_BYTES;
    if (bytes.length <= start) continue;
    const frame = readFrame(bytes.subarray(start, start + SLOT_BYTES), 0);
    if (!frame.ok) continue;
    const decoded = parseSlot(frame.payload);
    if (decoded && (!best || decoded.counter > best.counter)) best = decoded;
  }
  if (!best) throw new StorageCorruptError(path, 0, 'the durable-position record holds no valid slot');
  return best;
}

function parseSlot(payload: Buffer): { position: DurablePosition; counter: number } | null {
  try {
    const o = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
    const fields = [o.counter, o.seq, o.offset, o.lastIndex, o.term, o.commitIndex];
    if (!fields.every((v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0)) return null;
    const [counter, seq, offset, lastIndex, term, commitIndex] = fields as number[];
    return { counter: counter!, position: { seq: seq!, offset: offset!, lastIndex: lastIndex!, term: term!, commitIndex: commitIndex! } };
  } catch {
    return null;
  }
}

function encodeSlot(position: DurablePosition, counter: number): Buffer {
  const frame = encodeFrame(Buffer.from(JSON.stringify({ counter, ...position }), 'utf8'));
  if (frame.length > SLOT_BYTES) throw new Error(`durable mark: ${frame.length} bytes do not fit a slot`);
  const slot = Buffer.alloc(SLOT_BYTES);
  frame.copy(slot);
  return slot;
}

export class DurableMark {
  private constructor(private readonly file: StorageFile, private counter: number, private last: DurablePosition) {}

  /** Opens the mark recovery read (at counter `counter`). */
  static async open(fs: StorageFs, dir: string, counter: number, position: DurablePosition): Promise<DurableMark> {
    return new DurableMark(await fs.open(join(dir, MARK_NAME), 'r+'), counter, position);
  }

  /** Creates the mark of a new directory, durably, claiming nothing. */
  static async create(fs: StorageFs, dir: string, durability: Durability): Promise<DurableMark> {
    const temp = join(dir, MARK_NAME + TEMP_SUFFIX);
    const file = await fs.open(temp, 'w');
    try {
      await writeAll(file, Buffer.concat([encodeSlot(NOTHING_CLAIMED, 0), Buffer.alloc(SLOT_BYTES)]), 0);
      await durability.syncFile(file);
    } finally {
      await file.close();
    }
    await fs.rename(temp, join(dir, MARK_NAME));
    await durability.syncDir(dir);
    return DurableMark.open(fs, dir, 0, NOTHING_CLAIMED);
  }

  get position(): DurablePosition {
    return this.last;
  }

  /** Records `position` (already durable in the WAL); `sync` makes the record itself durable. */
  async record(position: DurablePosition, durability: Durability, sync: boolean): Promise<void> {
    const same = position.seq === this.last.seq && position.offset === this.last.offset && position.commitIndex === this.last.commitIndex;
    if (!same) {
      this.counter++;
      const slot = encodeSlot(position, this.counter);
      await this.file.write(slot, 0, slot.length, (this.counter % 2) * SLOT_BYTES);
      this.last = position;
    }
    if (sync) await durability.syncData(this.file);
  }

  async close(): Promise<void> {
    await this.file.close();
  }
}
