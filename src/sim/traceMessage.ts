/**
 * How a message goes into the trace: mixed into the hash (kind code, time, link, type and term, and
 * the index it is about) and, when records are kept, described for people.
 */
import type { KvCommand } from '../kv/types.js';
import { describeMessage } from '../raft/describe.js';
import type { Message } from '../raft/messages.js';
import { MessageCode, TraceCode } from './events.js';
import type { Trace } from './trace.js';

const TRACE_NAMES: Record<number, string> = {
  [TraceCode.send]: 'send', [TraceCode.deliver]: 'deliver', [TraceCode.drop]: 'drop', [TraceCode.duplicate]: 'duplicate',
};

export function traceMessage(trace: Trace, now: number, code: number, message: Message<KvCommand>): void {
  trace.mix(code, now, message.from * 16 + message.to, MessageCode[message.type] * 65536 + message.term, messageIndex(message));
  if (trace.records) {
    trace.record({ t: now, ev: TRACE_NAMES[code] ?? 'message', node: code === TraceCode.deliver ? message.to : message.from, msg: describeMessage(message) });
  }
}

/** The index a message is about, so that the hash tells apart messages of one type and term. */
function messageIndex(message: Message<KvCommand>): number {
  switch (message.type) {
    case 'RequestVote': return message.lastLogIndex;
    case 'RequestVoteResponse': return message.granted ? 1 : 0;
    case 'AppendEntries': return message.prevLogIndex * 1024 + message.entries.length;
    case 'AppendEntriesResponse': return message.success ? message.matchIndex : -message.rejectedIndex - 1;
    case 'InstallSnapshot': return message.snapshot.lastIncludedIndex;
    case 'InstallSnapshotResponse': return message.matchIndex;
  }
}
