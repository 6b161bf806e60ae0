/**
 * File system errors while opening or writing the storage, as one line that names the path and
 * says what to do. Everything `raftsim serve` should report as "cannot use this data directory"
 * (exit 2, no stack trace) passes `isStorageRefusal`.
 */
import { DataDirInUseError, LockFileUnreadableError } from './lockErrors.js';
import { StorageCorruptError } from './storageCorruptError.js';

const ADVICE: Readonly<Record<string, string>> = {
  EROFS: 'the file system is read-only: give a --data directory on a writable file system',
  EACCES: 'permission denied: make the directory and its files writable by this user, or give another --data directory',
  EPERM: 'operation not permitted: make the directory and its files writable by this user, or give another --data directory',
  ENOSPC: 'no space left on the device: free some space, then start the node again (acknowledged writes are safe on disk)',
  EDQUOT: 'disk quota exceeded: free some space or raise the quota, then start the node again',
  ENOENT: 'does not exist and could not be created: check the --data path',
  ENOTDIR: 'a part of the path is not a directory: give a --data path that is (or can become) a directory',
  EEXIST: 'exists and is not a directory: give a --data path that is (or can become) a directory',
  EISDIR: 'is a directory where the storage expects a file: remove it',
  EIO: 'input/output error: the disk may be failing; check it before starting the node again',
};

export class StorageAccessError extends Error {
  override readonly name = 'StorageAccessError';

  constructor(readonly dir: string, readonly path: string, readonly code: string) {
    super(`cannot use data directory ${dir}: ${path}: ${ADVICE[code]} (${code})`);
  }
}

/** `error` as a StorageAccessError when it is a file system error we can explain; else unchanged. */
export function explainFsError(error: unknown, dir: string): unknown {
  const { code, path } = error as { code?: string; path?: string };
  if (code === undefined || ADVICE[code] === undefined) return error;
  return new StorageAccessError(dir, path ?? dir, code);
}

export type StorageRefusal = StorageCorruptError | DataDirInUseError | LockFileUnreadableError | StorageAccessError;

/** Errors that mean "this data directory cannot be used as it is": one line, exit 2. */
export function isStorageRefusal(error: unknown): error is StorageRefusal {
  return error instanceof StorageCorruptError || error instanceof DataDirInUseError ||
    error instanceof LockFileUnreadableError || error instanceof StorageAccessError;
}
