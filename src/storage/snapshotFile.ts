/**
 * A snapshot file holds one snapshot stream (snapshotStream.ts), written and read in blocks so
 * that no size of state ever becomes one string or buffer. It is written to a temporary name,
 * fsynced, then renamed into place (the caller fsyncs the directory), so a file under its final
 * name is whole unless the disk damaged it afterwards: any defect is corruption, never a torn write.
 *
 * Files of the first format (RAFTSNP1: one frame holding the JSON {index, term, data}, which is
 * why they could not pass about 512 MiB) are still read.
 */
import { join } from 'node:path';
import type { Snapshot } from '../raft/types.js';
import type { Durability } from './durability.js';
import { FRAME_HEADER_BYTES, readFrame } from './frame.js';
import { TEMP_SUFFIX, snapshotName } from './fileNames.js';
import { encodeSnapshotStream, SnapshotStreamError, SnapshotStreamReader, type SnapshotCodec } from './snapshotStream.js';
import type { StorageFs } from './storageEnv.js';
import { StorageCorruptError } from './storageCorruptError.js';
import { writeAll } from './writeAll.js';

const LEGACY_MAGIC = Buffer.from('RAFTSNP1', 'latin1');
/** Bytes per write and per read: large enough for throughput, small enough to bound memory. */
export const SNAPSHOT_IO_BLOCK_BYTES = 4 * 1024 * 1024;

/** Writes the file durably under its final name (the directory still needs an fsync). Returns its size. */
export async function writeSnapshotFile(fs: StorageFs, dir: string, snapshot: Snapshot, durability: Durability, codec: SnapshotCodec): Promise<number> {
  const name = snapshotName(snapshot.lastIncludedIndex, snapshot.lastIncludedTerm);
  const temp = join(dir, name + TEMP_SUFFIX);
  const file = await fs.open(temp, 'w');
  let size = 0;
  try {
    let block: Buffer[] = [];
    let blockBytes = 0;
    for (const bytes of encodeSnapshotStream(snapshot, codec)) {
      block.push(bytes);
      blockBytes += bytes.length;
      if (blockBytes < SNAPSHOT_IO_BLOCK_BYTES) continue;
      await writeAll(file, Buffer.concat(block, blockBytes), size);
      size += blockBytes;
      block = [];
      blockBytes = 0;
    }
    if (blockBytes > 0) await writeAll(file, Buffer.concat(block, blockBytes), size);
    size += blockBytes;
    await durability.syncFile(file);
  } finally {
    await file.close();
  }
  await fs.rename(temp, join(dir, name));
  return size;
}

export async function readSnapshotFile(fs: StorageFs, dir: string, index: number, term: number, codec: SnapshotCodec): Promise<Snapshot> {
  const path = join(dir, snapshotName(index, term));
  let file;
  try {
    file = await fs.open(path, 'r');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') throw new StorageCorruptError(path, 0, `the log refers to snapshot ${index}/${term} but its file is missing`);
    throw error;
  }
  try {
    const first = Buffer.alloc(LEGACY_MAGIC.length);
    const { bytesRead } = await file.read(first, 0, first.length, 0);
    if (bytesRead === LEGACY_MAGIC.length && first.equals(LEGACY_MAGIC)) return decodeLegacySnapshotFile(path, await fs.readFile(path), index, term);
    const reader = new SnapshotStreamReader(codec, { index, term });
    for (let position = 0; ;) {
      // A fresh buffer per block: the reader keeps the tail of a frame that spans blocks.
      const block = Buffer.allocUnsafe(SNAPSHOT_IO_BLOCK_BYTES);
      const read = await file.read(block, 0, block.length, position);
      if (read.bytesRead === 0) break;
      position += read.bytesRead;
      reader.push(block.subarray(0, read.bytesRead));
    }
    return reader.finish();
  } catch (error) {
    if (error instanceof SnapshotStreamError) throw new StorageCorruptError(path, error.offset, error.reason);
    throw error;
  } finally {
    await file.close();
  }
}

function decodeLegacySnapshotFile(path: string, bytes: Buffer, index: number, term: number): Snapshot {
  const frame = readFrame(bytes, LEGACY_MAGIC.length);
  if (!frame.ok) throw new StorageCorruptError(path, LEGACY_MAGIC.length, frame.reason);
  if (frame.end !== bytes.length) throw new StorageCorruptError(path, frame.end, 'bytes after the snapshot record');
  let body: { index?: unknown; term?: unknown; data?: unknown };
  try {
    body = JSON.parse(frame.payload.toString('utf8')) as typeof body;
  } catch {
    throw new StorageCorruptError(path, LEGACY_MAGIC.length + FRAME_HEADER_BYTES, 'snapshot payload is not JSON');
  }
  if (body.index !== index || body.term !== term || !('data' in body)) {
    throw new StorageCorruptError(path, LEGACY_MAGIC.length + FRAME_HEADER_BYTES, `snapshot payload is not snapshot ${index}/${term}`);
  }
  return { lastIncludedIndex: index, lastIncludedTerm: term, data: body.data };
}
