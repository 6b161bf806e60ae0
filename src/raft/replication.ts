import { assert } from './assert.js';
import type { ResolvedRaftConfig } from './config.js';
import { entrySize } from './entrySize.js';
import type { RaftLog } from './log.js';
import type { AppendEntries, AppendEntriesResponse, InstallSnapshotResponse, Message } from './messages.js';
import { Progress } from './progress.js';
import { quorumIndex } from './quorum.js';
import type { LogEntry, NodeId, Snapshot } from './types.js';

/** What the replicator needs from its node. */
export interface ReplicationHost<C> {
  commitIndex(): number;
  snapshot(): Snapshot | null;
  /**
   * Sends at once, bypassing the durability barrier: a leader may replicate in parallel with its
   * own write (Raft thesis §10.2.1), since it counts itself only up to its durable index.
   */
  sendNow(message: Message<C>): void;
}

/** A read-only view of a follower's progress, for tests and monitors. */
export interface ProgressView {
  readonly matchIndex: number;
  readonly nextIndex: number;
  readonly state: Progress['state'];
  readonly inflightAppends: number;
  readonly inflightBytes: number;
}

/**
 * The leader's side of log replication (Raft paper §5.3, §7) for one term: per-follower progress,
 * batching, the inflight window, heartbeats, fast backtracking and the quorum match index.
 * A new Replicator is made for each term a node leads; it never changes the node's role.
 */
export class Replicator<C> {
  /** Every other member (voters and learners), sorted, and its progress at the same position. */
  private followers: NodeId[];
  private progress: Progress[];
  private readonly matchScratch: number[] = [];

  constructor(
    private readonly config: ResolvedRaftConfig,
    private readonly log: RaftLog<C>,
    private readonly term: number,
    followers: readonly NodeId[],
    private readonly host: ReplicationHost<C>,
  ) {
    this.followers = [...followers];
    // §5.3: "When a leader first comes to power, it initializes all nextIndex values to the index
    // just after the last one in its log."
    this.progress = followers.map(() => this.newProgress(log.lastIndex + 1));
  }

  private newProgress(nextIndex: number): Progress {
    return new Progress(nextIndex, this.config.maxInflightAppends, this.config.maxInflightBytes);
  }

  /**
   * The configuration changed (thesis §4.1: at once, on append): replicate to exactly `targets`.
   * A new member is probed with the entry that added it (the log's last; etcd-raft starts it at
   * lastIndex too) and backtracks from there, to a snapshot if it must; a removed one is no longer
   * sent anything (it learns nothing more, which is fine: thesis §4.2.2).
   */
  setTargets(targets: readonly NodeId[]): void {
    const progress = targets.map((id) => {
      const k = this.followers.indexOf(id);
      return k >= 0 ? this.progress[k]! : this.newProgress(Math.max(this.log.lastIndex, 1));
    });
    this.followers = [...targets];
    this.progress = progress;
  }

  progressOf(peer: NodeId): ProgressView | null {
    const k = this.followers.indexOf(peer);
    return k < 0 ? null : this.progress[k]!;
  }

  /** Sends every follower whatever its window allows (after a proposal or on election). */
  broadcastAppends(): void {
    for (let k = 0; k < this.followers.length; k++) this.sendAppends(k);
  }

  /**
   * A heartbeat round (§5.2: leaders send periodic heartbeats to maintain their authority).
   * The heartbeat is an empty AppendEntries anchored at matchIndex, which the follower is known to
   * hold, so it never triggers a spurious rejection while appends are pipelined past it. The round
   * also un-pauses lost probes and drops a window stalled by loss (see Progress.onHeartbeatRound).
   */
  heartbeat(readSeq?: number): void {
    for (let k = 0; k < this.followers.length; k++) {
      this.progress[k]!.onHeartbeatRound();
      this.sendHeartbeat(k, readSeq);
      this.sendAppends(k);
    }
  }

  /**
   * A heartbeat round that only confirms leadership for reads (thesis §6.4): the empty
   * AppendEntries of a heartbeat stamped `readSeq`, without the flow-control side of `heartbeat`.
   */
  confirmLeadership(readSeq: number): void {
    for (let k = 0; k < this.followers.length; k++) this.sendHeartbeat(k, readSeq);
  }

  private sendHeartbeat(k: number, readSeq: number | undefined): void {
    let prev = this.progress[k]!.matchIndex;
    let prevTerm = this.log.termAt(prev);
    if (prevTerm === null) {
      // matchIndex is compacted away: index 0 matches on every log.
      prev = 0;
      prevTerm = 0;
    }
    this.sendAppendEntries(k, prev, prevTerm, NO_ENTRIES, readSeq);
  }

  /** Handles an answer of this term. Returns true if the follower's matchIndex grew. */
  onAppendResponse(m: AppendEntriesResponse): boolean {
    assert(m.term === this.term, 'replication: response of another term');
    const k = this.indexOf(m.from);
    const pr = this.progress[k]!;
    let grew = false;
    if (m.success) {
      // NB: a follower can only acknowledge what this leader sent it; anything beyond our log is a
      // second leader in this term, which a correct election never allows. Ignore it.
      if (m.matchIndex <= this.log.lastIndex) grew = pr.onSuccess(m.matchIndex);
    } else {
      pr.onReject(m.rejectedIndex, this.backtrackTarget(m));
    }
    this.sendAppends(k);
    return grew;
  }

