/**
 * The simulator's events: everything that happens in a run is one of these, popped from the one
 * event queue in (time, insertion) order.
 */
import type { KvRequest, KvResponse } from '../kv/types.js';
import type { Message } from '../raft/messages.js';
import type { KvCommand } from '../kv/types.js';
import type { Scheduled } from './eventQueue.js';
import type { FaultAction } from './faults.js';

export type SimEventBody =
    | { kind: 'tick'; node: number; incarnation: number }
    | { kind: 'deliver'; message: Message<KvCommand> }
    | { kind: 'fsync'; node: number; incarnation: number }
    | { kind: 'request'; node: number; client: number; request: KvRequest }
    | { kind: 'response'; node: number; client: number; response: KvResponse }
    | { kind: 'client-call'; client: number }
    | { kind: 'client-timeout'; client: number; attempt: number }
    | { kind: 'fault'; action: FaultAction }
    | { kind: 'heal-all' };

export type SimEvent = Scheduled & SimEventBody;

/** Codes mixed into the trace hash, one per kind of thing that happens. */
export const TraceCode = {
  tick: 1,
  send: 2,
  deliver: 3,
  drop: 4,
  duplicate: 5,
  fsync: 6,
  apply: 7,
  crash: 8,
  restart: 9,
  fault: 10,
  clientCall: 11,
  clientReturn: 12,
  request: 13,
  response: 14,
  clientTimeout: 15,
  heal: 16,
  role: 17,
} as const;

export const MessageCode = {
  RequestVote: 1,
  RequestVoteResponse: 2,
  AppendEntries: 3,
  AppendEntriesResponse: 4,
  InstallSnapshot: 5,
  InstallSnapshotResponse: 6,
} as const;
