import { assert } from './assert.js';

/**
 * How a leader replicates to one follower (Raft paper §5.3; states after etcd's tracker):
 * - `probe`: nextIndex is a guess. At most one AppendEntries is outstanding; the leader waits for
 *   its answer (or the next heartbeat round, in case it was lost) before sending another.
 * - `replicate`: the follower is known to match up to matchIndex. Appends are pipelined and
 *   nextIndex advances optimistically on send, with at most `maxInflight` unanswered ones carrying
 *   less than `maxInflightBytes` of entries in all (see `roomBytes`).
 * - `snapshot`: an InstallSnapshot is outstanding; nothing else is sent until it is answered.
 */
export type ProgressState = 'probe' | 'replicate' | 'snapshot';

/**
 * A heartbeat round with no acknowledgement counts as one stalled round; after this many in a row
 * the leader assumes what it has in flight was lost, and probes again from matchIndex + 1.
 * Two rounds (not one) so a round trip a little longer than the heartbeat interval is not mistaken
 * for a loss.
 */
export const STALLED_ROUNDS_MAX = 2;

/**
 * The leader's view of one follower. Invariant: matchIndex < nextIndex. The inflight window is a
 * ring of the last index carried by each unanswered entry-carrying append, so that a success for
 * index i frees exactly the appends it covers, whatever order the answers arrive in. Invariant:
 * 0 ≤ inflightBytes, and inflightBytes ≤ maxInflightBytes unless the window holds one append of
 * one entry (an entry bigger than the whole window goes out alone into an empty one, or it never
 * would).
 */
export class Progress {
  matchIndex = 0;
  nextIndex: number;
  state: ProgressState = 'probe';
  /** probe: an append is outstanding, so the follower is paused until an answer or a round. */
  probeSent = false;
  /** snapshot: the lastIncludedIndex of the InstallSnapshot in flight. */
  pendingSnapshot = 0;
  /** Heartbeat rounds in a row in which something was in flight and nothing was acknowledged. */
  stalledRounds = 0;
  private readonly inflight: number[];
  /** The entry bytes each unanswered append carries, in the same ring slots as `inflight`. */
  private readonly inflightSizes: number[];
  private inflightHead = 0;
  private inflightCount = 0;
  private inflightByteCount = 0;

  constructor(
    nextIndex: number,
    maxInflight: number,
    private readonly maxInflightBytes: number = Number.MAX_SAFE_INTEGER,
  ) {
    assert(nextIndex >= 1, 'progress: nextIndex must be at least 1');
    assert(maxInflight >= 1, 'progress: window must hold at least one append');
    assert(maxInflightBytes >= 1, 'progress: byte window must be at least 1');
    this.nextIndex = nextIndex;
    this.inflight = new Array<number>(maxInflight).fill(0);
    this.inflightSizes = new Array<number>(maxInflight).fill(0);
  }

  get inflightAppends(): number {
    return this.inflightCount;
  }

  /** Bytes of entries in the unanswered appends (replicate only; 0 otherwise). */
  get inflightBytes(): number {
    return this.inflightByteCount;
  }

  /**
   * How many bytes of entries the next append may carry by the byte window (unbounded in probe:
   * one append at a time). Into an empty window one entry goes whatever its size (see sendAppends).
   */
  roomBytes(): number {
    if (this.state !== 'replicate') return Number.MAX_SAFE_INTEGER;
    return Math.max(0, this.maxInflightBytes - this.inflightByteCount);
  }

  /** True if the leader must not send this follower entries now. */
  isPaused(): boolean {
    if (this.state === 'probe') return this.probeSent;
    if (this.state === 'replicate') {
      return this.inflightCount === this.inflight.length || this.inflightByteCount >= this.maxInflightBytes;
    }
    return true;
  }

  becomeProbe(): void {
    this.state = 'probe';
    this.probeSent = false;
    this.pendingSnapshot = 0;
    this.nextIndex = this.matchIndex + 1;
    this.clearInflight();
  }

  becomeReplicate(): void {
    this.state = 'replicate';
    this.probeSent = false;
    this.pendingSnapshot = 0;
    this.nextIndex = this.matchIndex + 1;
    this.clearInflight();
  }

  becomeSnapshot(snapshotIndex: number): void {
    assert(snapshotIndex > this.matchIndex, 'progress: snapshot must move the follower forward');
    this.state = 'snapshot';
    this.probeSent = false;
    this.pendingSnapshot = snapshotIndex;
    this.clearInflight();
  }

