import { assert } from './assert.js';
import { entrySize } from './entrySize.js';
import { applyChange, type ConfigChange, type ConfigChangeRefusal } from './membership.js';
import type { Message, PreVoteResponse, RequestVoteResponse } from './messages.js';
import type { ConfigChangeResult, ProposeResult, RaftNodeApi } from './node.js';
import type { Ready } from './ready.js';
import { RaftRoles } from './roles.js';
import { transferRefusal, type TransferResult } from './transfer.js';
import type { ClusterConfig, LogEntry, NodeId, Snapshot } from './types.js';

const EMPTY: readonly never[] = Object.freeze([]);

/**
 * One Raft node as a pure state machine (sans I/O): `tick`, `step`, `propose`, `compact` and
 * `persisted` change it; `ready()` hands out what the outside world must do (see ready.ts).
 *
 * Shape (after etcd-io/raft): `step` settles the term first, then dispatches on the role to
 * stepLeader / stepCampaigner (candidate and pre-candidate) / stepFollower. Only becomeFollower /
 * becomePreCandidate / becomeCandidate / becomeLeader (roles.ts) change the role. The state, its
 * views and the configuration in force live in nodeState.ts, membership changes in membership.ts
 * and configHistory.ts (the configuration entries of the log), the receiver's side of the RPCs (RequestVote, PreVote, AppendEntries,
 * InstallSnapshot) and CheckQuorum's lease in receiver.ts, reads without a log entry (ReadIndex,
 * lease reads, follower reads) in reads.ts and readIndex.ts, leader-side replication in replication.ts,
 * leadership transfer in transfer.ts, the vote tally in election.ts, the lease clock in lease.ts,
 * the receiver's helpers in follower.ts, the durability barrier in durability.ts, the log in log.ts.
 *
 * Invariants (asserted where they could break): term never decreases; commitIndex never
 * decreases and never exceeds lastIndex; lastApplied ≤ commitIndex; a leader never truncates its
 * own log; at most one vote per term; at most one uncommitted configuration entry, proposed only
 * once the leader's own term has an entry committed.
 *
 * The protected methods are the points where a rule of the paper is decided (who may get a vote,
 * what may be committed, which messages wait for storage, ...): each holds the correct rule.
 * Subclasses override them only to show that the harness notices when a rule is broken.
 */
export class RaftNode<C> extends RaftRoles<C> implements RaftNodeApi<C> {
  // ---- Inputs ----

  tick(): void {
    if (this.currentRole === 'leader') {
      this.heartbeatElapsed++;
      this.lease.tick();
      // Thesis §3.10: a transfer not done within an election timeout is aborted; proposals resume.
      this.transfer.tick(this.config.electionTicksMin);
      this.reads.tick();
      if (this.lostQuorum()) {
        // CheckQuorum (thesis §6.2): a leader that has not heard from a majority for an election
        // timeout steps down, so its clients look for a leader that can commit.
        this.becomeFollower(this.currentTerm, null);
        return;
      }
      if (this.heartbeatElapsed >= this.config.heartbeatTicks) {
        this.heartbeatElapsed = 0;
        this.sendHeartbeats();
      }
      return;
    }
    this.electionElapsed++;
    // §5.2: a follower (or candidate) that hears nothing for an election timeout starts an
    // election (a candidate whose election timed out starts a new one); with PreVote, it first
    // asks whether it could win (thesis §9.6; etcd-raft also pre-votes again after a timed-out election).
    // Thesis §4.2.2: a voter of its own latest configuration campaigns, and so does one that an
    // uncommitted entry removes (see mayCampaign); a learner or a node not yet added waits.
    if (this.electionElapsed >= this.electionTimeout && this.mayCampaign()) {
      if (this.config.preVote) this.becomePreCandidate();
      else this.becomeCandidate();
    }
  }

  /**
   * Thesis §4.2.2: "a server that is not part of its own latest configuration should still start
   * new elections, as it might still be needed until the Cnew entry is committed" (its own vote
   * does not count: the tally counts only voters). Without it, a leader that removed itself and
   * lost its leadership before the entry reached a majority waits forever, while the voters without
   * the entry cannot win for lack of its vote (their logs are behind its).
   */
  private mayCampaign(): boolean {
    if (this.isVoter) return true;
    const index = this.log.configIndex;
    return index > this.commit && this.log.configAt(index - 1).voters.includes(this.id);
  }

