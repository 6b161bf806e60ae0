/**
 * The storage engine's ports (src/storage/storageEnv.ts) on a real disk: node:fs/promises,
 * performance.now, unref'd timers, and the pid-file lock of dirLock.ts. Thin on purpose: the
 * engine decides every write, sync and rename; this only carries them out.
 */
import { link, mkdir, open, readdir, readFile, rename, truncate, unlink, writeFile } from 'node:fs/promises';
import type { StorageClock, StorageEnv, StorageFile, StorageFs } from '../storage/storageEnv.js';
import { lockDataDir } from './dirLock.js';

/** A FileHandle already has every call of StorageFile, positioned reads and writes included. */
const nodeFs: StorageFs = {
  mkdirp: async (path) => (await mkdir(path, { recursive: true })) ?? null,
  open: async (path, flags): Promise<StorageFile> => open(path, flags),
  readFile: (path) => readFile(path),
  writeFile: (path, data) => writeFile(path, data),
  // Sorted, as the port promises: a directory listing's order is the file system's own.
  readdir: async (path) => (await readdir(path)).sort(),
  rename: (from, to) => rename(from, to),
  unlink: (path) => unlink(path),
  truncate: (path, length) => truncate(path, length),
  link: (from, to) => link(from, to),
  syncDir: async (path) => {
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};

const nodeClock: StorageClock = {
  now: () => performance.now(),
  after: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    timer.unref(); // a pending mark write must not keep the process alive
    return () => clearTimeout(timer);
  },
};

export const NODE_STORAGE_ENV: StorageEnv = { fs: nodeFs, clock: nodeClock, lock: lockDataDir };
