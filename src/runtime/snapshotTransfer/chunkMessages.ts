/**
 * The two messages of a snapshot transfer (Raft paper §7, InstallSnapshot with offset, data and
 * done; here a transport matter, as in etcd, so the core still sees one InstallSnapshot):
 * - SnapshotChunk, leader to follower: bytes [offset, offset + data) of the snapshot stream of
 *   snapshot index/snapshotTerm, for the leader's InstallSnapshot of `term`; `done` on the last.
 * - SnapshotAck, follower to leader: everything before `offset` arrived (ok), or the transfer is
 *   off (not ok: a gap, a bad stream, a restart) and the leader must start over.
 * Both are checked field by field here, like every peer message (peerMessages.ts).
 */
import type { NodeId } from '../../raft/types.js';
import { count, fail, flag } from '../peerCommands.js';

/** Stream bytes per chunk: a frame of about 1.4 MiB once base64-encoded. */
export const CHUNK_BYTES = 1024 * 1024;
const MAX_OFFSET = 2 ** 50;
const MAX_TERM_OR_INDEX = 2 ** 40;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export interface SnapshotChunk {
  readonly type: 'SnapshotChunk';
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: number;
  readonly transfer: number;
  readonly index: number;
  readonly snapshotTerm: number;
  readonly offset: number;
  readonly data: Buffer;
  readonly done: boolean;
}

export interface SnapshotAck {
  readonly type: 'SnapshotAck';
  readonly from: NodeId;
  readonly to: NodeId;
  readonly transfer: number;
  readonly offset: number;
  readonly ok: boolean;
}

export type TransferMessage = SnapshotChunk | SnapshotAck;

/** The frame's JSON for a chunk (data as base64). */
export function chunkToWire(chunk: SnapshotChunk): Record<string, unknown> {
  return { ...chunk, data: chunk.data.toString('base64') };
}

/** A checked transfer message, or null if `m.type` is not one (then it is a Raft message). */
export function transferMessageFrom(m: Record<string, unknown>, envelope: { from: NodeId; to: NodeId }): TransferMessage | null {
  if (m.type === 'SnapshotAck') {
    return { type: 'SnapshotAck', ...envelope, transfer: count(m.transfer, 'transfer'), offset: count(m.offset, 'offset', MAX_OFFSET), ok: flag(m.ok, 'ok') };
  }
  if (m.type !== 'SnapshotChunk') return null;
  const term = count(m.term, 'term', MAX_TERM_OR_INDEX);
  if (typeof m.data !== 'string') fail('data must be a base64 string');
  if (m.data.length > Math.ceil(CHUNK_BYTES / 3) * 4 || !BASE64.test(m.data)) fail(`data must be base64 of at most ${CHUNK_BYTES} bytes`);
  const data = Buffer.from(m.data, 'base64');
  const done = flag(m.done, 'done');
  if (data.length === 0 && !done) fail('an empty chunk must be the last');
  const offset = count(m.offset, 'offset', MAX_OFFSET);
  return {
    type: 'SnapshotChunk', ...envelope, term, transfer: count(m.transfer, 'transfer'),
    index: count(m.index, 'index', MAX_TERM_OR_INDEX), snapshotTerm: count(m.snapshotTerm, 'snapshotTerm', term), offset, data, done,
  };
}