  /**
   * CheckQuorum: no majority heard from for electionTicksMin ticks. etcd-raft checks once per
   * election timeout whether every peer was active in the last one, so its leader steps down 1 to
   * 2 timeouts after losing touch; counting the ticks since the last majority contact instead
   * keeps the thesis's bound of one election timeout.
   */
  protected lostQuorum(): boolean {
    return this.config.checkQuorum && this.lease.ticksSinceQuorumContactOrElection() >= this.config.electionTicksMin;
  }

  step(m: Message<C>): void {
    assert(m.to === this.id, 'raft: message for another node');
    assert(m.from !== this.id, 'raft: message from self');
    // Messages from outside the configuration are fine (a node being added, or one removed that
    // has not heard yet); the host checks that `from` is a node it knows at all.
    if (m.term > this.currentTerm) {
      if (this.heldOffByLease(m)) return;
      // A pre-vote, and a pre-vote granted, carry a term nobody has campaigned in yet: no one adopts it.
      const proposedTerm = m.type === 'PreVote' || (m.type === 'PreVoteResponse' && m.granted);
      if (!proposedTerm) this.onHigherTerm(m);
    } else if (m.term < this.currentTerm) {
      this.onStaleMessage(m);
      return;
    }
    if (this.currentRole === 'leader') this.stepLeader(m);
    else if (this.currentRole === 'candidate' || this.currentRole === 'pre-candidate') this.stepCampaigner(m);
    else this.stepFollower(m);
  }

  /**
   * §5.1: a higher term means this node is out of date: adopt the term and step down. Only
   * AppendEntries and InstallSnapshot come from the leader of that term.
   */
  protected onHigherTerm(m: Message<C>): void {
    const isLeader = m.type === 'AppendEntries' || m.type === 'InstallSnapshot';
    this.becomeFollower(m.term, isLeader ? m.from : null);
  }

  propose(command: C): ProposeResult {
    if (this.currentRole !== 'leader') {
      return { ok: false, reason: 'not-leader', leaderHint: this.currentLeader };
    }
    const transferee = this.transfer.transferee;
    if (transferee !== null) return { ok: false, reason: 'transferring', leaderHint: transferee };
    const entry: LogEntry<C> = { index: this.log.lastIndex + 1, term: this.currentTerm, command };
    if (!this.uncommitted!.admits(entrySize(entry))) return { ok: false, reason: 'uncommitted-limit' };
    this.appendAsLeader(entry);
    // Replicate at once to followers with room in their window (latency), not at the next Ready.
    this.replicator!.broadcastAppends();
    return { ok: true, index: entry.index, term: entry.term };
  }

  /**
   * A membership change, one server at a time (membership.ts): appends the configuration entry,
   * which takes effect at once (thesis §4.1). Refused while an earlier one is uncommitted, or
   * before this leader's own no-op commits (the fix to single-server changes).
   */
  proposeConfigChange(change: ConfigChange): ConfigChangeResult {
    if (this.currentRole !== 'leader') return { ok: false, reason: 'not-leader', leaderHint: this.currentLeader };
    const transferee = this.transfer.transferee;
    if (transferee !== null) return { ok: false, reason: 'transferring', leaderHint: transferee };
    if (!this.mayChangeConfig()) return { ok: false, reason: 'change-pending' };
    const config = this.configAfter(change);
    if (typeof config === 'string') return { ok: false, reason: config };
    const entry: LogEntry<C> = { index: this.log.lastIndex + 1, term: this.currentTerm, command: null, config };
    if (!this.uncommitted!.admits(entrySize(entry))) return { ok: false, reason: 'uncommitted-limit' };
    this.appendAsLeader(entry);
    this.replicator!.broadcastAppends();
    return { ok: true, index: entry.index, term: entry.term, config };
  }

  /** The configuration `change` makes of the one in force: one server at a time (membership.ts). */
  protected configAfter(change: ConfigChange): ClusterConfig | ConfigChangeRefusal {
    return applyChange(this.log.config, change);
  }

  /**
   * Ongaro's fix (raft-dev, 2015) for single-server changes: no configuration entry until one of
   * this leader's term is committed, and never two uncommitted at once.
   */
  protected mayChangeConfig(): boolean {
    return this.log.termAt(this.commit) === this.currentTerm && this.log.configIndex <= this.commit;
  }

