import { assert } from './assert.js';
import { entrySize } from './entrySize.js';
import { RaftReads } from './reads.js';
import { Replicator } from './replication.js';
import { LeadershipTransfer } from './transfer.js';
import type { LogEntry, NodeId } from './types.js';
import { UncommittedBudget } from './uncommitted.js';

/**
 * The role changes of a Raft node (the only places the role and the timers are set): follower,
 * pre-candidate, candidate, leader, and the vote tally that moves between them. RaftNode
 * (raft.ts) steps messages and ticks into these; the rules they decide stay protected hooks.
 */
export abstract class RaftRoles<C> extends RaftReads<C> {
  /** Leadership transfer (transfer.ts): the target, while this leader hands over. */
  protected readonly transfer = new LeadershipTransfer();

  // ---- Role changes (the only places the role and the timers are set) ----

  protected becomeFollower(term: number, leader: NodeId | null): void {
    assert(term >= this.currentTerm, 'raft: term must never decrease');
    if (term > this.currentTerm) this.adoptTerm(term);
    this.currentRole = 'follower';
    this.currentLeader = leader;
    this.reads.steppedDown();
    this.replicator = null;
    this.uncommitted = null;
    this.transfer.abort();
    this.resetElectionTimer();
  }

  /** §5.1: adopt a newer term; the vote was for the old one. Changes no role (see becomeFollower). */
  protected adoptTerm(term: number): void {
    assert(term > this.currentTerm, 'raft: term must never decrease');
    this.currentTerm = term;
    this.votedFor = null;
    this.durability.markHardState();
  }

  /** `transfer`: campaigning because the leader sent TimeoutNow (the votes say so; see step). */
  protected becomeCandidate(transfer = false): void {
    assert(this.currentRole !== 'leader', 'raft: a leader does not campaign');
    // §5.2: increment the term, vote for self, reset the election timer, ask everyone else.
    this.currentTerm++;
    this.votedFor = this.id;
    this.durability.markHardState();
    this.currentRole = 'candidate';
    this.currentLeader = null;
    this.reads.steppedDown();
    this.resetElectionTimer();
    this.tally.start(this.durability.currentTag());
    const lastLogIndex = this.log.lastIndex;
    const lastLogTerm = this.log.lastTerm;
    for (const to of this.otherVoters) {
      // Held by the barrier until the new term and the self-vote are durable.
      const request = { type: 'RequestVote', from: this.id, to, term: this.currentTerm, lastLogIndex, lastLogTerm } as const;
      this.send(transfer ? { ...request, transfer } : request);
    }
    this.tallyVotes();
  }

  /**
   * Thesis §9.6 (etcd-raft's becomePreCandidate): ask for pre-votes at term + 1, changing neither
   * term nor vote (nothing to persist); campaign for real only once a majority would vote for us.
   */
  protected becomePreCandidate(): void {
    assert(this.currentRole !== 'leader', 'raft: a leader does not campaign');
    this.currentRole = 'pre-candidate';
    this.currentLeader = null;
    this.reads.steppedDown();
    // etcd-raft keeps the randomized timeout it had; we draw a new one, as for any campaign, so
    // that pre-candidates that keep failing do not retry in lockstep.
    this.resetElectionTimer();
    const term = this.preVoteTerm();
    this.tally.start(0);
    this.tally.countSelfVote();
    const lastLogIndex = this.log.lastIndex;
    const lastLogTerm = this.log.lastTerm;
    for (const to of this.otherVoters) {
      this.send({ type: 'PreVote', from: this.id, to, term, lastLogIndex, lastLogTerm });
    }
    this.tallyVotes();
  }

  /**
   * Thesis §9.6: the term a pre-candidate asks about, term + 1, without moving to it: its own term
   * changes only once a majority would vote for it, so a node that cannot win disturbs nobody.
   */
  protected preVoteTerm(): number {
    return this.currentTerm + 1;
  }

  private becomeLeader(): void {
    assert(this.currentRole === 'candidate', 'raft: only a candidate becomes leader');
    this.currentRole = 'leader';
    this.currentLeader = this.id;
    this.heartbeatElapsed = 0;
    this.electionElapsed = 0;
    this.lease.restart();
    this.reads.becameLeader();
    this.replicator = new Replicator<C>(this.config, this.log, this.currentTerm, this.replicationTargets, this.host);
    // §8 / thesis §6.4: a no-op of the new term lets the leader commit (and learn) everything
    // before it, since only current-term entries are committed by counting (§5.4.2).
    const noop: LogEntry<C> = { index: this.log.lastIndex + 1, term: this.currentTerm, command: null };
    this.uncommitted = new UncommittedBudget<C>(this.log, this.config.maxUncommittedBytes, noop.index);
    this.appendAsLeader(noop);
    this.replicator.broadcastAppends();
  }

  protected tallyVotes(): void {
    const result = this.tally.result();
    if (result === 'won' && this.currentRole === 'pre-candidate') this.becomeCandidate();
    else if (result === 'won') this.becomeLeader();
    else if (result === 'lost') this.becomeFollower(this.currentTerm, null);
  }

  /** Appends a new entry of this leader's (its no-op or an admitted proposal). */
  protected appendAsLeader(entry: LogEntry<C>): void {
    this.log.appendOne(entry);
    this.uncommitted!.appended(entrySize(entry));
    this.durability.markEntries(entry.index);
    // Thesis §4.1: a configuration takes effect as soon as its entry is in the log.
    if (entry.config !== undefined) this.replicator!.setTargets(this.replicationTargets);
    // A single voter commits as soon as its own write is durable (see persisted).
  }
}
