/** Absolute POSIX paths, checked against the bounds a real file system has. */
import { posix } from 'node:path';
import { fsError } from './fsErrors.js';

export const MAX_PATH_BYTES = 4096;
export const MAX_NAME_BYTES = 255;

/** The path's names from the root ('/a/b' → ['a', 'b']); throws EINVAL or ENAMETOOLONG. */
export function pathNames(path: string, syscall: string): string[] {
  if (typeof path !== 'string' || !posix.isAbsolute(path)) throw fsError('EINVAL', syscall, String(path));
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) throw fsError('ENAMETOOLONG', syscall, path);
  const names = posix.normalize(path).split('/').filter((name) => name !== '');
  for (const name of names) {
    if (Buffer.byteLength(name) > MAX_NAME_BYTES) throw fsError('ENAMETOOLONG', syscall, path);
  }
  return names;
}
