/**
 * Space written ahead (as etcd preallocates its WAL): the writer puts zeros past its appends, so a
 * later append overwrites blocks the file already has and its fdatasync flushes data only. What
 * must still hold: the zeros at the end of the last segment are read as that space (no cut, no
 * notice); only the last segment may end in zeros; a crash's garbage in that space is still cut;
 * and zeros over records the durable mark vouches for are never taken for space.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KvCommand } from '../../../src/kv/types.js';
import type { PersistRequest } from '../../../src/raft/ready.js';
import { openStorage, StorageCorruptError, WalMissingError } from '../../../src/runtime/diskStorage.js';
import { segmentFiles, tempDir, walDataEnd as dataEnd } from './helpers.js';

const AHEAD = 8192;
const OPTIONS = { fsync: false, segmentBytes: 4000, preallocateBytes: AHEAD } as const;

function appendRequest(id: number, from: number, count: number): PersistRequest<KvCommand> {
  const entries = Array.from({ length: count }, (_, i) => ({
    index: from + i, term: 1, command: { clientId: 7, seq: from + i, op: { f: 'put', key: `k${from + i}`, value: 'value' } } as KvCommand,
  }));
  return { id, hardState: { term: 1, votedFor: 2 }, snapshot: null, entries };
}

async function writeLog(requests: number, lines: string[] = []): Promise<string> {
  const dir = tempDir();
  const storage = await openStorage<KvCommand>(dir, { ...OPTIONS, log: (l) => lines.push(l) });
  for (let i = 0; i < requests; i++) await storage.persist(appendRequest(i + 1, i * 3 + 1, 3));
  await storage.close();
  return dir;
}


async function reopen(dir: string, lines: string[] = []) {
  return openStorage<KvCommand>(dir, { ...OPTIONS, log: (l) => lines.push(l) });
}

describe('space written ahead of the appends', () => {
  it('the last segment is longer than its records, and recovery reads the zeros as space: every entry back, nothing cut', async () => {
    const dir = await writeLog(5);
    const [only] = segmentFiles(dir);
    const path = join(dir, only!);
    expect(statSync(path).size).toBeGreaterThan(dataEnd(path));
    expect(statSync(path).size).toBeLessThanOrEqual(OPTIONS.segmentBytes);
    const lines: string[] = [];
    const storage = await reopen(dir, lines);
    expect(storage.recovered.entries.map((e) => e.index)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(lines).toEqual([]);
    // Appends go on where the records end, over the zeros, and come back.
    await storage.persist(appendRequest(6, 16, 3));
    await storage.close();
    const again = await reopen(dir);
    expect(again.recovered.entries.at(-1)!.index).toBe(18);
    await again.close();
  });

  it('a full segment is cut to its records before the next starts: only the last segment ends in zeros', async () => {
    const dir = await writeLog(60);
    const files = segmentFiles(dir);
    expect(files.length).toBeGreaterThan(3);
    for (const name of files.slice(0, -1)) {
      const path = join(dir, name);
      expect(statSync(path).size, name).toBe(dataEnd(path));
    }
    const storage = await reopen(dir);
    expect(storage.recovered.entries.at(-1)!.index).toBe(180);
    await storage.close();
  });

  it('zeros after the records of an earlier segment are damage, not space', async () => {
    const dir = await writeLog(60);
    const files = segmentFiles(dir);
    const path = join(dir, files[1]!);
    writeFileSync(path, Buffer.concat([readFileSync(path), Buffer.alloc(512)]));
    const error = await reopen(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageCorruptError);
  });

  it('garbage a crash left in the space is cut and logged; the entries before it stay, and appends go on', async () => {
    const dir = await writeLog(5);
    const path = join(dir, segmentFiles(dir)[0]!);
    const end = dataEnd(path);
    const bytes = readFileSync(path);
    bytes.fill(0xab, end, end + 7);
    writeFileSync(path, bytes);
    const lines: string[] = [];
    const storage = await reopen(dir, lines);
    expect(storage.recovered.entries).toHaveLength(15);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`cut a torn tail at byte ${end}`);
    await storage.persist(appendRequest(6, 16, 3));
    await storage.close();
    const again = await reopen(dir);
    expect(again.recovered.entries).toHaveLength(18);
    await again.close();
  });

  it('zeros over records the durable mark vouches for are not taken for space: refused, naming what is missing', async () => {
    const dir = await writeLog(5);
    const path = join(dir, segmentFiles(dir)[0]!);
    const bytes = readFileSync(path);
    const end = dataEnd(path);
    bytes.fill(0, end - 100, end);
    writeFileSync(path, bytes);
    const error = await reopen(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WalMissingError);
    expect((error as Error).message).toMatch(/missing/);
  });

  it('refuses a negative amount to write ahead', async () => {
    await expect(openStorage(tempDir(), { preallocateBytes: -1 })).rejects.toThrow(RangeError);
  });
});
