/**
 * Every message from an authenticated peer is checked here, field by field, before it reaches the
 * core, and rebuilt from the checked fields only. The core asserts its own invariants and the KV
 * treats a malformed committed entry as fatal, so one bad message could otherwise take a node
 * down (and keep it down: entries are durable). A message that fails is refused with the reason.
 *
 * Bounds chosen: terms and indexes are integers from 0 to 2^40 (at one election per millisecond
 * that is 35 years of terms), which keeps a forged 2^53−1 term from wedging a node; jumps within
 * the bound are not judged, since a partitioned node's term legitimately runs ahead (the secret is
 * what keeps strangers out). An AppendEntries carries at most MAX_ENTRIES_PER_MESSAGE entries whose
 * indexes follow prevLogIndex one by one with terms that never decrease and never pass the
 * message's term; its bytes are bounded by the frame limit (framing.ts). A configuration entry
 * (membership changes) has a null command and a configuration naming only nodes of the cluster
 * file (peerConfig.ts). Messages from a node outside the current configuration are fine (one being
 * added, or one removed that does not know it yet): the core judges those. Snapshots come in
 * chunks (snapshotTransfer/chunkMessages.ts), never as one InstallSnapshot.
 */
import type { KvCommand } from '../kv/types.js';
import type { Message } from '../raft/messages.js';
import type { ClusterConfig, LogEntry, NodeId } from '../raft/types.js';
import { commandFrom, count, fail, InvalidPeerMessage, record } from './peerCommands.js';
import { copyConfig, peerConfigProblem } from './peerConfig.js';
import { transferMessageFrom, type TransferMessage } from './snapshotTransfer/chunkMessages.js';

export const MAX_TERM = 2 ** 40;
export const MAX_INDEX = 2 ** 40;
/** Heartbeat rounds one leader may number in its term: far beyond any real term's. */
export const MAX_READ_SEQ = 2 ** 48;
/** Also the ceiling of `serve --max-entries-per-append`, so that a leader never sends more. */
export const MAX_ENTRIES_PER_MESSAGE = 4096;

export interface PeerMessageContext {
  /** This node: every message must be addressed to it. */
  readonly self: NodeId;
  /** The peer the connection authenticated as: every message must come from it. */
  readonly from: NodeId;
  /**
   * Every node of the cluster file, this one included: a configuration entry naming another is
   * refused (peerConfig.ts). Absent: only the configuration's shape is checked.
   */
  readonly known?: ReadonlySet<NodeId>;
}

export type CheckedMessage =
  | { readonly message: Message<KvCommand> }
  | { readonly transfer: TransferMessage }
  | { readonly error: string };

export function checkPeerMessage(value: unknown, ctx: PeerMessageContext): CheckedMessage {
  try {
    return messageFrom(value, ctx);
  } catch (error) {
    if (error instanceof InvalidPeerMessage) return { error: error.message };
    throw error;
  }
}

function messageFrom(value: unknown, ctx: PeerMessageContext): CheckedMessage {
  const m = record(value, 'the message');
  if (m.from !== ctx.from) fail(`from must be ${ctx.from}, the authenticated peer, got ${JSON.stringify(m.from)}`);
  if (m.to !== ctx.self) fail(`to must be ${ctx.self}, this node, got ${JSON.stringify(m.to)}`);
  const transfer = transferMessageFrom(m, { from: ctx.from, to: ctx.self });
  return transfer !== null ? { transfer } : { message: raftMessageFrom(m, ctx) };
}

