/**
 * A snapshot file: 8 magic bytes, then one frame (frame.ts) whose payload is the JSON
 * {index, term, data}. It is written to a temporary name, fsynced, then renamed into place (the
 * caller fsyncs the directory), so a file under its final name is whole unless the disk damaged
 * it afterwards: any defect is corruption, never a torn write.
 */
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Snapshot } from '../../raft/types.js';
import type { Durability } from './durability.js';
import { FRAME_HEADER_BYTES, encodeFrame, readFrame } from './frame.js';
import { TEMP_SUFFIX, snapshotName } from './fileNames.js';
import { StorageCorruptError } from './storageCorruptError.js';

const MAGIC = Buffer.from('RAFTSNP1', 'latin1');

export function encodeSnapshotFile(snapshot: Snapshot): Buffer {
  const body = { index: snapshot.lastIncludedIndex, term: snapshot.lastIncludedTerm, data: snapshot.data };
  return Buffer.concat([MAGIC, encodeFrame(Buffer.from(JSON.stringify(body), 'utf8'))]);
}

/** Writes the file durably under its final name (the directory still needs an fsync). Returns its size. */
export async function writeSnapshotFile(dir: string, snapshot: Snapshot, durability: Durability): Promise<number> {
  const name = snapshotName(snapshot.lastIncludedIndex, snapshot.lastIncludedTerm);
  const temp = join(dir, name + TEMP_SUFFIX);
  const bytes = encodeSnapshotFile(snapshot);
  const file = await open(temp, 'w');
  try {
    await file.writeFile(bytes);
    await durability.syncFile(file);
  } finally {
    await file.close();
  }
  await rename(temp, join(dir, name));
  return bytes.length;
}

export async function readSnapshotFile(dir: string, index: number, term: number): Promise<Snapshot> {
  const path = join(dir, snapshotName(index, term));
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new StorageCorruptError(path, 0, `the log refers to snapshot ${index}/${term} but its file is missing`);
    throw error;
  }
  return decodeSnapshotFile(path, bytes, index, term);
}

export function decodeSnapshotFile(path: string, bytes: Buffer, index: number, term: number): Snapshot {
  if (bytes.length < MAGIC.length || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new StorageCorruptError(path, 0, 'not a snapshot file (bad magic)');
  }
  const frame = readFrame(bytes, MAGIC.length);
  if (!frame.ok) throw new StorageCorruptError(path, MAGIC.length, frame.reason);
  if (frame.end !== bytes.length) throw new StorageCorruptError(path, frame.end, 'bytes after the snapshot record');
  let body: { index?: unknown; term?: unknown; data?: unknown };
  try {
    body = JSON.parse(frame.payload.toString('utf8')) as typeof body;
  } catch {
    throw new StorageCorruptError(path, MAGIC.length + FRAME_HEADER_BYTES, 'snapshot payload is not JSON');
  }
  if (body.index !== index || body.term !== term || !('data' in body)) {
    throw new StorageCorruptError(path, MAGIC.length + FRAME_HEADER_BYTES, `snapshot payload is not snapshot ${index}/${term}`);
  }
  return { lastIncludedIndex: index, lastIncludedTerm: term, data: body.data };
}
