/**
 * Known Raft bugs as mutants: each subclass of the correct RaftNode breaks one rule by overriding
 * the one protected method where the core decides it. The harness runs them (`--bug NAME`) to show
 * that its monitors, the checker, or the core's own assertions catch each.
 */
import { Durability, RaftNode } from '../raft/index.js';
import type { AppendEntries, Message, PreVote, RaftLog, RequestVote } from '../raft/index.js';
import type { LogEntry, NodeId } from '../raft/index.js';

/** Grants a vote without the up-to-date check on (lastLogTerm, lastLogIndex) (§5.4.1). */
export class VoteWithoutLogCheck<C> extends RaftNode<C> {
  protected override candidateIsUpToDate(_m: RequestVote): boolean {
    return true;
  }
}

/** Grants every vote request of the current or a higher term, even after voting for another. */
export class GrantEveryVote<C> extends RaftNode<C> {
  protected override voteIsFree(_m: RequestVote): boolean {
    return true;
  }
}

/** Commits by counting replicas of an entry of an older term (the Figure 8 bug, §5.4.2). */
export class CommitOlderTerm<C> extends RaftNode<C> {
  protected override mayCommitByCounting(_index: number): boolean {
    return true;
  }
}

/**
 * Cuts everything after prevLogIndex on every AppendEntries, even where it matches, then writes the
 * message's entries again. It stops at commitIndex, and cuts only where the message rewrites, so
 * this node's own invariants hold; entries it acknowledged beyond the message are lost.
 */
export class TruncateMatchingEntries<C> extends RaftNode<C> {
  protected override appendFromLeader(entries: readonly LogEntry<C>[], skip: number): number {
    if (skip >= entries.length) return 0;
    const cut = Math.max(entries[skip]!.index, this.commitIndex + 1);
    let written = 0;
    if (cut <= this.log.lastIndex && cut <= entries[entries.length - 1]!.index) {
      this.log.truncateFrom(cut);
      written = cut;
    }
    const conflict = super.appendFromLeader(entries, skip);
    if (conflict === 0) return written;
    return written === 0 ? conflict : Math.min(written, conflict);
  }
}

/** Persists the hard state without votedFor, so a restarted node may vote twice in one term. */
export class ForgetVotedFor<C> extends RaftNode<C> {
  protected override voteToPersist(): NodeId | null {
    return null;
  }
}

/** A follower acknowledges AppendEntries before its fsync completes (acting on volatile state). */
export class AckBeforeFsync<C> extends RaftNode<C> {
  protected override send(message: Message<C>): void {
    if (message.type === 'AppendEntriesResponse') this.sendUnbarriered(message);
    else super.send(message);
  }
}

/** A leader applies entries (and so answers clients) as soon as it appends them, before commit. */
export class ApplyBeforeCommit<C> extends RaftNode<C> {
  protected override applyLimit(): number {
    return this.role === 'leader' ? this.lastIndex : super.applyLimit();
  }
}

/** A leader that sees a higher term adopts the term but does not step down (§5.1). */
export class NoStepDown<C> extends RaftNode<C> {
  protected override onHigherTerm(m: Message<C>): void {
    if (this.role === 'leader') this.adoptTerm(m.term);
    else super.onHigherTerm(m);
  }
}

/** A follower accepts an AppendEntries of an earlier term as if its current leader sent it (§5.1 ignored). */
export class AcceptStaleAppends<C> extends RaftNode<C> {
  protected override onStaleMessage(m: Message<C>): void {
    if (m.type === 'AppendEntries' && this.role === 'follower') this.handleAppendEntries(m as AppendEntries<C>);
    else super.onStaleMessage(m);
  }
}

/** A leader sends heartbeats only while it has uncommitted entries (idle followers time out). */
export class HeartbeatsOnlyWhenBusy<C> extends RaftNode<C> {
  protected override sendHeartbeats(): void {
    if (this.commitIndex !== this.lastIndex) super.sendHeartbeats();
  }
}

