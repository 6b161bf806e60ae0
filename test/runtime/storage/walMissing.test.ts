/**
 * The WAL knows what must be there: a segment deleted at the start, in the middle or at the end,
 * or the newest one cut below the durable mark, stops recovery with one line naming the missing
 * indexes. A torn tail past the mark (a crash mid-write) is still cut, and the cut is logged.
 */
import { appendFileSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KvCommand } from '../../../src/kv/types.js';
import type { PersistRequest } from '../../../src/raft/ready.js';
import { readFrame } from '../../../src/storage/frame.js';
import { openStorage, StorageCorruptError, WalMissingError } from '../../../src/runtime/diskStorage.js';
import { decodeRecord } from '../../../src/storage/walRecords.js';
import { decodeMark } from '../../../src/storage/durableMark.js';
import { waitFor } from '../../support/wait.js';
import { MARK_FILE, segmentFiles, tempDir } from './helpers.js';

// No zeros written ahead (preallocate.test.ts covers them): the data ends where the file does.
const SMALL = { fsync: false, segmentBytes: 1000, preallocateBytes: 0 } as const;

function appendRequest(id: number, from: number, count: number): PersistRequest<KvCommand> {
  const entries = Array.from({ length: count }, (_, i) => ({
    index: from + i, term: 1, command: { clientId: 7, seq: from + i, op: { f: 'put', key: `k${from + i}`, value: 'value' } } as KvCommand,
  }));
  return { id, hardState: { term: 1, votedFor: 2 }, snapshot: null, entries };
}

/** 180 entries (3 per request) over many 1000-byte segments. */
async function writeLog(): Promise<string> {
  const dir = tempDir();
  const storage = await openStorage<KvCommand>(dir, { ...SMALL, log: () => undefined });
  for (let i = 0; i < 60; i++) await storage.persist(appendRequest(i + 1, i * 3 + 1, 3));
  await storage.close();
  return dir;
}

/** The last log index when `name` was started (its header). */
function startIndex(dir: string, name: string): number {
  const frame = readFrame(readFileSync(join(dir, name)), 0);
  if (!frame.ok) throw new Error(frame.reason);
  const record = decodeRecord(frame.payload);
  if (record.kind !== 'header') throw new Error('no header');
  return record.header.lastIndex;
}

async function refusal(dir: string): Promise<WalMissingError> {
  const lines: string[] = [];
  const error = await openStorage<KvCommand>(dir, { ...SMALL, log: (l) => lines.push(l) }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WalMissingError);
  expect((error as Error).message).not.toContain('\n');
  expect((error as Error).message).toContain(`(data dir ${dir})`);
  expect(lines, 'nothing is cut when recovery refuses').toEqual([]);
  return error as WalMissingError;
}

