/**
 * The storage engine reaches files and time only through its ports (src/storage/storageEnv.ts):
 * the simulator will run it on an in-memory disk in virtual time, and any call that bypassed a
 * port would escape it. Here the ports are the Node ones wrapped to record every call.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KvCommand } from '../../src/kv/types.js';
import { NODE_STORAGE_ENV } from '../../src/runtime/nodeStorageEnv.js';
import { openStorage } from '../../src/storage/index.js';
import type { StorageClock, StorageEnv, StorageFile, StorageFs } from '../../src/storage/index.js';
import { LOCK_NAME } from '../../src/storage/index.js';
import { modelAfter, simpleRequests, tempDir } from '../runtime/storage/helpers.js';

interface Call {
  readonly op: string;
  readonly path: string;
  /** For `write`: where it wrote and how much. For `open`: the flags. */
  readonly detail?: string | { readonly position: number; readonly bytes: number };
}

/** The Node file system, recording every call; `onDatasync` lets a test move a fake clock. */
function recordingFs(calls: Call[], onDatasync: () => void = () => undefined): StorageFs {
  const fs = NODE_STORAGE_ENV.fs;
  const file = (path: string, inner: StorageFile): StorageFile => ({
    write: async (buffer, offset, length, position) => {
      const result = await inner.write(buffer, offset, length, position);
      calls.push({ op: 'write', path, detail: { position, bytes: result.bytesWritten } });
      return result;
    },
    read: (buffer, offset, length, position) => (calls.push({ op: 'read', path }), inner.read(buffer, offset, length, position)),
    datasync: () => (calls.push({ op: 'datasync', path }), onDatasync(), inner.datasync()),
    sync: () => (calls.push({ op: 'sync', path }), inner.sync()),
    close: () => (calls.push({ op: 'close', path }), inner.close()),
  });
  return {
    mkdirp: (path) => (calls.push({ op: 'mkdirp', path }), fs.mkdirp(path)),
    open: async (path, flags) => (calls.push({ op: 'open', path, detail: flags }), file(path, await fs.open(path, flags))),
    readFile: (path) => (calls.push({ op: 'readFile', path }), fs.readFile(path)),
    writeFile: (path, data) => (calls.push({ op: 'writeFile', path }), fs.writeFile(path, data)),
    readdir: (path) => (calls.push({ op: 'readdir', path }), fs.readdir(path)),
    rename: (from, to) => (calls.push({ op: 'rename', path: from, detail: to }), fs.rename(from, to)),
    unlink: (path) => (calls.push({ op: 'unlink', path }), fs.unlink(path)),
    truncate: (path, length) => (calls.push({ op: 'truncate', path }), fs.truncate(path, length)),
    link: (from, to) => (calls.push({ op: 'link', path: from, detail: to }), fs.link(from, to)),
    syncDir: (path) => (calls.push({ op: 'syncDir', path }), fs.syncDir(path)),
  };
}

/**
 * How far the writes through the port reach in each file, following renames: a file on disk
 * of another size was written (or created) some other way.
 */
function extentsWritten(calls: readonly Call[]): Map<string, number> {
  const extents = new Map<string, number>();
  for (const call of calls) {
    if (call.op === 'open' && (call.detail === 'w' || call.detail === 'wx')) extents.set(call.path, 0);
    if (call.op === 'write' && typeof call.detail === 'object') {
      extents.set(call.path, Math.max(extents.get(call.path) ?? 0, call.detail.position + call.detail.bytes));
    }
    if (call.op === 'rename') {
      extents.set(call.detail as string, extents.get(call.path)!);
      extents.delete(call.path);
    }
    if (call.op === 'unlink') extents.delete(call.path);
  }
  return extents;
}

/** A clock that moves only when told; `after` records the timers it is asked for. */
class FakeClock implements StorageClock {
  time = 0;
  readonly timers: { ms: number; fn: () => void; cancelled: boolean }[] = [];
  now(): number {
    return this.time;
  }
  after(ms: number, fn: () => void): () => void {
    const timer = { ms, fn, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }
}

/** Waits (a few turns of the event loop at most) until `done`: real file I/O finishes when it does. */
async function until(done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1000 && !done(); turn++) await new Promise((resolve) => setImmediate(resolve));
  expect(done()).toBe(true);
}

