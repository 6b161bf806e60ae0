import { assert } from './assert.js';
import { entrySize } from './entrySize.js';
import type { RaftLog } from './log.js';

/**
 * A leader's count of the bytes it appended this term and has not committed yet (etcd-raft's
 * uncommittedSize), which bounds how far its log can run ahead of what a quorum holds: a leader cut
 * off from its followers refuses proposals instead of growing its log without end.
 *
 * Only the leader's own entries count (from `firstOwnIndex`, its no-op): entries of earlier terms
 * it found in its log were never admitted by it. Invariants: bytes ≥ 0; bytes is 0 when the
 * commit index reaches the last entry.
 */
export class UncommittedBudget<C> {
  private bytes = 0;

  constructor(
    private readonly log: RaftLog<C>,
    private readonly limit: number,
    private readonly firstOwnIndex: number,
  ) {
    assert(limit >= 1, 'uncommitted: the limit must be at least 1');
  }

  get uncommittedBytes(): number {
    return this.bytes;
  }

  /** Whether a new entry of `size` bytes may be appended: always when nothing is uncommitted. */
  admits(size: number): boolean {
    return this.bytes === 0 || this.bytes + size <= this.limit;
  }

  /** The leader appended an entry of `size` bytes. */
  appended(size: number): void {
    this.bytes += size;
  }

  /** Commit moved from `from` to `to`: the leader's own entries in (from, to] stop counting. */
  committed(from: number, to: number): void {
    for (let i = Math.max(from + 1, this.firstOwnIndex); i <= to; i++) {
      this.bytes -= entrySize(this.log.entryAt(i)!);
    }
    assert(this.bytes >= 0, 'uncommitted: negative uncommitted bytes');
    if (to === this.log.lastIndex) assert(this.bytes === 0, 'uncommitted: bytes left when all is committed');
  }
}