function raftMessageFrom(m: Record<string, unknown>, ctx: PeerMessageContext): Message<KvCommand> {
  const envelope = { from: ctx.from, to: ctx.self, term: count(m.term, 'term', MAX_TERM) };
  const term = envelope.term;
  switch (m.type) {
    case 'RequestVote': {
      const request = { type: 'RequestVote', ...envelope, lastLogIndex: count(m.lastLogIndex, 'lastLogIndex', MAX_INDEX), lastLogTerm: count(m.lastLogTerm, 'lastLogTerm', term) } as const;
      // A leadership transfer's campaign (src/raft/transfer.ts): the flag is true or absent.
      if (m.transfer === undefined) return request;
      if (m.transfer !== true) fail('transfer must be true when present');
      return { ...request, transfer: true };
    }
    case 'RequestVoteResponse':
      return { type: 'RequestVoteResponse', ...envelope, granted: bool(m.granted, 'granted') };
    case 'PreVote':
      // The term is the one the sender would campaign in; its last log term is at most that.
      return { type: 'PreVote', ...envelope, lastLogIndex: count(m.lastLogIndex, 'lastLogIndex', MAX_INDEX), lastLogTerm: count(m.lastLogTerm, 'lastLogTerm', term) };
    case 'PreVoteResponse':
      return { type: 'PreVoteResponse', ...envelope, granted: bool(m.granted, 'granted') };
    case 'AppendEntries':
      return appendEntriesFrom(m, envelope, ctx.known);
    case 'AppendEntriesResponse':
      return {
        type: 'AppendEntriesResponse', ...envelope, success: bool(m.success, 'success'),
        matchIndex: count(m.matchIndex, 'matchIndex', MAX_INDEX), rejectedIndex: count(m.rejectedIndex, 'rejectedIndex', MAX_INDEX),
        conflictTerm: count(m.conflictTerm, 'conflictTerm', term), conflictIndex: count(m.conflictIndex, 'conflictIndex', MAX_INDEX),
        ...readSeqFrom(m),
      };
    case 'InstallSnapshot':
      // Snapshots travel as a stream of SnapshotChunk messages, checked piece by piece as they
      // come (snapshotTransfer/); one message could not hold a large one.
      return fail('InstallSnapshot must come as SnapshotChunk messages');
    case 'InstallSnapshotResponse':
      return { type: 'InstallSnapshotResponse', ...envelope, matchIndex: count(m.matchIndex, 'matchIndex', MAX_INDEX) };
    case 'TimeoutNow':
      return { type: 'TimeoutNow', ...envelope };
    case 'ReadIndex':
      return { type: 'ReadIndex', ...envelope, ctx: count(m.ctx, 'ctx', Number.MAX_SAFE_INTEGER) };
    case 'ReadIndexResponse':
      return { type: 'ReadIndexResponse', ...envelope, ctx: count(m.ctx, 'ctx', Number.MAX_SAFE_INTEGER), index: count(m.index, 'index', MAX_INDEX) };
    default:
      return fail(`unknown message type ${JSON.stringify(m.type)}`);
  }
}

function appendEntriesFrom(m: Record<string, unknown>, envelope: { from: NodeId; to: NodeId; term: number }, known: ReadonlySet<NodeId> | undefined): Message<KvCommand> {
  const term = envelope.term;
  const prevLogIndex = count(m.prevLogIndex, 'prevLogIndex', MAX_INDEX);
  const prevLogTerm = count(m.prevLogTerm, 'prevLogTerm', term);
  const leaderCommit = count(m.leaderCommit, 'leaderCommit', MAX_INDEX);
  if (!Array.isArray(m.entries)) fail('entries is not an array');
  const raw = m.entries as unknown[];
  if (raw.length > MAX_ENTRIES_PER_MESSAGE) fail(`${raw.length} entries, over the limit of ${MAX_ENTRIES_PER_MESSAGE}`);
  if (prevLogIndex + raw.length > MAX_INDEX) fail(`entries would pass index ${MAX_INDEX}`);
  let lastTerm = prevLogTerm;
  const entries = raw.map((item, i): LogEntry<KvCommand> => {
    const e = record(item, `entries[${i}]`);
    const index = prevLogIndex + 1 + i;
    if (e.index !== index) fail(`entries[${i}].index must be ${index}, got ${JSON.stringify(e.index)}`);
    const entryTerm = count(e.term, `entries[${i}].term`, term);
    if (entryTerm < lastTerm) fail(`entries[${i}].term ${entryTerm} is below the term before it (${lastTerm})`);
    lastTerm = entryTerm;
    if (!('command' in e)) fail(`entries[${i}] has no command`);
    if (e.config === undefined) return { index, term: entryTerm, command: commandFrom(e.command, `entries[${i}].command`) };
    // A configuration entry (membership changes, src/raft/membership.ts): no command, a valid configuration.
    if (e.command !== null) fail(`entries[${i}] is a configuration entry with a command`);
    const problem = peerConfigProblem(e.config, known);
    if (problem !== null) fail(`entries[${i}].config: ${problem}`);
    return { index, term: entryTerm, command: null, config: copyConfig(e.config as ClusterConfig) };
  });
  return { type: 'AppendEntries', ...envelope, prevLogIndex, prevLogTerm, entries, leaderCommit, ...readSeqFrom(m) };
}

/** The optional heartbeat round number that confirms reads (src/raft/readIndex.ts): absent, or a count. */
function readSeqFrom(m: Record<string, unknown>): { readSeq?: number } {
  return m.readSeq === undefined ? {} : { readSeq: count(m.readSeq, 'readSeq', MAX_READ_SEQ) };
}

function bool(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') fail(`${what} must be true or false`);
  return value;
}