  /**
   * Records an entry-carrying append whose last entry is `lastIndex`, just sent, carrying `count`
   * entries of `bytes` bytes in all.
   */
  sentEntries(lastIndex: number, bytes = 0, count = 1): void {
    assert(bytes >= 0 && count >= 1, 'progress: an append carries at least one entry');
    assert(lastIndex >= this.nextIndex, 'progress: an append must carry nextIndex');
    if (this.state === 'probe') {
      this.probeSent = true;
      return;
    }
    assert(this.state === 'replicate', 'progress: entries sent while waiting for a snapshot');
    assert(this.inflightCount < this.inflight.length, 'progress: inflight window overflow');
    const slot = (this.inflightHead + this.inflightCount) % this.inflight.length;
    this.inflight[slot] = lastIndex;
    this.inflightSizes[slot] = bytes;
    this.inflightCount++;
    this.inflightByteCount += bytes;
    this.nextIndex = lastIndex + 1;
    assert(
      this.inflightByteCount <= this.maxInflightBytes || (count === 1 && this.inflightCount === 1),
      'progress: byte window overflow beyond a single oversize entry',
    );
  }

  /**
   * A success covering up to `matchIndex`. Returns true if matchIndex grew. Stale successes
   * (reordered, duplicated) never move matchIndex back (§5.3: matchIndex increases monotonically).
   */
  onSuccess(matchIndex: number): boolean {
    this.freeInflightTo(matchIndex);
    if (matchIndex <= this.matchIndex) return false;
    this.matchIndex = matchIndex;
    if (this.nextIndex <= matchIndex) this.nextIndex = matchIndex + 1;
    this.stalledRounds = 0;
    if (this.state === 'probe') this.becomeReplicate();
    else if (this.state === 'snapshot' && matchIndex >= this.pendingSnapshot) this.becomeReplicate();
    assert(this.matchIndex < this.nextIndex, 'progress: matchIndex must stay below nextIndex');
    return true;
  }

  /**
   * A rejection of the append whose prevLogIndex was `rejectedIndex`; `hintNext` is where the
   * leader's fast backtracking says to retry. Returns false if the rejection is stale: in
   * replicate, one at or below matchIndex (the follower matches there); in probe, one not about
   * the outstanding probe (nextIndex - 1); in snapshot, any (the snapshot supersedes it).
   */
  onReject(rejectedIndex: number, hintNext: number): boolean {
    if (this.state === 'snapshot') return false;
    if (this.state === 'replicate' && rejectedIndex <= this.matchIndex) return false;
    if (this.state === 'probe' && rejectedIndex !== this.nextIndex - 1) return false;
    this.becomeProbe();
    // The follower does not match at rejectedIndex, so retry below it, but never at or below
    // matchIndex, which is known to match.
    this.nextIndex = Math.max(this.matchIndex + 1, Math.min(hintNext, rejectedIndex));
    this.stalledRounds = 0;
    assert(this.matchIndex < this.nextIndex, 'progress: matchIndex must stay below nextIndex');
    return true;
  }

  /**
   * Called once per heartbeat round. A paused probe is released (its answer may have been lost).
   * If appends or a snapshot have been in flight without any acknowledgement for
   * STALLED_ROUNDS_MAX rounds, they are presumed lost: the window is dropped and the follower
   * probed again from matchIndex + 1, so message loss can never stall the leader forever.
   * Returns true if the window was dropped.
   */
  onHeartbeatRound(): boolean {
    const waiting =
      (this.state === 'replicate' && this.inflightCount > 0) || this.state === 'snapshot';
    if (!waiting) {
      this.stalledRounds = 0;
      this.probeSent = false;
      return false;
    }
    this.stalledRounds++;
    if (this.stalledRounds < STALLED_ROUNDS_MAX) return false;
    this.stalledRounds = 0;
    this.becomeProbe();
    return true;
  }

  private freeInflightTo(index: number): void {
    const cap = this.inflight.length;
    let freed = false;
    while (this.inflightCount > 0 && this.inflight[this.inflightHead]! <= index) {
      this.inflightByteCount -= this.inflightSizes[this.inflightHead]!;
      this.inflightHead = (this.inflightHead + 1) % cap;
      this.inflightCount--;
      freed = true;
    }
    assert(this.inflightByteCount >= 0, 'progress: negative bytes in flight');
    assert(this.inflightCount > 0 || this.inflightByteCount === 0, 'progress: bytes in flight with no append');
    if (freed) this.stalledRounds = 0;
  }

  private clearInflight(): void {
    this.inflightHead = 0;
    this.inflightCount = 0;
    this.inflightByteCount = 0;
  }
}