describe('the storage engine on recording ports', () => {
  it('reaches every file through env.fs: the directory holds exactly what the recorded writes made, and comes back whole', async () => {
    const calls: Call[] = [];
    const clock = new FakeClock();
    const env: StorageEnv = { fs: recordingFs(calls, () => (clock.time += 3)), clock, lock: NODE_STORAGE_ENV.lock };
    const dir = join(tempDir(), 'data'); // not there yet: created through mkdirp
    const requests = simpleRequests(12); // a snapshot halfway: snapshot file, segment deletion
    const options = { segmentBytes: 700, preallocateBytes: 0, fsync: true, log: () => undefined };

    const storage = await openStorage<KvCommand>(env, dir, options);
    for (const request of requests) await storage.persist(request);
    const { fsyncs, lastFsyncMs } = storage.stats;
    await storage.close();

    const ops = new Set(calls.map((c) => c.op));
    for (const op of ['mkdirp', 'readdir', 'open', 'write', 'datasync', 'sync', 'syncDir', 'rename', 'unlink', 'close']) expect(ops, op).toContain(op);
    // Every fsync the engine counted went through the port, and was timed on the port's clock.
    expect(calls.filter((c) => ['datasync', 'sync', 'syncDir'].includes(c.op)).length).toBe(fsyncs);
    expect(lastFsyncMs).toBe(3);
    // Every file left (but the lock, which is env.lock's own) is one the port wrote, to its last byte.
    const extents = extentsWritten(calls);
    const onDisk = readdirSync(dir).filter((name) => name !== LOCK_NAME).sort();
    expect(onDisk.length).toBeGreaterThan(2); // the mark, segments, the snapshot
    expect(onDisk.some((name) => name.startsWith('snapshot-'))).toBe(true);
    expect([...extents.keys()].map((path) => path.slice(dir.length + 1)).sort()).toEqual(onDisk);
    for (const name of onDisk) expect(statSync(join(dir, name)).size, name).toBe(extents.get(join(dir, name)));
    // Segments the snapshot made unneeded were deleted through the port.
    expect(calls.some((c) => c.op === 'unlink' && c.path.includes('wal-'))).toBe(true);

    calls.length = 0;
    const reopened = await openStorage<KvCommand>(env, dir, options);
    expect(reopened.recovered).toEqual(modelAfter(requests));
    await reopened.close();
    // Recovery read the mark, every segment and the snapshot through the port.
    const read = new Set(calls.filter((c) => c.op === 'readFile' || c.op === 'read' || c.op === 'open').map((c) => c.path.slice(dir.length + 1)));
    for (const name of onDisk) expect(read, name).toContain(name);
  });

  it('arms the lagging durable mark\'s timer through env.clock, writes the mark when it fires, and cancels it at close', async () => {
    const calls: Call[] = [];
    const clock = new FakeClock();
    const env: StorageEnv = { fs: recordingFs(calls), clock, lock: NODE_STORAGE_ENV.lock };
    const dir = tempDir();
    const [first, second, third] = simpleRequests(9); // its snapshot comes 5th: these three are appends
    const storage = await openStorage<KvCommand>(env, dir, { fsync: false, log: () => undefined });
    const markWrites = () => calls.filter((c) => c.op === 'write' && c.path === join(dir, 'DURABLE')).length;

    await storage.persist(first!); // the first segment's first claim: written at once, no timer
    await until(() => markWrites() === 1); // the mark is written after persist resolves
    expect(clock.timers).toEqual([]);
    const written = markWrites();
    await storage.persist(second!); // the clock has not moved: the mark waits for a timer
    expect(clock.timers.map((t) => t.ms)).toEqual([100]);
    expect(markWrites()).toBe(written);

    clock.time = 100;
    clock.timers[0]!.fn();
    await until(() => markWrites() === written + 1);

    await storage.persist(third!);
    expect(clock.timers.length).toBe(2);
    expect(clock.timers[1]!.cancelled).toBe(false);
    await storage.close();
    expect(clock.timers[1]!.cancelled).toBe(true);
    expect(markWrites()).toBe(written + 2); // close records what the cancelled timer would have
  });
});
