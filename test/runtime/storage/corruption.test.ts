/**
 * Damage that is not a torn last write must stop recovery with StorageCorruptError naming the
 * file and byte offset: never silently lose a record, never invent one.
 */
import { readFileSync, rmSync, truncateSync, writeFileSync, appendFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KvCommand } from '../../../src/kv/types.js';
import { encodeFrame } from '../../../src/storage/frame.js';
import { openStorage, StorageCorruptError, WalMissingError } from '../../../src/runtime/diskStorage.js';
import { encodeRequest } from '../../../src/storage/walRecords.js';
import { buildLog, copyDir, MARK_FILE, segmentFiles, simpleRequests, snapshotFiles, tempDir } from './helpers.js';

// These tests edit the bytes at a file's end: no zeros written ahead, so the data ends where the file does.
const noSync = { fsync: false, preallocateBytes: 0 } as const;

async function expectCorrupt(dir: string, file: string, offset: number, options = {}): Promise<StorageCorruptError> {
  const error = await openStorage(dir, { ...noSync, ...options }).then(
    () => { throw new Error(`opened ${dir} without error`); },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StorageCorruptError);
  const corrupt = error as StorageCorruptError;
  expect({ file: corrupt.file, offset: corrupt.offset }).toEqual({ file, offset });
  expect(corrupt.message).toContain(file);
  expect(corrupt.message).toContain(`byte ${offset}`);
  return corrupt;
}

function flipBit(path: string, at: number): void {
  const bytes = readFileSync(path);
  bytes[at]! ^= 1 << (at % 8);
  writeFileSync(path, bytes);
}

