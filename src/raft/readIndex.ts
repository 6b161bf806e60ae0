import { LeaderLease } from './lease.js';
import { majority } from './quorum.js';
import type { AppendEntries, AppendEntriesResponse } from './messages.js';
import type { NodeId } from './types.js';

/** A follower's answer to `request`, echoing its readSeq if it has one (any answer of the term acknowledges the leader). */
export function echoReadSeq<C>(reply: AppendEntriesResponse, request: AppendEntries<C>): AppendEntriesResponse {
  return request.readSeq === undefined ? reply : { ...reply, readSeq: request.readSeq };
}

/**
 * A read the leader has confirmed (etcd-raft's ReadState): the application may answer the read
 * tagged `ctx` from its local state once it has applied through `index`.
 */
export interface ReadState {
  readonly ctx: number;
  readonly index: number;
}

export type ReadIndexResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'not-leader'; readonly leaderHint: NodeId | null };

/** What the tracker needs to know about its leader at the moment of a request or a commit. */
export interface LeaderView {
  readonly commitIndex: number;
  /** The leader has committed an entry of its own term (its no-op): commitIndex is up to date. */
  readonly ownTermCommitted: boolean;
}

/** A read accepted by the leader and not yet confirmed: its index and the heartbeat round that confirms it. */
interface PendingRead {
  readonly ctx: number;
  readonly index: number;
  readonly seq: number;
  /** Who asked: this leader itself, or a follower (ReadIndex message) to answer with ReadIndexResponse. */
  readonly from: NodeId;
}

/** A confirmed read of a follower's, to answer with a ReadIndexResponse. */
export interface RemoteReadState extends ReadState {
  readonly to: NodeId;
}

/**
 * At most this many follower reads wait at a leader, and at most this many forwarded reads at a
 * follower; past it a read is dropped (the follower's client times out and retries), not queued.
 */
export const MAX_REMOTE_READS = 65_536;

/** How many recent heartbeat rounds' send ticks are kept for the lease; older answers are too old to matter. */
const ROUNDS_KEPT = 64;

/**
 * The leader's bookkeeping for reads without a log entry (thesis §6.4; etcd-raft's readOnly):
 *
 * ReadIndex: a read records readIndex = commitIndex, but only once this leader has committed its
 * no-op (before that its commitIndex may lag what earlier leaders committed; such reads wait).
 * It is then confirmed by a heartbeat round sent after it arrived: each round carries a sequence
 * number (AppendEntries.readSeq) that followers echo, and a read is released as a ReadState once a
 * majority, this leader included, has acknowledged a round at or after its own.
 *
 * Lease (thesis §6.4.1, optional): with leaseReads every heartbeat round carries a sequence, and
 * the lease runs from the tick at which the newest round a majority acknowledged was *sent* (not
 * when its answers came back, which would stretch the lease by a round trip). A read is served at
 * once while that is under electionTicksMin − clockDriftBoundTicks; otherwise it falls back to
 * ReadIndex. Followers with CheckQuorum refuse votes for electionTicksMin after hearing from a
 * leader, so no other leader exists while the lease holds, if clocks drift less than the bound.
 *
 * One tracker per node; `becameLeader` / `steppedDown` reset it for each term of leadership.
 * Confirmed reads wait in an outbox for the next Ready even if the node then steps down: they
 * were linearizable when confirmed.
 */
export class ReadIndexTracker {
  private leading = false;
  /** The last heartbeat round given a sequence this term (0: none). */
  private seq = 0;
  /** Send tick of the last ROUNDS_KEPT rounds, by seq % ROUNDS_KEPT. */
  private readonly sentAt = new Int32Array(ROUNDS_KEPT);
  /** Per member: the highest round it acknowledged this term (absent: none). */
  private readonly acked = new Map<NodeId, number>();
  /** Reads that arrived before the no-op committed (ctx and who asked). */
  private waiting: { ctx: number; from: NodeId }[] = [];
  private pending: PendingRead[] = [];
  private confirmed: ReadState[] = [];
  private remoteConfirmed: RemoteReadState[] = [];
  /** Follower reads that are not this node's own: waiting, pending or confirmed-to-send (bounded). */
  private remoteCount = 0;
  /** As a follower: reads forwarded to the leader, by ctx (the leader asked). */
  private readonly forwarded = new Map<number, NodeId>();
  /** The lease clock: per voter, the send tick of the newest round it acknowledged. */
  private readonly lease: LeaderLease;

  constructor(
    private readonly self: NodeId,
    /** The voters of the configuration in force: only they make a majority. */
    private readonly voters: () => readonly NodeId[],
    private readonly leaseTicks: number | null,
    private readonly needsRound: boolean = true,
  ) {
    this.lease = new LeaderLease(self, voters);
  }

  becameLeader(): void {
    this.leading = true;
    this.seq = 0;
    this.acked.clear();
    this.lease.restart();
    this.waiting = [];
    this.pending = [];
    this.remoteConfirmed = [];
    this.remoteCount = 0;
    this.forwarded.clear();
  }

