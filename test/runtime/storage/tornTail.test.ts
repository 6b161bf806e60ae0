/**
 * A crash in the middle of a write leaves a torn last record: recovery cuts it off and returns
 * exactly the state before it, and the log goes on working.
 */
import { appendFileSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KvCommand } from '../../../src/kv/types.js';
import type { PersistRequest } from '../../../src/raft/ready.js';
import type { DurableState } from '../../../src/raft/types.js';
import { openStorage } from '../../../src/runtime/diskStorage.js';
import { buildLog, copyDir, markBefore, modelAfter, requestSequences, segmentFiles, simpleRequests } from './helpers.js';

// These tests cut files at byte offsets: no zeros written ahead, so the data ends where the file does.
const noSync = { fsync: false, preallocateBytes: 0 } as const;

function nextAppend(state: DurableState<KvCommand>, id: number): PersistRequest<KvCommand> {
  const last = (state.snapshot?.lastIncludedIndex ?? 0) + state.entries.length;
  return { id, hardState: { term: 3, votedFor: 3 }, snapshot: null, entries: [{ index: last + 1, term: 3, command: null }] };
}

/** Reopens `dir`, expects `before`, then checks that a new append survives another reopen. */
async function expectRecoversTo(dir: string, requestsBefore: readonly PersistRequest<KvCommand>[]): Promise<void> {
  const before = modelAfter(requestsBefore);
  const storage = await openStorage<KvCommand>(dir, noSync);
  expect(storage.recovered).toEqual(before);
  const extra = nextAppend(before, 1000);
  await storage.persist(extra);
  await storage.close();
  const again = await openStorage<KvCommand>(dir, noSync);
  expect(again.recovered).toEqual(modelAfter([...requestsBefore, extra]));
  await again.close();
}

describe('torn last record', () => {
  it('is cut at every byte offset from its start to its end', async () => {
    const log = await buildLog((d) => openStorage(d, noSync), simpleRequests(6));
    const n = log.requests.length;
    const start = log.sizes[n - 2]!;
    const end = log.sizes[n - 1]!;
    const segment = basename(log.segments[n - 1]!);
    expect(end - start).toBeGreaterThan(20);
    for (let cut = start; cut < end; cut++) {
      const dir = copyDir(log.dir);
      truncateSync(join(dir, segment), cut);
      markBefore(log, n - 1, dir);
      const storage = await openStorage<KvCommand>(dir, noSync);
      expect(storage.recovered, `cut at ${cut}`).toEqual(log.states[n - 2]);
      await storage.close();
      expect(statSync(join(dir, segment)).size, `cut at ${cut}`).toBe(start);
      await expectRecoversTo(dir, log.requests.slice(0, n - 1));
    }
  });

  it('a new segment torn at every byte offset of its header and first record', async () => {
    // Segments so small that each request starts a new one.
    const log = await buildLog((d) => openStorage(d, { ...noSync, segmentBytes: 64 }), simpleRequests(4));
    const n = log.requests.length;
    const newest = log.segments[n - 1]!;
    expect(newest).not.toBe(log.segments[n - 2]);
    const name = basename(newest);
    for (let cut = 0; cut < log.sizes[n - 1]!; cut++) {
      const dir = copyDir(log.dir);
      truncateSync(join(dir, name), cut);
      markBefore(log, n - 1, dir);
      const storage = await openStorage<KvCommand>(dir, { ...noSync, segmentBytes: 64 });
      expect(storage.recovered, `cut at ${cut}`).toEqual(log.states[n - 2]);
      await storage.close();
      await expectRecoversTo(dir, log.requests.slice(0, n - 1));
    }
  });

  it('a torn header of the very first segment leaves an empty store', async () => {
    const log = await buildLog((d) => openStorage(d, noSync), []);
    const name = segmentFiles(log.dir)[0]!;
    for (let cut = 0; cut < statSync(join(log.dir, name)).size; cut++) {
      const dir = copyDir(log.dir);
      truncateSync(join(dir, name), cut);
      await expectRecoversTo(dir, []);
    }
  });

  it('a bit flipped anywhere in the last record payload is treated as torn', async () => {
    const log = await buildLog((d) => openStorage(d, noSync), simpleRequests(5));
    const n = log.requests.length;
    const start = log.sizes[n - 2]!;
    const end = log.sizes[n - 1]!;
    const segment = basename(log.segments[n - 1]!);
    for (let at = start + 8; at < end; at++) {
      const dir = copyDir(log.dir);
      const path = join(dir, segment);
      const bytes = readFileSync(path);
      bytes[at]! ^= 1 << (at % 8);
      writeFileSync(path, bytes);
      markBefore(log, n - 1, dir);
      const storage = await openStorage<KvCommand>(dir, noSync);
      expect(storage.recovered, `flip at ${at}`).toEqual(log.states[n - 2]);
      await storage.close();
      expect(statSync(path).size).toBe(start);
    }
  });

  it('zeros after the last record (a write whose data never landed) are cut', async () => {
    const log = await buildLog((d) => openStorage(d, noSync), simpleRequests(4));
    const n = log.requests.length;
    const path = join(log.dir, basename(log.segments[n - 1]!));
    appendFileSync(path, Buffer.alloc(4096));
    await expectRecoversTo(log.dir, log.requests);
    expect(statSync(path).size).toBeGreaterThan(log.sizes[n - 1]!);
  });

  it('a half-written last record after whole ones keeps the whole ones', async () => {
    const log = await buildLog((d) => openStorage(d, noSync), simpleRequests(6));
    const n = log.requests.length;
    const path = join(log.dir, basename(log.segments[n - 1]!));
    // Keep records up to n-2 in full and half of the last.
    const cut = log.sizes[n - 2]! + Math.floor((log.sizes[n - 1]! - log.sizes[n - 2]!) / 2);
    truncateSync(path, cut);
    markBefore(log, n - 1);
    await expectRecoversTo(log.dir, log.requests.slice(0, n - 1));
  });
});

describe('torn last record, as a property', () => {
  const RUNS = 50;
  const runs = fc.record({
    requests: requestSequences({ minLength: 1, maxLength: 20 }),
    segmentBytes: fc.constantFrom(64 * 1024 * 1024, 2048, 256),
    cut: fc.nat(),
  });

  it(`recovery of random requests cut anywhere in the last one keeps exactly the ones before (${RUNS} runs)`, async () => {
    await fc.assert(fc.asyncProperty(runs, async ({ requests, segmentBytes, cut }) => {
      const log = await buildLog((d) => openStorage(d, { ...noSync, segmentBytes }), requests);
      const n = requests.length;
      // A crash can tear only a write not yet durable: once the last request deleted files, it was.
      fc.pre(log.deleted[n - 1]!.length === 0);
      // Its record starts where the segment ended before it, or at 0 if it started a new segment
      // (then its header can be torn too).
      const newest = log.segments[n - 1]!;
      const before = n > 1 ? { segment: log.segments[n - 2]!, size: log.sizes[n - 2]! } : log.opened;
      const start = before.segment === newest ? before.size : 0;
      const end = log.sizes[n - 1]!;
      fc.pre(end > start); // an empty request writes no record
      truncateSync(newest, start + (cut % (end - start)));
      markBefore(log, n - 1);
      await expectRecoversTo(log.dir, requests.slice(0, n - 1));
    }), { numRuns: RUNS });
  });
});
