/**
 * Thrown at open when the bytes on disk cannot be a state this storage wrote: a damaged record
 * that is not a torn tail, a missing segment, a damaged snapshot file. Recovery refuses to guess
 * rather than silently lose or invent a record; a human (or a re-sync from peers) must decide.
 */
export class StorageCorruptError extends Error {
  override readonly name: string = 'StorageCorruptError';

  constructor(
    readonly file: string,
    readonly offset: number,
    reason: string,
  ) {
    super(`storage corrupt: ${file} at byte ${offset}: ${reason}`);
  }
}

/**
 * Part of the log that the WAL itself records as written is not there: a deleted segment, or one
 * cut short below what was durable. The message names what is missing and the data directory.
 */
export class WalMissingError extends StorageCorruptError {
  override readonly name = 'WalMissingError';

  constructor(file: string, offset: number, what: string, dir: string) {
    super(file, offset, what);
    this.message = `${what} (data dir ${dir}): refusing to start with part of the durable log gone`;
  }
}