  /**
   * Unconfirmed reads are dropped: the application answers them from its own bookkeeping. Also on
   * any role or term change of a follower: reads it forwarded wait for an answer that may never
   * come, so they are dropped too (the application abandons them by term).
   */
  steppedDown(): void {
    this.leading = false;
    this.waiting = [];
    this.pending = [];
    this.remoteConfirmed = [];
    this.remoteCount = 0;
    this.forwarded.clear();
  }

  /** As a follower: read `ctx` was forwarded to `leader`. Returns false (dropped) past MAX_REMOTE_READS. */
  forward(ctx: number, leader: NodeId): boolean {
    if (this.forwarded.size >= MAX_REMOTE_READS) return false;
    this.forwarded.set(ctx, leader);
    return true;
  }

  /** As a follower: the leader answered forwarded read `ctx`; it is confirmed at `index`. */
  forwardedAnswer(from: NodeId, ctx: number, index: number): void {
    if (this.forwarded.get(ctx) !== from) return;
    this.forwarded.delete(ctx);
    this.confirmed.push({ ctx, index });
  }

  tick(): void {
    if (this.leading) this.lease.tick();
  }

  /**
   * Takes a read; returns true if a heartbeat round must go out now to confirm it. Released at once
   * (no round) in a single-voter cluster, or under a valid lease.
   */
  request(ctx: number, leader: LeaderView, from: NodeId = this.self): boolean {
    if (from !== this.self) {
      if (this.remoteCount >= MAX_REMOTE_READS) return false;
      this.remoteCount++;
    }
    return this.admit(ctx, leader, from);
  }

  private admit(ctx: number, leader: LeaderView, from: NodeId): boolean {
    if (!leader.ownTermCommitted) {
      this.waiting.push({ ctx, from });
      return false;
    }
    const voters = this.voters();
    if ((voters.length === 1 && voters[0] === this.self) || !this.needsRound || this.leaseHolds()) {
      this.confirm({ ctx, index: leader.commitIndex, from });
      return false;
    }
    this.pending.push({ ctx, index: leader.commitIndex, seq: this.seq + 1, from });
    return true;
  }

  private confirm(read: { ctx: number; index: number; from: NodeId }): void {
    if (read.from === this.self) this.confirmed.push({ ctx: read.ctx, index: read.index });
    else this.remoteConfirmed.push({ ctx: read.ctx, index: read.index, to: read.from });
  }

  /** The leader's commitIndex moved: reads that waited for the no-op may go ahead. Returns true if a round must go out. */
  committed(leader: LeaderView): boolean {
    if (this.waiting.length === 0 || !leader.ownTermCommitted) return false;
    const waiting = this.waiting;
    this.waiting = [];
    let needRound = false;
    for (const { ctx, from } of waiting) needRound = this.admit(ctx, leader, from) || needRound;
    return needRound;
  }

  /**
   * The sequence to stamp on a heartbeat round about to be sent, or undefined to send none (no
   * read pending and no lease kept: messages stay exactly as they were without reads).
   */
  nextRound(): number | undefined {
    if (!this.leading) return undefined;
    if (this.pending.length === 0 && this.leaseTicks === null) return undefined;
    this.seq++;
    this.sentAt[this.seq % ROUNDS_KEPT] = this.lease.now;
    return this.seq;
  }

  /** A follower answered a round stamped `seq` (any answer of this term acknowledges this leader). */
  acknowledged(from: NodeId, seq: number): void {
    if (!this.leading || seq > this.seq) return;
    if (seq <= (this.acked.get(from) ?? 0)) return;
    this.acked.set(from, seq);
    if (this.seq - seq < ROUNDS_KEPT) this.lease.heardFrom(from, this.sentAt[seq % ROUNDS_KEPT]!);
    this.release();
  }

  /** Confirmed reads since the last call, or null if none. */
  take(): ReadState[] | null {
    if (this.confirmed.length === 0) return null;
    const out = this.confirmed;
    this.confirmed = [];
    return out;
  }

  /** Confirmed follower reads since the last call (to answer with ReadIndexResponse), or null if none. */
  takeRemote(): RemoteReadState[] | null {
    if (this.remoteConfirmed.length === 0) return null;
    const out = this.remoteConfirmed;
    this.remoteConfirmed = [];
    this.remoteCount -= out.length;
    return out;
  }

  hasConfirmed(): boolean {
    return this.confirmed.length > 0 || this.remoteConfirmed.length > 0;
  }

  /** Whether a lease read may be served now (for tests and the runtime's status). */
  leaseHolds(): boolean {
    if (!this.leading || this.leaseTicks === null) return false;
    const age = this.lease.ticksSinceQuorumContact();
    return age !== null && age < this.leaseTicks;
  }

  /** Releases every pending read whose round a majority (this leader included) acknowledged. */
  private release(): void {
    const quorumSeq = this.quorumAckedSeq();
    let k = 0;
    while (k < this.pending.length && this.pending[k]!.seq <= quorumSeq) {
      this.confirm(this.pending[k]!);
      k++;
    }
    if (k > 0) this.pending = this.pending.slice(k);
  }

  /** The highest round a majority acknowledged, counting this leader as having seen every round. */
  private quorumAckedSeq(): number {
    const voters = this.voters();
    const acks = voters.map((id) => (id === this.self ? this.seq : (this.acked.get(id) ?? 0)));
    acks.sort((a, b) => b - a);
    return acks[majority(voters.length) - 1]!;
  }
}
