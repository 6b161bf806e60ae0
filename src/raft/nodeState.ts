import { assert } from './assert.js';
import { resolveRaftConfig, validateRaftConfig } from './config.js';
import type { RaftConfig, ResolvedRaftConfig } from './config.js';
import { Durability } from './durability.js';
import { VoteTally } from './election.js';
import { LeaderLease } from './lease.js';
import { RaftLog } from './log.js';
import type { Message } from './messages.js';
import type { RaftStatus } from './node.js';
import type { Replicator, ProgressView, ReplicationHost } from './replication.js';
import type { UncommittedBudget } from './uncommitted.js';
import { bootstrapConfig } from './membership.js';
import type { ClusterConfig, DurableState, LogEntry, NodeId, Role, Snapshot } from './types.js';

/**
 * The state of one Raft node and its cheap read-only views (for monitors; no copies). RaftReceiver
 * (receiver.ts) and RaftNode (raft.ts) extend it with the rules that change the state; this file holds only what it is,
 * how it restarts from storage, and the few primitives every rule shares (send, commitTo, the
 * election timer). The fields are protected for RaftNode; subclasses that break a rule override
 * RaftNode's protected rules, not these fields.
 */
export abstract class RaftNodeState<C> {
  readonly id: NodeId;
  protected readonly config: ResolvedRaftConfig;
  /** Views of the configuration in force (the log's latest, thesis §4.1), rebuilt when it changes. */
  private membershipView: MembershipView = EMPTY_VIEW;
  protected readonly log: RaftLog<C>;
  protected readonly durability: Durability<C>;
  protected readonly host: ReplicationHost<C>;

  protected currentTerm: number;
  protected votedFor: NodeId | null;
  protected currentRole: Role = 'follower';
  protected currentLeader: NodeId | null = null;
  protected commit: number;
  protected applied: number;
  protected lastSnapshot: Snapshot | null;
  protected pendingRestore: Snapshot | null;
  protected outbox: Message<C>[] = [];

  protected electionElapsed = 0;
  protected electionTimeout = 0;
  protected heartbeatElapsed = 0;
  protected readonly lease: LeaderLease;
  /** Set while leader. */
  protected replicator: Replicator<C> | null = null;
  /** Set while leader: the bytes it appended this term and has not committed. */
  protected uncommitted: UncommittedBudget<C> | null = null;
  protected readonly tally: VoteTally;

  constructor(config: RaftConfig, durable?: DurableState<C>) {
    const problem = validateRaftConfig(config);
    if (problem !== null) throw new Error(`invalid raft config: ${problem}`);
    this.id = config.id;
    this.config = resolveRaftConfig(config);
    this.tally = new VoteTally(config.id, () => this.voters);
    this.lease = new LeaderLease(config.id, () => this.voters);
    const snapshot = durable?.snapshot ?? null;
    const snapshotIndex = snapshot?.lastIncludedIndex ?? 0;
    // Restart (Figure 2): term, vote, snapshot and log come back; commitIndex and lastApplied are
    // volatile and restart at the snapshot, which the application must restore first. The
    // configuration is the log's latest, else the snapshot's, else the bootstrap one (peers).
    const baseConfig = snapshot?.config ?? bootstrapConfig(config.peers);
    this.log = new RaftLog<C>(snapshotIndex, snapshot?.lastIncludedTerm ?? 0, durable?.entries, baseConfig);
    this.currentTerm = durable?.hardState.term ?? 0;
    this.votedFor = durable?.hardState.votedFor ?? null;
    assert(this.currentTerm >= this.log.lastTerm, 'raft: durable log has a term above the term');
    this.commit = snapshotIndex;
    this.applied = snapshotIndex;
    this.lastSnapshot = snapshot;
    this.pendingRestore = snapshot;
    this.durability = this.createDurability(this.log);
    this.host = {
      commitIndex: () => this.commit,
      snapshot: () => this.lastSnapshot,
      sendNow: (message) => this.outbox.push(message),
    };
    this.resetElectionTimer();
  }

  /** The durability barrier over `log` (called once, from the constructor). */
  protected createDurability(log: RaftLog<C>): Durability<C> {
    return new Durability<C>(log);
  }

  // ---- The configuration in force ----

  /** Every voter of the configuration in force, sorted numerically. */
  protected get voters(): readonly NodeId[] {
    return this.membership().voters;
  }

  /** The other voters: whom a (pre-)candidate asks for votes. */
  protected get otherVoters(): readonly NodeId[] {
    return this.membership().otherVoters;
  }

  /** Every other member, voter or learner: whom a leader replicates to. */
  protected get replicationTargets(): readonly NodeId[] {
    return this.membership().targets;
  }

  /** Whether this node may campaign: a voter of its own latest configuration (thesis §4.2.2). */
  protected get isVoter(): boolean {
    return this.membership().selfVoter;
  }

