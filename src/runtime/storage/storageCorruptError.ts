/**
 * Thrown at open when the bytes on disk cannot be a state this storage wrote: a damaged record
 * that is not a torn tail, a missing segment, a damaged snapshot file. Recovery refuses to guess
 * rather than silently lose or invent a record; a human (or a re-sync from peers) must decide.
 */
export class StorageCorruptError extends Error {
  override readonly name = 'StorageCorruptError';

  constructor(
    readonly file: string,
    readonly offset: number,
    reason: string,
  ) {
    super(`storage corrupt: ${file} at byte ${offset}: ${reason}`);
  }
}
