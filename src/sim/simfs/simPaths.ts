/**
 * Absolute POSIX paths, checked against the bounds a real file system has. Resolved here rather than
 * with node:path, which src/sim may not import (test/architecture.test.ts).
 */
import { fsError } from './fsErrors.js';

export const MAX_PATH_BYTES = 4096;
export const MAX_NAME_BYTES = 255;

/** The path's names from the root ('/a/./b/../c' → ['a', 'c']); throws EINVAL or ENAMETOOLONG. */
export function pathNames(path: string, syscall: string): string[] {
  if (typeof path !== 'string' || !path.startsWith('/')) throw fsError('EINVAL', syscall, String(path));
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) throw fsError('ENAMETOOLONG', syscall, path);
  const names: string[] = [];
  for (const name of path.split('/')) {
    if (Buffer.byteLength(name) > MAX_NAME_BYTES) throw fsError('ENAMETOOLONG', syscall, path);
    if (name === '..') names.pop();
    else if (name !== '' && name !== '.') names.push(name);
  }
  return names;
}
