/**
 * Node-shaped file system errors: an Error with `code`, `errno`, `syscall` and `path`, and Node's
 * message ("ENOENT: no such file or directory, open '/d/x'"), so that the engine's error handling
 * (storageErrors.ts) reads the simulated refusals exactly as the real ones.
 */

const DESCRIPTIONS = {
  ENOENT: [-2, 'no such file or directory'],
  EEXIST: [-17, 'file already exists'],
  EISDIR: [-21, 'illegal operation on a directory'],
  ENOTDIR: [-20, 'not a directory'],
  ENOSPC: [-28, 'no space left on device'],
  EBADF: [-9, 'bad file descriptor'],
  EINVAL: [-22, 'invalid argument'],
  EPERM: [-1, 'operation not permitted'],
  ENAMETOOLONG: [-36, 'name too long'],
} as const;

export type FsErrorCode = keyof typeof DESCRIPTIONS;

export interface SimFsError extends Error {
  readonly code: FsErrorCode;
  readonly errno: number;
  readonly syscall: string;
  readonly path?: string;
  readonly dest?: string;
}

export function fsError(code: FsErrorCode, syscall: string, path?: string, dest?: string): SimFsError {
  const [errno, description] = DESCRIPTIONS[code];
  let message = `${code}: ${description}, ${syscall}`;
  if (path !== undefined) message += ` '${path}'`;
  if (dest !== undefined) message += ` -> '${dest}'`;
  const error = new Error(message) as Error & Record<string, unknown>;
  error.code = code;
  error.errno = errno;
  error.syscall = syscall;
  if (path !== undefined) error.path = path;
  if (dest !== undefined) error.dest = dest;
  return error as unknown as SimFsError;
}

/** Runs `body` now and returns its result (or its error) as an already-settled promise. */
export function settled<T>(body: () => T): Promise<T> {
  try {
    return Promise.resolve(body());
  } catch (error) {
    return Promise.reject(error);
  }
}