describe('corruption is reported, not repaired', () => {
  it('a bit flipped in any byte of an earlier record (header, CRC or payload), with valid records after it', async () => {
    const log = await buildLog((d) => openStorage(d, noSync), simpleRequests(5));
    const name = basename(log.segments[0]!);
    // Record 2 of 5 (frame header and payload): start and end from the sizes after each request.
    const start = log.sizes[1]!;
    const end = log.sizes[2]!;
    for (let at = start; at < end; at++) {
      const dir = copyDir(log.dir);
      flipBit(join(dir, name), at);
      await expectCorrupt(dir, join(dir, name), start);
    }
  });

  it('a bit flipped in a segment header', async () => {
    const log = await buildLog((d) => openStorage(d, noSync), simpleRequests(3));
    const name = basename(log.segments[0]!);
    for (const at of [0, 4, 9, 20]) {
      const dir = copyDir(log.dir);
      flipBit(join(dir, name), at);
      await expectCorrupt(dir, join(dir, name), 0);
    }
  });

  it('damage in a segment that is not the last, even at its very end', async () => {
    const options = { ...noSync, segmentBytes: 64 };
    const log = await buildLog((d) => openStorage(d, options), simpleRequests(4));
    const files = segmentFiles(log.dir);
    expect(files.length).toBeGreaterThan(2);
    const first = files[0]!;
    const size = readFileSync(join(log.dir, first)).length;

    const flipped = copyDir(log.dir);
    flipBit(join(flipped, first), size - 1);
    const error = await openStorage(flipped, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageCorruptError);
    expect((error as StorageCorruptError).file).toBe(join(flipped, first));

    const truncated = copyDir(log.dir);
    truncateSync(join(truncated, first), size - 1);
    const error2 = await openStorage(truncated, options).catch((e: unknown) => e);
    expect(error2).toBeInstanceOf(StorageCorruptError);
    expect((error2 as StorageCorruptError).file).toBe(join(truncated, first));
  });

  it('a missing segment in the middle', async () => {
    const options = { ...noSync, segmentBytes: 64 };
    const log = await buildLog((d) => openStorage(d, options), simpleRequests(4));
    const files = segmentFiles(log.dir);
    rmSync(join(log.dir, files[1]!));
    const error = await openStorage(log.dir, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WalMissingError);
    expect({ file: (error as WalMissingError).file, offset: (error as WalMissingError).offset }).toEqual({ file: join(log.dir, files[2]!), offset: 0 });
    expect((error as Error).message).toMatch(new RegExp(`^WAL segment ${files[1]!} for indexes \\d+\\.\\.\\d+ is missing \\(data dir ${log.dir}\\)`));
  });

  it('a bit flipped in any byte of the snapshot file', async () => {
    const log = await buildLog((d) => openStorage(d, noSync), simpleRequests(4));
    const [snapshot] = snapshotFiles(log.dir);
    expect(snapshot).toBeDefined();
    const size = readFileSync(join(log.dir, snapshot!)).length;
    for (let at = 0; at < size; at++) {
      const dir = copyDir(log.dir);
      flipBit(join(dir, snapshot!), at);
      const error = await openStorage(dir, noSync).catch((e: unknown) => e);
      expect(error, `flip at ${at}`).toBeInstanceOf(StorageCorruptError);
      expect((error as StorageCorruptError).file).toBe(join(dir, snapshot!));
      expect((error as StorageCorruptError).message).toContain(join(dir, snapshot!));
    }
  });

  it('a truncated, extended or missing snapshot file', async () => {
    const log = await buildLog((d) => openStorage(d, noSync), simpleRequests(4));
    const [snapshot] = snapshotFiles(log.dir);
    const size = readFileSync(join(log.dir, snapshot!)).length;
    for (const cut of [0, 5, 8, 12, size - 1]) {
      const dir = copyDir(log.dir);
      truncateSync(join(dir, snapshot!), cut);
      await expect(openStorage(dir, noSync)).rejects.toBeInstanceOf(StorageCorruptError);
    }
    const extended = copyDir(log.dir);
    appendFileSync(join(extended, snapshot!), 'x');
    await expectCorrupt(extended, join(extended, snapshot!), size);
    const missing = copyDir(log.dir);
    rmSync(join(missing, snapshot!));
    await expectCorrupt(missing, join(missing, snapshot!), 0);
  });

  it('a snapshot file with no write-ahead log', async () => {
    const log = await buildLog((d) => openStorage(d, noSync), simpleRequests(4));
    for (const name of segmentFiles(log.dir)) rmSync(join(log.dir, name));
    rmSync(join(log.dir, MARK_FILE)); // with the mark, the missing segments are named instead (walMissing.test.ts)
    const [snapshot] = snapshotFiles(log.dir);
    await expectCorrupt(log.dir, join(log.dir, snapshot!), 0);
  });

  it('an intact record that cannot follow the state before it (a gap) is not replayed', async () => {
    const log = await buildLog((d) => openStorage(d, noSync), simpleRequests(2));
    const path = log.segments[1]!;
    const size = log.sizes[1]!;
    appendFileSync(path, encodeFrame(encodeRequest<KvCommand>({ id: 9, from: 100, entries: [[2, null]] })));
    const error = await expectCorrupt(log.dir, path, size);
    expect(error.message).toMatch(/gap/);
  });

  it('an intact record of an unknown kind', async () => {
    const log = await buildLog((d) => openStorage(d, noSync), simpleRequests(2));
    const path = log.segments[1]!;
    appendFileSync(path, encodeFrame(Buffer.from('X{}')));
    await expectCorrupt(log.dir, path, log.sizes[1]!);
  });

  it('leaves the directory untouched when it refuses to open', async () => {
    const log = await buildLog((d) => openStorage(d, noSync), simpleRequests(5));
    const name = basename(log.segments[0]!);
    flipBit(join(log.dir, name), log.sizes[1]! + 10);
    appendFileSync(join(log.dir, name), Buffer.from([1, 2, 3])); // a torn tail it would otherwise cut
    const before = readFileSync(join(log.dir, name));
    await expect(openStorage(log.dir, noSync)).rejects.toBeInstanceOf(StorageCorruptError);
    expect(readFileSync(join(log.dir, name)).equals(before)).toBe(true);
  });

  it('opens an empty directory (and creates a missing one)', async () => {
    const dir = join(tempDir(), 'nested', 'node-1');
    const storage = await openStorage(dir, noSync);
    expect(storage.recovered).toEqual({ hardState: { term: 0, votedFor: null }, snapshot: null, entries: [] });
    await storage.close();
  });
});
