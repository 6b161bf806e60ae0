import type { ReadIndexRequest } from './messages.js';
import type { ReadIndexResult } from './readIndex.js';
import type { NodeId } from './types.js';
import { ReadIndexTracker } from './readIndex.js';
import { RaftReceiver } from './receiver.js';

/**
 * A Raft node's reads without a log entry (thesis §6.4; etcd-raft's ReadIndex): the public
 * `readIndex` and the rules a subclass may break to show the harness notices. RaftNode (raft.ts)
 * feeds the tracker at its role changes, ticks, heartbeats, answers and commits; the bookkeeping
 * itself lives in readIndex.ts.
 */
export abstract class RaftReads<C> extends RaftReceiver<C> {
  protected readonly reads = new ReadIndexTracker(this.id, () => this.voters, this.leaseTicks(), this.readsNeedHeartbeatRound());

  /**
   * A read without a log entry: once confirmed, it comes out of a Ready as a ReadState {ctx, index},
   * and the application answers it once it has applied through index. A leader that steps down
   * first drops it silently (the application answers it then).
   */
  readIndex(ctx: number): ReadIndexResult {
    if (this.currentRole === 'follower' && this.currentLeader !== null) return this.forwardRead(ctx, this.currentLeader);
    if (this.currentRole !== 'leader') return { ok: false, reason: 'not-leader', leaderHint: this.currentLeader };
    if (this.reads.request(ctx, this.leaderView())) this.replicator!.confirmLeadership(this.reads.nextRound()!);
    return { ok: true };
  }

  /**
   * Thesis §6.4: a follower serves a read by asking its leader for a read index (ReadIndex), which
   * the leader confirms as its own; the ReadState comes out of a later Ready as for a leader. A
   * read that gets no answer (lost, or the leader changed) is dropped with the role or term.
   */
  private forwardRead(ctx: number, leader: NodeId): ReadIndexResult {
    if (!this.reads.forward(ctx, leader)) return { ok: false, reason: 'not-leader', leaderHint: leader };
    // Depends on no storage: past the durability barrier.
    this.sendUnbarriered({ type: 'ReadIndex', from: this.id, to: leader, term: this.currentTerm, ctx });
    return { ok: true };
  }

  /** As leader: a follower's read (ReadIndex), confirmed like one of our own. */
  protected handleFollowerRead(m: ReadIndexRequest): void {
    if (this.reads.request(m.ctx, this.leaderView(), m.from)) this.replicator!.confirmLeadership(this.reads.nextRound()!);
  }

  /** As leader: answers the follower reads confirmed since the last Ready. */
  protected answerFollowerReads(): void {
    const answers = this.reads.takeRemote();
    if (answers === null) return;
    for (const { to, ctx, index } of answers) {
      this.sendUnbarriered({ type: 'ReadIndexResponse', from: this.id, to, term: this.currentTerm, ctx, index });
    }
  }

  /**
   * Thesis §6.4.1: how long a lease lasts, in this leader's ticks from the sending of a heartbeat a
   * majority acknowledged: the minimum election timeout (for which followers with CheckQuorum
   * refuse votes) less the drift margin. Null without lease reads.
   */
  protected leaseTicks(): number | null {
    return this.config.leaseReads ? this.config.electionTicksMin - this.config.clockDriftBoundTicks : null;
  }

  /** Thesis §6.4 step 2: a read waits for a heartbeat round a majority acknowledges (the leader may be deposed). */
  protected readsNeedHeartbeatRound(): boolean {
    return true;
  }

  /** The leader's commitIndex moved: reads that waited for its no-op to commit may go ahead. */
  protected readsMayProceed(): void {
    if (this.reads.committed(this.leaderView())) this.replicator!.confirmLeadership(this.reads.nextRound()!);
  }

  /** Thesis §6.4 step 1: commitIndex is a valid read index only once an entry of this term is committed. */
  private leaderView(): { commitIndex: number; ownTermCommitted: boolean } {
    return { commitIndex: this.commit, ownTermCommitted: this.log.termAt(this.commit) === this.currentTerm };
  }
}
