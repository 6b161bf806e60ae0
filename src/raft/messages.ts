import type { LogEntry, NodeId, Snapshot } from './types.js';

/**
 * Messages between Raft nodes: a union keyed on `type`. Every message carries the sender's term;
 * `Step` settles the term before anything else looks at the message.
 */
export type Message<C = unknown> =
  | RequestVote
  | RequestVoteResponse
  | PreVote
  | PreVoteResponse
  | AppendEntries<C>
  | AppendEntriesResponse
  | InstallSnapshot
  | InstallSnapshotResponse
  | TimeoutNow
  | ReadIndexRequest
  | ReadIndexResponse;

export type MessageType = Message['type'];

interface Envelope {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: number;
}

export interface RequestVote extends Envelope {
  readonly type: 'RequestVote';
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
  /**
   * Set (only) by a candidate that campaigns because its leader sent it TimeoutNow (etcd-raft's
   * campaignTransfer): receivers grant it even inside CheckQuorum's lease, since the leader itself
   * asked for this election. Absent otherwise.
   */
  readonly transfer?: true;
}

export interface RequestVoteResponse extends Envelope {
  readonly type: 'RequestVoteResponse';
  readonly granted: boolean;
}

/**
 * Thesis §9.6 (etcd-raft's MsgPreVote): "would you vote for me if I started an election?", asked
 * before a real one. `term` is the term the sender would campaign in (its term + 1); neither side
 * changes its term or vote for it, so a node that cannot win does not disrupt the cluster.
 */
export interface PreVote extends Envelope {
  readonly type: 'PreVote';
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
}

/**
 * A grant carries the PreVote's own term (the one the pre-candidate asked about, which the
 * responder did not adopt); a refusal carries the responder's term, so a pre-candidate behind the
 * cluster learns the term (etcd-raft does the same).
 */
export interface PreVoteResponse extends Envelope {
  readonly type: 'PreVoteResponse';
  readonly granted: boolean;
}

/**
 * Also the heartbeat: a leader's periodic AppendEntries carries no entries and is anchored at the
 * follower's matchIndex (known to match), so it never causes a rejection while appends are
 * pipelined beyond it.
 */
export interface AppendEntries<C = unknown> extends Envelope {
  readonly type: 'AppendEntries';
  readonly prevLogIndex: number;
  readonly prevLogTerm: number;
  readonly entries: readonly LogEntry<C>[];
  readonly leaderCommit: number;
  /**
   * A heartbeat round's sequence number that confirms reads (readIndex.ts), echoed in the answer.
   * Absent unless a read is pending (or lease reads are on), so runs without them are unchanged.
   */
  readonly readSeq?: number;
}

export interface AppendEntriesResponse extends Envelope {
  readonly type: 'AppendEntriesResponse';
  readonly success: boolean;
  /**
   * On success: the index of the last entry the request covered (prevLogIndex + entries.length),
   * which the follower now holds durably, or the follower's snapshot index if that is higher
   * (entries a snapshot covers are committed, so they match). Lets the leader ignore stale,
   * reordered responses. 0 on failure.
   */
  readonly matchIndex: number;
  /** On failure: the prevLogIndex of the rejected request (to recognise stale rejections). */
  readonly rejectedIndex: number;
  /**
   * Fast backtracking (Raft paper §5.3, the "accelerated log backtracking" of the 6.824 notes):
   * the term of the follower's conflicting entry at rejectedIndex (0 if its log is too short),
   * and the first index the follower holds of that term (or its log length + 1 if too short).
   */
  readonly conflictTerm: number;
  readonly conflictIndex: number;
  /** The request's readSeq, echoed (absent when the request had none). */
  readonly readSeq?: number;
}

export interface InstallSnapshot extends Envelope {
  readonly type: 'InstallSnapshot';
  readonly snapshot: Snapshot;
}

export interface InstallSnapshotResponse extends Envelope {
  readonly type: 'InstallSnapshotResponse';
  /** The snapshot's lastIncludedIndex, which the follower now holds durably (when term matches). */
  readonly matchIndex: number;
}

/**
 * Leadership transfer (thesis §3.10, etcd-raft's MsgTimeoutNow): the leader has brought the
 * receiver's log up to its own and asks it to start an election at once, without waiting for its
 * election timeout and without PreVote (see transfer.ts).
 */
export interface TimeoutNow extends Envelope {
  readonly type: 'TimeoutNow';
}

/**
 * A follower's read without a log entry (thesis §6.4, "followers can also serve reads"; etcd-raft's
 * MsgReadIndex): it asks its leader for a read index; the leader confirms its leadership as for a
 * read of its own and answers with ReadIndexResponse. `ctx` is the follower's own tag for the read.
 */
export interface ReadIndexRequest extends Envelope {
  readonly type: 'ReadIndex';
  readonly ctx: number;
}

/** The leader's answer: the follower may serve read `ctx` once it has applied through `index`. */
export interface ReadIndexResponse extends Envelope {
  readonly type: 'ReadIndexResponse';
  readonly ctx: number;
  readonly index: number;
}
