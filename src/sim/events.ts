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
    | { kind: 'heal-all' }
    /** A message sent under a `delay` fault comes due (network.ts keeps it until then, or the heal). */
    | { kind: 'delayed'; id: number }
    /** A paused node's pause ends, unless a crash ended it or a later pause extended it past `until`. */
    | { kind: 'resume'; node: number; incarnation: number; until: number }
    /** The storage engine or its file system asked to be woken (an fsync completes, a timer fires). */
    | { kind: 'wake'; node: number; incarnation: number; token: number }
    /** A disk-full fault ends, unless a later one on the same disk extended it past `until`. */
    | { kind: 'disk-space'; node: number; until: number }
    /** A machine's supervisor starts its process again after it exited on its own (engineHosts.ts). */
    | { kind: 'supervisor-restart'; node: number; incarnation: number };

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
  // Issue 8 faults. Each is mixed only when its fault happens, so runs without it hash as before.
  pause: 18,
  resume: 19,
  /** A message sent on a delayed link: it arrives `forMs` late. */
  delay: 20,
  replay: 21,
  clockJump: 22,
  slowDisk: 23,
  clientsReach: 24,
  /** A message or request to a paused node that its full inbox refused. */
  inboxFull: 25,
  /** A message, request or fsync completion kept for a paused node until it resumes. */
  queued: 26,
  trap: 27,
  fsyncSpike: 28,
  /** A client request or answer the client network delivers twice. */
  clientDuplicate: 29,
  /** A message a held link refused: its queue was at HELD_PER_LINK_MAX. */
  heldFull: 30,
  /** A message the network refused to put in flight: the event queue was at MESSAGE_EVENTS_MAX. */
  queueFull: 31,
  // The storage engine on a simulated file system (disk.storage "engine").
  /** A write the engine failed (fail-stop: the node crashes). */
  storageFailed: 32,
  /** The engine refused to start: for good (damage it noticed) or for now (the file system refused). */
  startRefused: 33,
  /** Damage at rest on a crashed machine's synced data. */
  diskDamage: 34,
  diskFull: 35,
  /** A crash of a machine with the engine: its file system's unsynced changes lost and kept. */
  fsCrash: 36,
  /** A membership change asked of the leader (membershipFaults.ts): appended or refused. */
  configChange: 37,
} as const;

export const MessageCode = {
  RequestVote: 1,
  RequestVoteResponse: 2,
  AppendEntries: 3,
  AppendEntriesResponse: 4,
  InstallSnapshot: 5,
  InstallSnapshotResponse: 6,
  PreVote: 7,
  PreVoteResponse: 8,
  TimeoutNow: 9,
  ReadIndex: 10,
  ReadIndexResponse: 11,
} as const;