  /** Thesis §3.10: hand leadership to voter `to` (see transfer.ts); proposals are refused meanwhile. */
  transferLeadership(to: NodeId): TransferResult {
    const refusal = transferRefusal(this.currentRole, this.id, this.voters, to, this.currentLeader);
    if (refusal !== null) return refusal;
    this.transfer.start(to);
    this.replicator!.broadcastAppends();
    this.maybeSendTimeoutNow(to);
    return { ok: true, to };
  }

  /** TimeoutNow once the transferee holds our whole log (on the request, then on each answer: a lost one is sent again). */
  private maybeSendTimeoutNow(to: NodeId): void {
    if (!this.targetCaughtUp(this.replicator!.progressOf(to)!.matchIndex)) return;
    this.send({ type: 'TimeoutNow', from: this.id, to, term: this.currentTerm });
  }

  /** Thesis §3.10: TimeoutNow only once the target holds every entry of ours, so it can win. */
  protected targetCaughtUp(matchIndex: number): boolean {
    return matchIndex >= this.log.lastIndex;
  }

  compact(index: number, data: unknown): void {
    assert(index <= this.applied, 'raft: compact beyond lastApplied');
    if (index <= this.log.snapshotIndex) return;
    const term = this.log.termAt(index);
    assert(term !== null, 'raft: compact outside the log');
    // Thesis §5.1: the snapshot carries the configuration as of its last entry.
    const snapshot: Snapshot = { lastIncludedIndex: index, lastIncludedTerm: term, data, config: this.log.configAt(index) };
    // §7: the snapshot replaces the committed prefix of the log.
    this.log.compact(index);
    this.lastSnapshot = snapshot;
    this.durability.markSnapshot(snapshot);
  }

  persisted(id: number): void {
    if (!this.durability.persisted(id, this.outbox)) return;
    const selfVote = this.tally.pendingSelfVote;
    if (this.currentRole === 'candidate' && selfVote !== 0 && this.durability.isDurable(selfVote)) {
      this.tally.countSelfVote();
      this.tallyVotes();
    }
    // The leader's own durable index may have grown, which may commit (thesis §10.2.1).
    if (this.currentRole === 'leader') this.maybeCommit();
  }

  hasReady(): boolean {
    return (
      this.outbox.length > 0 ||
      this.durability.hasUnstable() ||
      this.pendingRestore !== null ||
      this.applyLimit() > this.applied ||
      this.reads.hasConfirmed()
    );
  }

  ready(): Ready<C> {
    this.answerFollowerReads();
    const persist = this.durability.takeRequest(this.currentTerm, this.voteToPersist());
    let messages: readonly Message<C>[] = EMPTY;
    if (this.outbox.length > 0) {
      messages = this.outbox;
      this.outbox = [];
    }
    const snapshotToApply = this.pendingRestore;
    this.pendingRestore = null;
    let committed: readonly LogEntry<C>[] = EMPTY;
    const limit = this.applyLimit();
    if (limit > this.applied) {
      committed = this.log.slice(this.applied + 1, limit);
      this.applied = limit;
    }
    assert(this.applied <= this.commit, 'raft: lastApplied beyond commitIndex');
    const readStates = this.reads.take();
    if (readStates !== null) return { persist, messages, snapshotToApply, committed, readStates };
    return { persist, messages, snapshotToApply, committed };
  }

  /** Figure 2: the vote goes to stable storage with the term, before anything that depends on it. */
  protected voteToPersist(): NodeId | null {
    return this.votedFor;
  }

  /** Entries up to here may be applied: commitIndex (§5.3). */
  protected applyLimit(): number {
    return this.commit;
  }

  // ---- Dispatch by role (the term is already settled) ----

  private stepFollower(m: Message<C>): void {
    switch (m.type) {
      case 'RequestVote':
        this.handleRequestVote(m);
        return;
      case 'PreVote':
        this.handlePreVote(m);
        return;
      case 'AppendEntries':
        this.heardFromLeader(m.from);
        this.handleAppendEntries(m);
        return;
      case 'InstallSnapshot':
        this.heardFromLeader(m.from);
        this.handleInstallSnapshot(m);
        return;
      case 'TimeoutNow':
        // Thesis §3.10: the leader caught us up and steps aside; campaign now, without PreVote.
        this.becomeCandidate(true);
        return;
      case 'ReadIndexResponse':
        this.reads.forwardedAnswer(m.from, m.ctx, m.index);
        return;
      default:
        // Answers to a role this node had earlier in the term: nothing to do.
        return;
    }
  }