  /** Handles an InstallSnapshot answer of this term. Returns true if matchIndex grew. */
  onSnapshotResponse(m: InstallSnapshotResponse): boolean {
    assert(m.term === this.term, 'replication: response of another term');
    const k = this.indexOf(m.from);
    const grew = m.matchIndex <= this.log.lastIndex && this.progress[k]!.onSuccess(m.matchIndex);
    this.sendAppends(k);
    return grew;
  }

  /**
   * The highest index a majority of `voters` holds, counting the leader at `selfMatch` if it is
   * one of them (a leader removing itself does not count itself: thesis §4.2.2).
   */
  quorumMatch(selfMatch: number, voters: readonly NodeId[]): number {
    const scratch = this.matchScratch;
    scratch.length = 0;
    for (const voter of voters) {
      if (voter === this.config.id) scratch.push(selfMatch);
      else scratch.push(this.progress[this.followers.indexOf(voter)]?.matchIndex ?? 0);
    }
    return quorumIndex(scratch);
  }

  /** Whether `peer` is a member this leader replicates to (answers from others are ignored). */
  isTarget(peer: NodeId): boolean {
    return this.followers.includes(peer);
  }

  /** One AppendEntries to follower k: entries after prev (a heartbeat when there are none). */
  private sendAppendEntries(k: number, prev: number, prevTerm: number, entries: readonly LogEntry<C>[], readSeq?: number): void {
    const message: AppendEntries<C> = {
      type: 'AppendEntries', from: this.config.id, to: this.followers[k]!, term: this.term,
      prevLogIndex: prev, prevLogTerm: prevTerm, entries, leaderCommit: this.host.commitIndex(),
    };
    // readSeq only when set: messages of runs without reads stay exactly as they were.
    this.host.sendNow(readSeq === undefined ? message : { ...message, readSeq });
  }

  /**
   * Fast backtracking: skip the follower's whole conflicting term at once. If the leader has
   * entries of conflictTerm, retry just after its last one (the follower may share that prefix);
   * otherwise retry at the first index the follower holds of that term (or its log end).
   */
  private backtrackTarget(m: AppendEntriesResponse): number {
    if (m.conflictTerm === 0) return m.conflictIndex;
    const last = this.log.lastIndexOfTerm(m.conflictTerm, m.rejectedIndex);
    return last > 0 ? last + 1 : m.conflictIndex;
  }

  /**
   * Sends follower k appends until its window is full: batches of at most maxEntriesPerAppend
   * entries and maxBytesPerAppend bytes, and no more bytes than its byte window has room for.
   */
  private sendAppends(k: number): void {
    const pr = this.progress[k]!;
    const log = this.log;
    const max = this.config.maxEntriesPerAppend;
    while (!pr.isPaused()) {
      const prev = pr.nextIndex - 1;
      const prevTerm = log.termAt(prev);
      if (prevTerm === null) {
        // §7: the entries the follower needs next were compacted; send the snapshot instead.
        this.sendSnapshot(k);
        return;
      }
      const byCount = Math.min(log.lastIndex, prev + max);
      if (byCount <= prev) return;
      const room = pr.roomBytes();
      // The byte window has room, but not for the next entry: wait for answers to free it. An
      // empty window takes it anyway (alone), or an entry larger than the window would never go.
      if (pr.inflightAppends > 0 && entrySize(log.entryAt(prev + 1)!) > room) return;
      const { last, bytes } = this.cutByBytes(prev + 1, byCount, Math.min(this.config.maxBytesPerAppend, room));
      this.sendAppendEntries(k, prev, prevTerm, log.slice(prev + 1, last));
      pr.sentEntries(last, bytes, last - prev);
    }
  }

  /**
   * The last index of the batch [first, …] whose entries fit in `budget` bytes, at most `atMost`,
   * and their bytes. Always at least `first`: an entry larger than the budget goes out alone, or it
   * would never go out at all.
   */
  private cutByBytes(first: number, atMost: number, budget: number): { last: number; bytes: number } {
    let bytes = entrySize(this.log.entryAt(first)!);
    let last = first;
    while (last < atMost) {
      const size = entrySize(this.log.entryAt(last + 1)!);
      if (bytes + size > budget) break;
      bytes += size;
      last++;
    }
    assert(last === first || bytes <= budget, 'replication: batch over its byte budget');
    return { last, bytes };
  }

  private sendSnapshot(k: number): void {
    const snapshot = this.host.snapshot();
    assert(snapshot !== null, 'replication: compacted log without a snapshot');
    assert(snapshot.lastIncludedIndex === this.log.snapshotIndex, 'replication: stale snapshot');
    this.host.sendNow({
      type: 'InstallSnapshot',
      from: this.config.id,
      to: this.followers[k]!,
      term: this.term,
      snapshot,
    });
    this.progress[k]!.becomeSnapshot(snapshot.lastIncludedIndex);
  }

  private indexOf(peer: NodeId): number {
    const k = this.followers.indexOf(peer);
    assert(k >= 0, 'replication: message from a node that is not a follower');
    return k;
  }
}

const NO_ENTRIES: readonly never[] = Object.freeze([]);
