/**
 * The refusals of a directory lock (env.lock, storageEnv.ts), named here so that storageErrors.ts
 * can tell them apart from bugs in every environment. The lock itself belongs to the environment
 * (src/runtime/dirLock.ts on a real disk).
 */
import { join } from 'node:path';

export const LOCK_NAME = 'LOCK';

/** The directory is locked by a live process (or by another storage in this process). */
export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';

  /** `thisProcess`: the pid is the caller's own (another storage in it holds the directory). */
  constructor(readonly dir: string, readonly pid: number, thisProcess: boolean) {
    super(`data directory ${dir} in use by pid ${pid}${thisProcess ? ' (this process)' : ''}` +
      ` (if no raftsim process uses it, remove ${join(dir, LOCK_NAME)})`);
  }
}

export class LockFileUnreadableError extends Error {
  override readonly name = 'LockFileUnreadableError';

  constructor(readonly path: string) {
    super(`lock file ${path} does not hold a pid: if no raftsim process uses the directory, remove it`);
  }
}