describe('missing WAL records', () => {
  it('a segment deleted in the middle: the message names it and its indexes', async () => {
    const dir = await writeLog();
    const files = segmentFiles(dir);
    expect(files.length).toBeGreaterThan(5);
    const victim = files[3]!;
    const from = startIndex(dir, victim) + 1;
    const to = startIndex(dir, files[4]!);
    rmSync(join(dir, victim));
    const error = await refusal(dir);
    expect(error.message).toMatch(new RegExp(`^WAL segment ${victim} for indexes ${from}\\.\\.${to} is missing \\(data dir`));
  });

  it('the newest segment deleted: refused, naming it and the indexes that were durable', async () => {
    const dir = await writeLog();
    const files = segmentFiles(dir);
    const newest = files.at(-1)!;
    const from = startIndex(dir, newest) + 1;
    rmSync(join(dir, newest));
    const error = await refusal(dir);
    expect(error.message).toMatch(new RegExp(`^WAL segment ${newest} for indexes ${from}\\.\\.180 is missing`));
  });

  it('the newest segment truncated to a third, or to anything below the durable mark: refused', async () => {
    const dir = await writeLog();
    const newest = join(dir, segmentFiles(dir).at(-1)!);
    const size = statSync(newest).size;
    for (const cut of [Math.floor(size / 3), size - 1, 0]) {
      const bytes = readFileSync(newest);
      truncateSync(newest, cut);
      const error = await refusal(dir);
      expect(error.message, `cut at ${cut}`).toMatch(/ends at byte \d+ but was durable up to byte \d+: indexes \d+\.\.180 are missing/);
      appendFileSync(newest, bytes.subarray(cut));
    }
    const storage = await openStorage<KvCommand>(dir, SMALL);
    expect(storage.recovered.entries).toHaveLength(180);
    await storage.close();
  });

  it('the first segments deleted (no snapshot covers them): refused, naming the indexes', async () => {
    const dir = await writeLog();
    const files = segmentFiles(dir);
    const to = startIndex(dir, files[2]!);
    rmSync(join(dir, files[0]!));
    rmSync(join(dir, files[1]!));
    const error = await refusal(dir);
    expect(error.message).toMatch(new RegExp(`^WAL segment for indexes 1\\.\\.${to} is missing`));
  });

  it('every segment deleted: refused (not taken for a new, empty node)', async () => {
    const dir = await writeLog();
    for (const name of segmentFiles(dir)) rmSync(join(dir, name));
    const error = await refusal(dir);
    expect(error.message).toMatch(/^every WAL segment is missing \(the log was durable up to index 180/);
  });

  it('the durable mark deleted while segments remain: refused, naming the file', async () => {
    const dir = await writeLog();
    rmSync(join(dir, MARK_FILE));
    const error = await openStorage<KvCommand>(dir, SMALL).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageCorruptError);
    expect((error as Error).message).toContain(`${join(dir, MARK_FILE)} at byte 0: missing`);
  });

  it('a torn tail past the durable mark is cut and logged: file, offset, bytes dropped', async () => {
    const dir = await writeLog();
    const newest = join(dir, segmentFiles(dir).at(-1)!);
    const size = statSync(newest).size;
    appendFileSync(newest, Buffer.from([40, 0, 0, 0, 1, 2, 3, 4, 0x52, 0x7b])); // a record header and 2 of its 40 bytes
    const lines: string[] = [];
    const storage = await openStorage<KvCommand>(dir, { ...SMALL, log: (l) => lines.push(l) });
    expect(storage.recovered.entries).toHaveLength(180);
    expect(lines).toEqual([`${newest}: cut a torn tail at byte ${size} (10 bytes dropped; written after the last durable record)`]);
    expect(statSync(newest).size).toBe(size);
    await storage.persist(appendRequest(61, 181, 1));
    await storage.close();
    const again = await openStorage<KvCommand>(dir, SMALL);
    expect(again.recovered.entries).toHaveLength(181);
    await again.close();
  });

  it('a log that ends below the recorded commit index is refused', async () => {
    const dir = tempDir();
    const storage = await openStorage<KvCommand>(dir, SMALL);
    await storage.persist(appendRequest(1, 1, 10));
    storage.noteCommitted!(10);
    await storage.persist({ id: 2, hardState: { term: 2, votedFor: null }, snapshot: null, entries: [] });
    // The mark lags what is durable by up to MARK_INTERVAL_MS: wait for it to claim commit 10.
    const markPath = join(dir, MARK_FILE);
    const markAtCommit10 = await waitFor('the durable mark to record commit index 10', () => readFileSync(markPath),
      (bytes) => decodeMark(markPath, bytes).position.commitIndex === 10);
    // A record that cuts committed entries (a Raft bug, or a record from elsewhere), durable, then a
    // crash before the mark moved past it: replay passes the mark and ends below the commit index.
    const cut = { index: 5, term: 2, command: null };
    await storage.persist({ id: 3, hardState: null, snapshot: null, entries: [cut] });
    await storage.close();
    writeFileSync(join(dir, MARK_FILE), markAtCommit10);
    const error = await refusal(dir);
    expect(error.message).toMatch(/^the log ends at index 5 but index 10 was recorded committed: indexes 6\.\.10 are missing \(data dir/);
  });

  it('a commit index beyond the durable log is recorded only up to the log', async () => {
    const dir = tempDir();
    const storage = await openStorage<KvCommand>(dir, SMALL);
    storage.noteCommitted!(50);
    await storage.persist(appendRequest(1, 1, 10));
    await storage.close();
    const reopened = await openStorage<KvCommand>(dir, SMALL);
    expect(reopened.recovered.entries).toHaveLength(10);
    await reopened.close();
  });
});
