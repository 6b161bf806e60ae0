import { assert } from './assert.js';
import { appendFromLeader, appendRejection, appendSuccess, isUpToDate, staleReply } from './follower.js';
import type { AppendEntries, InstallSnapshot, Message, PreVote, RequestVote } from './messages.js';
import { RaftNodeState } from './nodeState.js';
import { echoReadSeq } from './readIndex.js';
import type { LogEntry, NodeId } from './types.js';

/**
 * The receiver's side of the three RPCs (Raft paper Figure 2, "Receiver implementation"): granting
 * votes, accepting the leader's entries and installing its snapshot. RaftNode (raft.ts) dispatches
 * to these once the term is settled; the pure log helpers they use live in follower.ts. The
 * protected rules here are hooks for subclasses that show a broken rule is noticed.
 */
export abstract class RaftReceiver<C> extends RaftNodeState<C> {
  /** §5.1: a message of an older term is answered with our term (so its sender steps down), never acted on. */
  protected onStaleMessage(m: Message<C>): void {
    const reply = staleReply(m, this.currentTerm);
    if (reply !== null) this.send(reply);
  }

  /**
   * A (pre-)vote request of a higher term that CheckQuorum's lease makes us ignore (see inLease);
   * a leadership transfer's RequestVote was asked for by the leader itself, so it is not held off.
   */
  protected heldOffByLease(m: Message<C>): boolean {
    const voteRequest = (m.type === 'RequestVote' && m.transfer !== true) || m.type === 'PreVote';
    return voteRequest && this.inLease();
  }

  /** Heard from the current leader: remember it and reset the election timer (§5.2). */
  protected heardFromLeader(leader: NodeId): void {
    this.currentLeader = leader;
    this.resetElectionTimer();
  }

  protected handleRequestVote(m: RequestVote): void {
    // §5.2: at most one vote per term, first come first served.
    const granted = this.voteIsFree(m) && this.candidateIsUpToDate(m);
    if (granted) {
      if (this.votedFor !== m.from) {
        this.votedFor = m.from;
        this.durability.markHardState();
      }
      // §5.2 / Figure 2: granting a vote resets the election timer.
      this.resetElectionTimer();
    }
    this.send({ type: 'RequestVoteResponse', from: this.id, to: m.from, term: this.currentTerm, granted });
  }

  /**
   * Thesis §9.6 (etcd-raft's rule): a pre-vote is granted to a pre-candidate whose log is at least
   * as up-to-date as ours, if its proposed term is above ours (or we could still vote for it in
   * ours). Nothing changes here: no term, no vote, no timer reset, so nothing needs persisting.
   */
  protected handlePreVote(m: PreVote): void {
    const couldVote =
      m.term > this.currentTerm || this.votedFor === m.from || (this.votedFor === null && this.currentLeader === null);
    const granted = couldVote && this.candidateIsUpToDate(m);
    // A grant answers in the asked term (which we did not adopt); a refusal in ours (etcd-raft).
    const term = granted ? m.term : this.currentTerm;
    this.send({ type: 'PreVoteResponse', from: this.id, to: m.from, term, granted });
  }

  /**
   * CheckQuorum's lease (thesis §4.2.3, etcd-raft's `inLease`): this node heard from a leader
   * within the minimum election timeout (a leader, which steps down once it has not heard from a
   * majority that long, counts itself), so a (pre-)vote of a higher term comes from a node that
   * merely lost touch with the leader; it is ignored (no answer, no new term), as etcd-raft does.
   */
  protected inLease(): boolean {
    return this.config.checkQuorum && this.currentLeader !== null && this.electionElapsed < this.config.electionTicksMin;
  }

  /** §5.2: at most one vote per term, first come first served (a repeat to the same candidate is fine). */
  protected voteIsFree(m: RequestVote): boolean {
    return this.votedFor === null || this.votedFor === m.from;
  }

  /** §5.4.1: a vote only for a candidate whose log is at least as up-to-date as ours. */
  protected candidateIsUpToDate(m: RequestVote | PreVote): boolean {
    return isUpToDate(this.log, m.lastLogIndex, m.lastLogTerm);
  }

  protected handleAppendEntries(m: AppendEntries<C>): void {
    const log = this.log;
    let skip = 0;
    if (m.prevLogIndex < log.snapshotIndex) {
      // §7: everything through our snapshot is committed, and committed entries match the
      // leader's (Leader Completeness), so treat them as matching and skip them.
      skip = Math.min(log.snapshotIndex - m.prevLogIndex, m.entries.length);
    } else if (!log.matchTerm(m.prevLogIndex, m.prevLogTerm)) {
      this.send(echoReadSeq(appendRejection(log, m, this.currentTerm), m));
      return;
    }
    assert(this.currentRole !== 'leader', 'raft: a leader never truncates its own log');
    const written = this.appendFromLeader(m.entries, skip);
    if (written !== 0) this.durability.markEntries(written);
    const lastNew = m.prevLogIndex + m.entries.length;
    const commit = Math.min(m.leaderCommit, this.verifiedCommitLimit(lastNew));
    if (commit > this.commit) this.commitTo(commit);
    const matchIndex = Math.max(lastNew, log.snapshotIndex);
    this.send(echoReadSeq(appendSuccess(this.id, m.from, this.currentTerm, matchIndex), m));
  }

  /** Writes the leader's entries after a successful consistency check (see follower.ts); returns the lowest index written, or 0. */
  protected appendFromLeader(entries: readonly LogEntry<C>[], skip: number): number {
    return appendFromLeader(this.log, entries, skip, this.commit);
  }

  /**
   * Figure 2: commitIndex = min(leaderCommit, index of last new entry): this message verified the
   * log only up to its last entry, and what lies beyond may be a stale suffix of another leader.
   */
  protected verifiedCommitLimit(lastNew: number): number {
    return lastNew;
  }

  protected handleInstallSnapshot(m: InstallSnapshot): void {
    const snapshot = m.snapshot;
    const index = snapshot.lastIncludedIndex;
    if (index > this.commit) {
      // §7: keep the log suffix if it matches the snapshot's last entry, else discard the log.
      // The application restores from the snapshot (next Ready) instead of applying entries.
      this.log.restoreSnapshot(index, snapshot.lastIncludedTerm, snapshot.config ?? this.bootstrapConfig());
      this.lastSnapshot = snapshot;
      this.durability.markSnapshot(snapshot);
      this.commit = index;
      this.applied = index;
      this.pendingRestore = snapshot;
    }
    // A stale snapshot (≤ commitIndex) changes nothing; its entries are committed here already.
    this.send({ type: 'InstallSnapshotResponse', from: this.id, to: m.from, term: this.currentTerm, matchIndex: index });
  }
}