/** A durability barrier that releases a message when the write before the one it depends on is durable. */
class OneWriteEarlyBarrier<C> extends Durability<C> {
  protected override holdUntil(): number {
    return super.holdUntil() - 1;
  }
}

/**
 * The durability barrier releases a message one write early (its tag is off by one): the node acts
 * as if storage held a write it does not hold yet.
 */
export class ReleaseOneWriteEarly<C> extends RaftNode<C> {
  protected override createDurability(log: RaftLog<C>): Durability<C> {
    return new OneWriteEarlyBarrier<C>(log);
  }
}

/** A follower sets commitIndex to min(leaderCommit, its last index), not the last new entry (Figure 2). */
export class CommitToLeaderCommit<C> extends RaftNode<C> {
  protected override verifiedCommitLimit(_lastNew: number): number {
    return this.lastIndex;
  }
}

/** A durability barrier that reports the in-memory log as the durable one, written or not. */
class UndurableTipBarrier<C> extends Durability<C> {
  override get durableLastIndex(): number {
    return this.log.lastIndex;
  }

  override get durableLastTerm(): number {
    return this.log.lastTerm;
  }
}

/**
 * A leader counts its own log toward commit before its own write is durable (thesis §10.2.1): its
 * barrier lies about what storage holds, as a disk that acknowledges writes it has not made would.
 */
export class LeaderCountsUndurableSelf<C> extends RaftNode<C> {
  protected override createDurability(log: RaftLog<C>): Durability<C> {
    return new UndurableTipBarrier<C>(log);
  }
}

/**
 * A leadership transfer taken on trust (thesis §3.10 done wrong): the leader sends TimeoutNow at
 * once, without waiting for its target to hold its whole log, and voters grant a transfer's vote
 * without the up-to-date check (§5.4.1), as if the flag were the leader's word that the log is
 * complete. A lagging target then wins and overwrites committed entries. Either half alone is
 * harmless: a target that has not caught up loses an honest election, and a target that has
 * caught up passes the log check anyway.
 */
export class TransferWithoutCatchUp<C> extends RaftNode<C> {
  protected override targetCaughtUp(_matchIndex: number): boolean {
    return true;
  }

  protected override candidateIsUpToDate(m: RequestVote | PreVote): boolean {
    return (m.type === 'RequestVote' && m.transfer === true) || super.candidateIsUpToDate(m);
  }
}

/** ReadIndex without its heartbeat round: a leader answers reads at its commitIndex though it may be deposed (thesis §6.4 step 2). */
export class ReadIndexWithoutHeartbeat<C> extends RaftNode<C> {
  protected override readsNeedHeartbeatRound(): boolean {
    return false;
  }
}

/**
 * A lease that ignores the drift margin: it lasts the whole minimum election timeout by the
 * leader's clock, so a leader whose clock runs slow still serves reads after the followers'
 * (faster) clocks let them elect another leader (thesis §6.4.1).
 */
export class LeasePastDriftBound<C> extends RaftNode<C> {
  protected override leaseTicks(): number | null {
    return this.config.leaseReads ? this.config.electionTicksMin : null;
  }
}

/**
 * A pre-candidate that moves to the term it asks about, and persists it, as a candidate would
 * (thesis §9.6 done wrong): a node cut off from the leader raises its term at every timeout, and
 * once it reaches the leader again its higher term deposes a leader that was doing fine, which is
 * the disruption PreVote exists to prevent.
 */
export class PreVoteBumpsTerm<C> extends RaftNode<C> {
  protected override preVoteTerm(): number {
    this.adoptTerm(this.currentTerm + 1);
    return super.preVoteTerm();
  }
}

/**
 * CheckQuorum that never acts (thesis §6.2 done wrong): a leader cut off from the majority goes on
 * leading until it hears a higher term, taking requests it cannot commit while the others elect.
 */
export class CheckQuorumNeverStepsDown<C> extends RaftNode<C> {
  protected override lostQuorum(): boolean {
    return false;
  }
}
