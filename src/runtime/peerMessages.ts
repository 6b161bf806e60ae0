/**
 * A shape check on messages from the wire, before they reach the core: the core asserts its own
 * invariants and would throw (taking the node down) on a message that is not a Raft message at
 * all. Peers run our own code, so this guards against garbage and confusion (a node started with
 * the wrong cluster file), not against a malicious peer.
 */
import type { Message } from '../raft/messages.js';
import type { KvCommand } from '../kv/types.js';
import type { NodeId } from '../raft/types.js';

const FIELDS: Record<Message['type'], readonly string[]> = {
  RequestVote: ['lastLogIndex', 'lastLogTerm'],
  RequestVoteResponse: [],
  AppendEntries: ['prevLogIndex', 'prevLogTerm', 'leaderCommit'],
  AppendEntriesResponse: ['matchIndex', 'rejectedIndex', 'conflictTerm', 'conflictIndex'],
  InstallSnapshot: [],
  InstallSnapshotResponse: ['matchIndex'],
};

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** The message if it is well formed, from a known peer and addressed to `self`; null otherwise. */
export function asPeerMessage(value: unknown, self: NodeId, peers: ReadonlySet<NodeId>): Message<KvCommand> | null {
  if (typeof value !== 'object' || value === null) return null;
  const m = value as Record<string, unknown>;
  const fields = typeof m.type === 'string' ? FIELDS[m.type as Message['type']] : undefined;
  if (fields === undefined) return null;
  if (m.to !== self || typeof m.from !== 'number' || !peers.has(m.from) || !isCount(m.term)) return null;
  if (!fields.every((field) => isCount(m[field]))) return null;
  if (m.type === 'RequestVoteResponse' && typeof m.granted !== 'boolean') return null;
  if (m.type === 'AppendEntriesResponse' && typeof m.success !== 'boolean') return null;
  if (m.type === 'AppendEntries' && !(Array.isArray(m.entries) && m.entries.every(isEntry))) return null;
  if (m.type === 'InstallSnapshot' && !isSnapshot(m.snapshot)) return null;
  return value as Message<KvCommand>;
}

function isEntry(value: unknown): boolean {
  const e = value as { index?: unknown; term?: unknown; command?: unknown } | null;
  return typeof e === 'object' && e !== null && isCount(e.index) && isCount(e.term) &&
    (e.command === null || typeof e.command === 'object');
}

function isSnapshot(value: unknown): boolean {
  const s = value as { lastIncludedIndex?: unknown; lastIncludedTerm?: unknown } | null;
  return typeof s === 'object' && s !== null && isCount(s.lastIncludedIndex) && isCount(s.lastIncludedTerm);
}
