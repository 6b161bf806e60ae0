/**
 * How the world's events go into the trace: each encoder makes one `Trace.note` call, which mixes
 * the event into the hash (its kind code, the time, and the integers that tell it apart) and, when
 * records are kept, describes it for people. The integers and their order are what the pinned
 * trace hashes were made from: change them and every pinned hash changes.
 */
import { describeConfig } from '../raft/membership.js';
import type { KvCommand } from '../kv/types.js';
import { describeMessage } from '../raft/describe.js';
import type { Message } from '../raft/messages.js';
import type { ConfigChangeResult } from '../raft/node.js';
import type { LogEntry, Role } from '../raft/types.js';
import { describeOp } from './clientLinks.js';
import { MessageCode, TraceCode } from './events.js';
import { describeFault } from './faults.js';
import type { FaultAction } from './faults.js';
import type { Trace } from './trace.js';
import type { CrashSummary } from './simfs/index.js';

const TRACE_NAMES: Record<number, string> = {
  [TraceCode.send]: 'send', [TraceCode.deliver]: 'deliver', [TraceCode.drop]: 'drop', [TraceCode.duplicate]: 'duplicate',
};

/** A message sent, delivered, dropped or duplicated: the link, its type and term, and the index it is about. */
export function traceMessage(trace: Trace, now: number, code: number, message: Message<KvCommand>): void {
  trace.note(() => ({ t: now, ev: TRACE_NAMES[code] ?? 'message', node: code === TraceCode.deliver ? message.to : message.from, msg: describeMessage(message) }),
    code, now, message.from * 16 + message.to, MessageCode[message.type] * 65536 + message.term, messageIndex(message));
}

/** The index a message is about, so that the hash tells apart messages of one type and term. */
function messageIndex(message: Message<KvCommand>): number {
  switch (message.type) {
    // A transfer's vote request (never sent in runs without a transfer) is told apart by its sign.
    case 'RequestVote': return message.transfer === true ? -message.lastLogIndex - 1 : message.lastLogIndex;
    case 'PreVote': return message.lastLogIndex;
    case 'RequestVoteResponse':
    case 'PreVoteResponse': return message.granted ? 1 : 0;
    case 'AppendEntries': return message.prevLogIndex * 1024 + message.entries.length;
    case 'AppendEntriesResponse': return message.success ? message.matchIndex : -message.rejectedIndex - 1;
    case 'InstallSnapshot': return message.snapshot.lastIncludedIndex;
    case 'InstallSnapshotResponse': return message.matchIndex;
    case 'TimeoutNow': return 0;
    case 'ReadIndex': return message.ctx;
    case 'ReadIndexResponse': return message.index;
  }
}

export function traceFault(trace: Trace, now: number, action: FaultAction): void {
  const what = describeFault(action);
  trace.noteWithText(() => ({ t: now, ev: 'fault', what }), what, TraceCode.fault, now);
}

/** A node's oldest pending write became durable. */
export function traceFsync(trace: Trace, now: number, node: number, id: number): void {
  trace.note(() => ({ t: now, ev: 'fsync', node, id }), TraceCode.fsync, now, node, id);
}

/** A node applies a committed entry. */
export function traceApply(trace: Trace, now: number, node: number, entry: LogEntry<KvCommand>): void {
  trace.note(() => ({ t: now, ev: 'apply', node, index: entry.index, term: entry.term,
    op: entry.command ? `client ${entry.command.clientId} seq ${entry.command.seq} ${describeOp(entry.command.op)}`
      : entry.config !== undefined ? `config ${describeConfig(entry.config)}` : 'no-op' }),
  TraceCode.apply, now, node, entry.index, entry.term);
}

export function traceRole(trace: Trace, now: number, node: number, role: Role, term: number): void {
  trace.note(() => ({ t: now, ev: 'role', node, role, term }),
    TraceCode.role, now, node, term, roleCode(role));
}

/** Codes 0..2 predate PreVote; a pre-candidate (only with raft.preVote on) is 3. */
function roleCode(role: Role): number {
  return role === 'leader' ? 2 : role === 'candidate' ? 1 : role === 'pre-candidate' ? 3 : 0;
}

export function traceHeal(trace: Trace, now: number): void {
  trace.note(() => ({ t: now, ev: 'heal-all' }), TraceCode.heal, now);
}

export function traceCrash(trace: Trace, now: number, node: number, lost: number, kept: number, tornEntries: number | null): void {
  trace.note(() => ({ t: now, ev: 'crash', node, lostWrites: lost, keptWrites: kept, ...(tornEntries === null ? {} : { tornEntries }) }),
    TraceCode.crash, now, node, lost, kept);
}

/** A machine with the storage engine lost power: its file system's unsynced changes lost and kept. */
export function traceEngineCrash(trace: Trace, now: number, node: number, summary: CrashSummary): void {
  trace.note(() => ({ t: now, ev: 'crash', node, lostChanges: summary.opsLost, keptChanges: summary.opsKept, torn: summary.torn,
    lostNames: summary.namesLost, keptNames: summary.namesKept }),
  TraceCode.fsCrash, now, node * 2 + (summary.torn ? 1 : 0), summary.opsLost * 65536 + summary.opsKept, summary.namesLost * 65536 + summary.namesKept);
}

/** A machine's first start, once its storage engine has opened (disk.storage "engine"). */
export function traceBoot(trace: Trace, now: number, node: number): void {
  trace.note(() => ({ t: now, ev: 'start', node }), TraceCode.restart, now, node);
}

export function traceRestart(trace: Trace, now: number, node: number): void {
  trace.note(() => ({ t: now, ev: 'restart', node }), TraceCode.restart, now, node);
}

const CHANGE_CODES = { 'add-learner': 1, promote: 2, remove: 3 } as const;
const REFUSAL_CODES: Record<string, number> = {
  'no-leader': 1, 'no-candidate': 2, 'not-leader': 3, transferring: 4, 'change-pending': 5, 'no-such-change': 6, 'would-break-cluster': 7, 'uncommitted-limit': 8,
};

/**
 * A membership change the nemesis asked of `leader` (0: none) about `node` (0: none found): the
 * entry appended (its index) or why not. Mixed only when such a fault fires, so other runs hash as before.
 */
export function traceConfigChange(trace: Trace, now: number, leader: number, type: keyof typeof CHANGE_CODES, node: number,
  result: ConfigChangeResult | 'no-leader' | 'no-candidate'): void {
  const reason = typeof result === 'string' ? result : result.ok ? null : result.reason;
  const outcome = typeof result !== 'string' && result.ok ? result.index : -(REFUSAL_CODES[reason!] ?? 99);
  trace.note(() => ({ t: now, ev: 'config-change', node: leader, change: `${type}${node === 0 ? '' : ` n${node}`}`,
    result: typeof result !== 'string' && result.ok ? `appended at ${result.index}: ${describeConfig(result.config)}` : `refused: ${reason}` }),
  TraceCode.configChange, now, leader * 16 + node, CHANGE_CODES[type], outcome);
}
