import { assert } from './assert.js';
import type { RaftLog } from './log.js';
import type { AppendEntries, AppendEntriesResponse, Message } from './messages.js';
import type { LogEntry, NodeId } from './types.js';

/**
 * The receiver's side of the RPCs as pure helpers on the log (Raft paper Figure 2, "Receiver
 * implementation"): the up-to-date check, appending without cutting matching entries, the
 * fast-backtracking rejection, and replies to messages of older terms. RaftNode owns the state
 * changes around them (term, commitIndex, durability).
 */

/** §5.4.1: a candidate's log is at least as up-to-date as `log` (last term, then length). */
export function isUpToDate<C>(log: RaftLog<C>, lastLogIndex: number, lastLogTerm: number): boolean {
  const lastTerm = log.lastTerm;
  return lastLogTerm > lastTerm || (lastLogTerm === lastTerm && lastLogIndex >= log.lastIndex);
}

/**
 * Appends `entries[skip..]` after a successful consistency check and returns the lowest index it
 * wrote (truncated or appended), or 0 if the log already held them all. Only a conflicting suffix
 * is truncated, never matching entries: a stale, reordered AppendEntries whose entries all match
 * must not cut entries a later one added (Figure 2, receiver step 3).
 */
export function appendFromLeader<C>(
  log: RaftLog<C>,
  entries: readonly LogEntry<C>[],
  skip: number,
  commitIndex: number,
): number {
  if (skip >= entries.length) return 0;
  const conflict = log.findConflict(entries, skip);
  if (conflict === 0) return 0;
  // Committed entries match every later leader's (Leader Completeness): a conflict there means
  // this node, or the leader, broke a rule of the protocol.
  assert(conflict > commitIndex, 'follower: truncating a committed entry');
  if (conflict <= log.lastIndex) log.truncateFrom(conflict);
  log.append(entries, skip + conflict - entries[skip]!.index);
  return conflict;
}

/**
 * The rejection of `m` with fast-backtracking hints (§5.3, "accelerated log backtracking"): the
 * term of our entry at prevLogIndex and the first index we hold of that term, or term 0 and our
 * log end + 1 if our log is too short.
 */
export function appendRejection<C>(log: RaftLog<C>, m: AppendEntries<C>, term: number): AppendEntriesResponse {
  let conflictTerm = 0;
  let conflictIndex = log.lastIndex + 1;
  if (m.prevLogIndex <= log.lastIndex) {
    const held = log.termAt(m.prevLogIndex);
    assert(held !== null, 'follower: rejecting below the snapshot');
    conflictTerm = held;
    conflictIndex = log.firstIndexOfTermAt(m.prevLogIndex);
  }
  return {
    type: 'AppendEntriesResponse',
    from: m.to,
    to: m.from,
    term,
    success: false,
    matchIndex: 0,
    rejectedIndex: m.prevLogIndex,
    conflictTerm,
    conflictIndex,
  };
}

export function appendSuccess(from: NodeId, to: NodeId, term: number, matchIndex: number): AppendEntriesResponse {
  return {
    type: 'AppendEntriesResponse',
    from,
    to,
    term,
    success: true,
    matchIndex,
    rejectedIndex: 0,
    conflictTerm: 0,
    conflictIndex: 0,
  };
}

/**
 * The answer to a message of an older term (§5.1): our term, so a stale leader or candidate
 * steps down. Responses of older terms get no answer (null).
 */
export function staleReply<C>(m: Message<C>, term: number): Message<C> | null {
  const from = m.to;
  const to = m.from;
  switch (m.type) {
    case 'AppendEntries':
      return {
        type: 'AppendEntriesResponse', from, to, term, success: false, matchIndex: 0,
        rejectedIndex: m.prevLogIndex, conflictTerm: 0, conflictIndex: 0,
      };
    case 'InstallSnapshot':
      return { type: 'InstallSnapshotResponse', from, to, term, matchIndex: 0 };
    case 'RequestVote':
      return { type: 'RequestVoteResponse', from, to, term, granted: false };
    case 'PreVote':
      // etcd-raft answers a stale pre-vote too: the pre-candidate learns the newer term.
      return { type: 'PreVoteResponse', from, to, term, granted: false };
    default:
      return null;
  }
}
