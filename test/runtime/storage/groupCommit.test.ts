/** Group commit, ordering, and the queue's failure behaviour. */
import { describe, expect, it } from 'vitest';
import type { KvCommand } from '../../../src/kv/types.js';
import type { PersistRequest } from '../../../src/raft/ready.js';
import { openStorage } from '../../../src/runtime/diskStorage.js';
import { tempDir } from './helpers.js';

function append(id: number, index: number, term = 1): PersistRequest<KvCommand> {
  return { id, hardState: { term, votedFor: 1 }, snapshot: null, entries: [{ index, term, command: { clientId: 1, seq: id, op: { f: 'put', key: 'k', value: `v${id}` } } }] };
}

describe('group commit', () => {
  it('100 persists issued without awaiting resolve in order and share far fewer than 100 fsyncs', async () => {
    const dir = tempDir();
    const storage = await openStorage<KvCommand>(dir);
    const fsyncsAtOpen = storage.stats.fsyncs;
    const resolved: number[] = [];
    const all = Array.from({ length: 100 }, (_, i) => storage.persist(append(i + 1, i + 1)).then(() => resolved.push(i + 1)));
    await Promise.all(all);
    expect(resolved).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const fsyncs = storage.stats.fsyncs - fsyncsAtOpen;
    expect(fsyncs).toBeGreaterThan(0);
    expect(fsyncs).toBeLessThan(100);
    expect(storage.stats.bytesWritten).toBeGreaterThan(0);
    await storage.close();
    const reopened = await openStorage<KvCommand>(dir);
    expect(reopened.recovered.entries.map((e) => e.index)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    await reopened.close();
  });

  it('requests issued while an fsync runs share the next one', async () => {
    const storage = await openStorage<KvCommand>(tempDir());
    const before = storage.stats.fsyncs;
    const first = storage.persist(append(1, 1));
    // Wait until the first batch is in flight, then queue more behind it.
    await new Promise((r) => setImmediate(r));
    const rest = Array.from({ length: 50 }, (_, i) => storage.persist(append(i + 2, i + 2)));
    await Promise.all([first, ...rest]);
    expect(storage.stats.fsyncs - before).toBeLessThanOrEqual(3);
    await storage.close();
  });

  it('calls onFsync with each fsync duration and keeps stats', async () => {
    const storage = await openStorage<KvCommand>(tempDir());
    const durations: number[] = [];
    storage.onFsync = (ms) => durations.push(ms);
    const before = storage.stats.fsyncs;
    await storage.persist(append(1, 1));
    expect(durations.length).toBe(storage.stats.fsyncs - before);
    expect(durations.length).toBeGreaterThan(0);
    expect(durations.every((ms) => ms >= 0)).toBe(true);
    expect(storage.stats.lastFsyncMs).toBe(durations.at(-1));
    await storage.close();
  });

  it('fsync: false makes no fsyncs', async () => {
    const storage = await openStorage<KvCommand>(tempDir(), { fsync: false });
    await storage.persist(append(1, 1));
    expect(storage.stats.fsyncs).toBe(0);
    await storage.close();
  });

  it('a request that would leave a gap is rejected, with everything after it; those before it are durable', async () => {
    const dir = tempDir();
    const storage = await openStorage<KvCommand>(dir, { fsync: false });
    const ok = storage.persist(append(1, 1));
    const gap = storage.persist(append(2, 5));
    const after = storage.persist(append(3, 2));
    await expect(ok).resolves.toBeUndefined();
    await expect(gap).rejects.toThrow(/gap/);
    await expect(after).rejects.toThrow(/gap/);
    await expect(storage.persist(append(4, 2))).rejects.toThrow(/gap/);
    await storage.close();
    const reopened = await openStorage<KvCommand>(dir, { fsync: false });
    expect(reopened.recovered.entries.map((e) => e.index)).toEqual([1]);
    await reopened.close();
  });

  it('close waits for queued requests; persist after close rejects', async () => {
    const dir = tempDir();
    const storage = await openStorage<KvCommand>(dir, { fsync: false });
    const queued = [storage.persist(append(1, 1)), storage.persist(append(2, 2))];
    await storage.close();
    await Promise.all(queued);
    await expect(storage.persist(append(3, 3))).rejects.toThrow(/close/);
    const reopened = await openStorage<KvCommand>(dir, { fsync: false });
    expect(reopened.recovered.entries.length).toBe(2);
    await reopened.close();
  });

  it('rejects a bad segmentBytes', async () => {
    await expect(openStorage(tempDir(), { segmentBytes: 0 })).rejects.toThrow(RangeError);
  });
});