  private membership(): MembershipView {
    const config = this.log.config;
    if (this.membershipView.config !== config) this.membershipView = viewOf(config, this.id);
    return this.membershipView;
  }

  /** The bootstrap configuration (RaftConfig.peers): what a snapshot without a configuration means. */
  protected bootstrapConfig(): ClusterConfig {
    return bootstrapConfig(this.config.peers);
  }

  /** The configuration in force (latest in the log, committed or not). */
  get configuration(): ClusterConfig {
    return this.log.config;
  }

  /** Index of the entry that set the configuration in force (0: the snapshot's or the bootstrap one). */
  get configurationIndex(): number {
    return this.log.configIndex;
  }

  // ---- Cheap read-only views (for monitors; no copies) ----

  get role(): Role {
    return this.currentRole;
  }

  get term(): number {
    return this.currentTerm;
  }

  get leaderId(): NodeId | null {
    return this.currentLeader;
  }

  get commitIndex(): number {
    return this.commit;
  }

  get lastApplied(): number {
    return this.applied;
  }

  get firstIndex(): number {
    return this.log.firstIndex;
  }

  get lastIndex(): number {
    return this.log.lastIndex;
  }

  termAt(index: number): number | null {
    return index === 0 ? 0 : this.log.termAt(index);
  }

  entryAt(index: number): LogEntry<C> | null {
    return this.log.entryAt(index);
  }

  entries(from: number, to: number): readonly LogEntry<C>[] {
    assert(from >= this.log.firstIndex, 'raft: entries requested below the first index');
    return this.log.slice(from, to);
  }

  snapshot(): Snapshot | null {
    return this.lastSnapshot;
  }

  /**
   * Ticks since this leader last heard from a majority (itself included), by its own clock; null if
   * not leader. A lease is only as good as the clocks behind it (no bound on drift or pauses here).
   */
  ticksSinceQuorumContact(): number | null {
    if (this.currentRole !== 'leader') return null;
    return this.lease.ticksSinceQuorumContact();
  }

  get electionTicksMin(): number {
    return this.config.electionTicksMin;
  }

  /** A leader's view of a follower's replication, or null if not leader (tests, monitors). */
  progressOf(peer: NodeId): ProgressView | null {
    return this.replicator === null ? null : this.replicator.progressOf(peer);
  }

  /** A leader's bytes appended this term and not committed yet, or null if not leader (tests, monitors). */
  get uncommittedBytes(): number | null {
    return this.uncommitted === null ? null : this.uncommitted.uncommittedBytes;
  }

  status(): RaftStatus {
    return {
      id: this.id,
      role: this.currentRole,
      term: this.currentTerm,
      votedFor: this.votedFor,
      leaderId: this.currentLeader,
      commitIndex: this.commit,
      lastApplied: this.applied,
      firstIndex: this.log.firstIndex,
      lastIndex: this.log.lastIndex,
      snapshotIndex: this.log.snapshotIndex,
    };
  }

  // ---- Primitives every rule shares ----

  protected resetElectionTimer(): void {
    this.electionElapsed = 0;
    this.electionTimeout = this.config.random.rangeInclusive(
      this.config.electionTicksMin,
      this.config.electionTicksMax,
    );
    assert(this.electionTimeout >= this.config.electionTicksMin, 'raft: timeout below min');
    assert(this.electionTimeout <= this.config.electionTicksMax, 'raft: timeout above max');
  }

  protected commitTo(index: number): void {
    assert(index > this.commit, 'raft: commitIndex never decreases');
    assert(index <= this.log.lastIndex, 'raft: commit beyond the log');
    this.commit = index;
  }

  /** Every message waits for the storage it depends on (Figure 2: respond only after updating stable storage). */
  protected send(message: Message<C>): void {
    this.durability.send(message, this.outbox);
  }

  /** Sends `message` at once, past the durability barrier (for subclasses that change `send`). */
  protected sendUnbarriered(message: Message<C>): void {
    this.outbox.push(message);
  }
}

interface MembershipView {
  readonly config: ClusterConfig | null;
  readonly voters: readonly NodeId[];
  readonly otherVoters: readonly NodeId[];
  readonly targets: readonly NodeId[];
  readonly selfVoter: boolean;
}

const EMPTY_VIEW: MembershipView = { config: null, voters: [], otherVoters: [], targets: [], selfVoter: false };

function viewOf(config: ClusterConfig, self: NodeId): MembershipView {
  const otherVoters = config.voters.filter((id) => id !== self);
  const otherLearners = config.learners.filter((id) => id !== self);
  const targets = [...otherVoters, ...otherLearners].sort((a, b) => a - b);
  return { config, voters: config.voters, otherVoters, targets, selfVoter: config.voters.includes(self) };
}
