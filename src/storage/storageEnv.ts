/**
 * Everything the storage engine needs from the world around it: a file system, a clock with
 * timers, and a lock on its directory. The real runtime passes the Node implementations
 * (nodeStorageEnv.ts); the simulator passes an in-memory file system in virtual time
 * (src/sim/simfs), so that the same engine meets crashes and disk faults under a seed.
 *
 * The calls are the few the engine makes. Errors are Node's: an Error with `code` (ENOENT, EEXIST,
 * ENOSPC, EIO, …) and `path`, so that storageErrors.ts explains both worlds' refusals alike.
 */

/** An open file. Every read and write names its position: the engine never relies on a cursor. */
export interface StorageFile {
  /** May write fewer bytes than asked (the caller loops); a full disk rejects with ENOSPC. */
  write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
  /** Reads up to `length` bytes at `position`; fewer at the end of the file (0 past it). */
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  /** fdatasync: the file's data (and its size) are durable when it resolves. */
  datasync(): Promise<void>;
  /** fsync: data and metadata. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * How a file is opened: 'r' read only; 'r+' read and write, must exist; 'w' create or empty;
 * 'wx' create, EEXIST if it exists.
 */
export type OpenFlags = 'r' | 'r+' | 'w' | 'wx';

export interface StorageFs {
  /** Creates the directory and its missing parents; returns the first directory it created (as Node's mkdir), or null. */
  mkdirp(path: string): Promise<string | null>;
  open(path: string, flags: OpenFlags): Promise<StorageFile>;
  readFile(path: string): Promise<Buffer>;
  /** Creates or replaces the file with `data` (not synced). */
  writeFile(path: string, data: Uint8Array): Promise<void>;
  /** The names in a directory, sorted. */
  readdir(path: string): Promise<string[]>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  truncate(path: string, length: number): Promise<void>;
  /** A second name for an existing file; EEXIST if `to` exists (the lock's atomic create). */
  link(from: string, to: string): Promise<void>;
  /** Makes creations, renames and deletions in the directory durable (fsync of the directory). */
  syncDir(path: string): Promise<void>;
}

/** Time for the engine: how long fsyncs take (metrics), and when the lagging durable mark is written. */
export interface StorageClock {
  /** Milliseconds from an arbitrary start; only differences are used. */
  now(): number;
  /** Calls `fn` once after `ms`; returns a function that cancels it. Never keeps a process alive. */
  after(ms: number, fn: () => void): () => void;
}

export interface DirLock {
  release(): Promise<void>;
}

export interface StorageEnv {
  readonly fs: StorageFs;
  readonly clock: StorageClock;
  /** Takes the lock on `dir` (which exists), or rejects (DataDirInUseError, …); `log` gets one line on a takeover. */
  lock(dir: string, log: (line: string) => void): Promise<DirLock>;
}
