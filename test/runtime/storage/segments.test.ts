/** Segment rolling, recovery across many segments, and what a snapshot lets us delete. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KvCommand } from '../../../src/kv/types.js';
import type { PersistRequest } from '../../../src/raft/ready.js';
import { readFrame } from '../../../src/storage/frame.js';
import { openStorage } from '../../../src/runtime/diskStorage.js';
import { decodeRecord } from '../../../src/storage/walRecords.js';
import type { SegmentHeader } from '../../../src/storage/walRecords.js';
import { Model, segmentFiles, snapshotFiles, tempDir } from './helpers.js';

const options = { fsync: false, segmentBytes: 1000 } as const;

function appendRequest(id: number, from: number, count: number, term = 1): PersistRequest<KvCommand> {
  const entries = Array.from({ length: count }, (_, i) => ({
    index: from + i, term, command: { clientId: 7, seq: from + i, op: { f: 'put', key: `k${from + i}`, value: 'value' } } as KvCommand,
  }));
  return { id, hardState: { term, votedFor: 2 }, snapshot: null, entries };
}

function snapshotRequest(id: number, index: number, term: number): PersistRequest<KvCommand> {
  return { id, hardState: null, entries: [], snapshot: { lastIncludedIndex: index, lastIncludedTerm: term, data: { lastAppliedIndex: index, entries: [['k', `at ${index}`]], sessions: [] } } };
}

function headerOf(dir: string, name: string): SegmentHeader {
  const frame = readFrame(readFileSync(join(dir, name)), 0);
  if (!frame.ok) throw new Error(frame.reason);
  const record = decodeRecord(frame.payload);
  if (record.kind !== 'header') throw new Error('no header');
  return record.header;
}

async function writeEntries(dir: string, model: Model, count: number): Promise<void> {
  const storage = await openStorage<KvCommand>(dir, options);
  for (let i = 0; i < count; i++) {
    const request = appendRequest(i + 1, i * 3 + 1, 3);
    model.apply(request);
    await storage.persist(request);
  }
  await storage.close();
}

describe('segments', () => {
  it('roll past segmentBytes, and recovery reads across all of them', async () => {
    const dir = tempDir();
    const model = new Model();
    await writeEntries(dir, model, 60);
    const files = segmentFiles(dir);
    expect(files.length).toBeGreaterThan(10);
    expect(files[0]).toBe('wal-0000000001.log');
    files.forEach((name, i) => {
      expect(headerOf(dir, name).seq).toBe(i + 1);
      expect(statSync(join(dir, name)).size).toBeLessThanOrEqual(options.segmentBytes);
    });
    const storage = await openStorage<KvCommand>(dir, options);
    expect(storage.recovered).toEqual(model.state());
    expect(storage.recovered.entries.length).toBe(180);
    await storage.close();
  });

  it('a record bigger than segmentBytes gets a segment of its own', async () => {
    const dir = tempDir();
    const storage = await openStorage<KvCommand>(dir, options);
    await storage.persist(appendRequest(1, 1, 100));
    await storage.persist(appendRequest(2, 101, 100));
    await storage.close();
    expect(segmentFiles(dir).length).toBe(2);
    const reopened = await openStorage<KvCommand>(dir, options);
    expect(reopened.recovered.entries.length).toBe(200);
    await reopened.close();
  });

  it('a snapshot deletes exactly the segments whose entries it covers, and the older snapshot', async () => {
    const dir = tempDir();
    const model = new Model();
    await writeEntries(dir, model, 60);
    const before = segmentFiles(dir);

    const storage = await openStorage<KvCommand>(dir, options);
    const first = snapshotRequest(100, 100, 1); // keeps 101..180, which span several segments
    model.apply(first);
    await storage.persist(first);
    const after = segmentFiles(dir);
    expect(after.length).toBeLessThan(before.length);
    expect(existsSync(join(dir, before[0]!))).toBe(false);
    // Everything deleted was covered; nothing more could have been deleted.
    expect(headerOf(dir, after[0]!).lastIndex).toBeLessThanOrEqual(100);
    expect(after.length, 'entries 101..180 span more than one segment').toBeGreaterThanOrEqual(2);
    expect(headerOf(dir, after[1]!).lastIndex).toBeGreaterThan(100);
    expect(snapshotFiles(dir)).toEqual(['snapshot-00000000000000000100-00000000000000000001.snap']);

    const second = snapshotRequest(101, 150, 1);
    model.apply(second);
    await storage.persist(second);
    expect(snapshotFiles(dir)).toEqual(['snapshot-00000000000000000150-00000000000000000001.snap']);
    expect(segmentFiles(dir).length).toBeLessThan(after.length);
    await storage.close();

    const reopened = await openStorage<KvCommand>(dir, options);
    expect(reopened.recovered).toEqual(model.state());
    expect(reopened.recovered.entries.map((e) => e.index)[0]).toBe(151);
    expect(reopened.recovered.snapshot?.lastIncludedIndex).toBe(150);
    await reopened.close();
  });

  it('a snapshot with another term drops the whole log, and appends go on after it', async () => {
    const dir = tempDir();
    const model = new Model();
    await writeEntries(dir, model, 30);
    const storage = await openStorage<KvCommand>(dir, options);
    const requests = [snapshotRequest(1, 60, 5), appendRequest(2, 61, 3, 5), appendRequest(3, 62, 2, 6)];
    for (const r of requests) {
      model.apply(r);
      await storage.persist(r);
    }
    await storage.close();
    expect(segmentFiles(dir).length).toBeLessThanOrEqual(2);
    const reopened = await openStorage<KvCommand>(dir, options);
    expect(reopened.recovered).toEqual(model.state());
    expect(reopened.recovered.entries.map((e) => [e.index, e.term])).toEqual([[61, 5], [62, 6], [63, 6]]);
    await reopened.close();
  });

  it('stale files from an interrupted snapshot write are removed at open', async () => {
    const dir = tempDir();
    const model = new Model();
    await writeEntries(dir, model, 5);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'snapshot-00000000000000000009-00000000000000000001.snap.tmp'), 'half');
    // A snapshot file whose WAL marker never became durable: not part of the state.
    writeFileSync(join(dir, 'snapshot-00000000000000000012-00000000000000000001.snap'), 'unreferenced');
    const storage = await openStorage<KvCommand>(dir, options);
    expect(storage.recovered).toEqual(model.state());
    expect(snapshotFiles(dir)).toEqual([]);
    await storage.close();
  });
});