  /**
   * A candidate or a pre-candidate (etcd-raft's stepCandidate serves both): count the answers to
   * its own round; a leader of its term sends it back to follower.
   */
  private stepCampaigner(m: Message<C>): void {
    switch (m.type) {
      case 'RequestVote':
        this.handleRequestVote(m);
        return;
      case 'PreVote':
        this.handlePreVote(m);
        return;
      case 'RequestVoteResponse':
      case 'PreVoteResponse':
        if (!this.answersOurRound(m)) return;
        this.tally.record(m.from, m.granted);
        this.tallyVotes();
        return;
      case 'AppendEntries':
      case 'InstallSnapshot':
        // §5.2: a leader of our term exists; return to follower and let it lead.
        this.becomeFollower(m.term, m.from);
        this.stepFollower(m);
        return;
      default:
        return;
    }
  }

  /**
   * A candidate counts vote answers, a pre-candidate pre-vote answers: a grant names the term it
   * asked about, a refusal ours; anything else answers an earlier round.
   */
  private answersOurRound(m: RequestVoteResponse | PreVoteResponse): boolean {
    if (this.currentRole === 'candidate') return m.type === 'RequestVoteResponse';
    return m.type === 'PreVoteResponse' && m.term === (m.granted ? this.currentTerm + 1 : this.currentTerm);
  }

  private stepLeader(m: Message<C>): void {
    const replicator = this.replicator!;
    const isAnswer = m.type === 'AppendEntriesResponse' || m.type === 'InstallSnapshotResponse';
    // An answer from a node this leader no longer replicates to (removed) means nothing now.
    if (isAnswer && !replicator.isTarget(m.from)) return;
    if (isAnswer) this.lease.heardFrom(m.from);
    if (m.type === 'AppendEntriesResponse' && m.readSeq !== undefined) this.reads.acknowledged(m.from, m.readSeq);
    switch (m.type) {
      case 'RequestVote':
        this.handleRequestVote(m);
        return;
      case 'PreVote':
        this.handlePreVote(m);
        return;
      case 'AppendEntriesResponse':
        if (replicator.onAppendResponse(m)) this.maybeCommit();
        if (m.from === this.transfer.transferee) this.maybeSendTimeoutNow(m.from);
        return;
      case 'InstallSnapshotResponse':
        if (replicator.onSnapshotResponse(m)) this.maybeCommit();
        return;
      case 'ReadIndex':
        this.handleFollowerRead(m);
        return;
      default:
        // NB: AppendEntries of our own term from another node means two leaders in one term, which
        // a correct election never allows; the election-safety monitor reports it, so ignore it here.
        return;
    }
  }

  // ---- Leader helpers ----

  /**
   * Advances commitIndex to the highest index a majority holds, counting the leader only up to
   * its durable log (thesis §10.2.1). §5.4.2 (Figure 8): only an entry of the current term is
   * committed by counting replicas; earlier ones are committed indirectly with it.
   */
  private maybeCommit(): boolean {
    const index = this.replicator!.quorumMatch(this.selfMatch(), this.voters);
    if (index <= this.commit) return false;
    if (!this.mayCommitByCounting(index)) return false;
    const from = this.commit;
    this.commitTo(index);
    this.uncommitted!.committed(from, index);
    this.readsMayProceed();
    // Thesis §4.2.2: a leader removed by a configuration entry leads until that entry commits
    // (without counting itself), then steps down; it no longer campaigns (see tick).
    if (!this.isVoter && this.log.configIndex <= this.commit) this.becomeFollower(this.currentTerm, null);
    return true;
  }

  /** §5.4.2 (Figure 8): only an entry of the current term is committed by counting replicas. */
  protected mayCommitByCounting(index: number): boolean {
    return this.log.termAt(index) === this.currentTerm;
  }

  /** A leader's heartbeat round (§5.2), sent every heartbeatTicks whether or not it has news. */
  protected sendHeartbeats(): void {
    this.replicator!.heartbeat(this.reads.nextRound());
  }

  /**
   * How far this node's durable log is known to agree with its in-memory log: the durable tip, if
   * the entry there still has the same term (Log Matching then gives the whole prefix), else 0.
   */
  private selfMatch(): number {
    const index = this.durability.durableLastIndex;
    return this.log.termAt(index) === this.durability.durableLastTerm ? index : 0;
  }
}
