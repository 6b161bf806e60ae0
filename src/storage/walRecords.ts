/**
 * The payloads inside WAL frames: one kind byte, then UTF-8 JSON.
 *
 * - SEGMENT_HEADER opens every segment with the state at its start, so that replay can begin at
 *   any segment once the ones before it are deleted, and so that consecutive segments can be
 *   checked against each other (a missing or foreign segment is detected, not replayed).
 * - REQUEST is one whole PersistRequest, already normalized against the stored state: its optional
 *   parts are the snapshot marker (index, term, and whether the stored log after it was kept), the
 *   entries with the index the stored log is truncated from, and the hard state, applied in that
 *   order. One record per request makes a request atomic: a torn write loses the whole request,
 *   never half of it (the restart state is always "some prefix of the requests, each in full").
 *
 * The snapshot's data lives in its own file (snapshotFile.ts); the marker only says which one.
 */
import { configShapeProblem } from './configShape.js';
import type { ClusterConfig, HardState } from '../raft/types.js';
import { kindedJson } from './frame.js';

export const KIND_SEGMENT_HEADER = 0x53; // 'S'
export const KIND_REQUEST = 0x52; // 'R'

export interface SegmentHeader {
  readonly seq: number;
  readonly hardState: HardState;
  readonly snapshotIndex: number;
  readonly snapshotTerm: number;
  /** The last log index stored when the segment was started. */
  readonly lastIndex: number;
}

export interface SnapshotMarker {
  readonly index: number;
  readonly term: number;
  /** Whether the stored entries after `index` survived (the §7 rule, decided when written). */
  readonly keepLog: boolean;
}

/** [term, command], or [term, null, configuration] for a configuration entry (membership.ts). */
export type EntryRecord<C> = readonly [term: number, command: C | null, config?: ClusterConfig];

export interface RequestRecord<C> {
  /** The PersistRequest id, for debugging only: ids restart with each incarnation. */
  readonly id: number;
  readonly snapshot?: SnapshotMarker;
  /** Present with `entries`: the stored log is cut from here, then entries[i] gets index from + i. */
  readonly from?: number;
  readonly entries?: readonly EntryRecord<C>[];
  readonly hardState?: HardState;
}

export type WalRecord<C> =
  | { readonly kind: 'header'; readonly header: SegmentHeader }
  | { readonly kind: 'request'; readonly request: RequestRecord<C> };

export function encodeSegmentHeader(header: SegmentHeader): Buffer {
  return kindedJson(KIND_SEGMENT_HEADER, header);
}

export function encodeRequest<C>(request: RequestRecord<C>): Buffer {
  return kindedJson(KIND_REQUEST, request);
}

/** Decodes a CRC-checked payload; throws an Error with the reason if its shape is wrong. */
export function decodeRecord<C>(payload: Buffer): WalRecord<C> {
  const kind = payload[0];
  let body: unknown;
  try {
    body = JSON.parse(payload.subarray(1).toString('utf8'));
  } catch {
    throw new Error('record payload is not JSON');
  }
  if (kind === KIND_SEGMENT_HEADER) return { kind: 'header', header: checkHeader(body) };
  if (kind === KIND_REQUEST) return { kind: 'request', request: checkRequest<C>(body) };
  throw new Error(`unknown record kind 0x${(kind ?? 0).toString(16)}`);
}

/** A cheap shape test, for telling a real record from chance bytes while scanning damage. */
export function looksLikeRecord(payload: Buffer): boolean {
  try {
    decodeRecord(payload);
    return true;
  } catch {
    return false;
  }
}

function checkHeader(body: unknown): SegmentHeader {
  const o = object(body, 'segment header');
  return {
    seq: positiveInt(o.seq, 'seq'),
    hardState: checkHardState(o.hardState),
    snapshotIndex: nonNegativeInt(o.snapshotIndex, 'snapshotIndex'),
    snapshotTerm: nonNegativeInt(o.snapshotTerm, 'snapshotTerm'),
    lastIndex: nonNegativeInt(o.lastIndex, 'lastIndex'),
  };
}

function checkRequest<C>(body: unknown): RequestRecord<C> {
  const o = object(body, 'request');
  const record: { -readonly [K in keyof RequestRecord<C>]: RequestRecord<C>[K] } = { id: nonNegativeInt(o.id, 'id') };
  if (o.snapshot !== undefined) {
    const s = object(o.snapshot, 'snapshot marker');
    if (typeof s.keepLog !== 'boolean') throw new Error('snapshot marker: keepLog is not a boolean');
    record.snapshot = { index: positiveInt(s.index, 'snapshot index'), term: nonNegativeInt(s.term, 'snapshot term'), keepLog: s.keepLog };
  }
  if ((o.from === undefined) !== (o.entries === undefined)) throw new Error('request: from and entries go together');
  if (o.entries !== undefined) {
    record.from = positiveInt(o.from, 'from');
    if (!Array.isArray(o.entries) || o.entries.length === 0) throw new Error('request: entries is not a non-empty array');
    for (const e of o.entries as unknown[]) {
      if (!Array.isArray(e) || (e.length !== 2 && e.length !== 3)) throw new Error('request: an entry is not [term, command] or [term, null, config]');
      nonNegativeInt(e[0], 'entry term');
      if (e.length === 3) {
        if (e[1] !== null) throw new Error('request: a configuration entry has a command');
        const problem = configShapeProblem(e[2]);
        if (problem !== null) throw new Error(`request: bad configuration: ${problem}`);
      }
    }
    record.entries = o.entries as EntryRecord<C>[];
  }
  if (o.hardState !== undefined) record.hardState = checkHardState(o.hardState);
  return record;
}

function checkHardState(body: unknown): HardState {
  const o = object(body, 'hard state');
  const votedFor = o.votedFor === null ? null : positiveInt(o.votedFor, 'votedFor');
  return { term: nonNegativeInt(o.term, 'term'), votedFor };
}

function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} is not an object`);
  return value as Record<string, unknown>;
}

function nonNegativeInt(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new Error(`${what} is not a non-negative integer`);
  return value;
}

function positiveInt(value: unknown, what: string): number {
  const n = nonNegativeInt(value, what);
  if (n === 0) throw new Error(`${what} is zero`);
  return n;
}
