/**
 * The leader's side of sending one peer a snapshot: the core's InstallSnapshot becomes a stream
 * (storage/snapshotStream.ts) cut into chunks of CHUNK_BYTES, with at most `windowChunks` of them
 * unacknowledged (flow control: a slow follower slows the leader's encoding, and memory stays at
 * one window plus one piece). The stream is encoded as it is sent, from the state the core
 * holds, so no file has to outlive the transfer and nothing is ever the whole snapshot.
 *
 * The core resends InstallSnapshot while it waits (it cannot tell a slow transfer from a lost
 * one), so an offer of the snapshot already under way, or finished within HOLD_AFTER_DONE_MS
 * (the follower is writing it to disk before it answers), is ignored. A transfer with no
 * acknowledged progress for `stallMs`, or refused by the follower, is dropped; the core's next
 * offer starts over.
 */
import { randomInt } from 'node:crypto';
import type { InstallSnapshot } from '../../raft/messages.js';
import { encodeSnapshotStream, type SnapshotCodec } from '../../storage/snapshotStream.js';
import { CHUNK_BYTES, type SnapshotAck, type SnapshotChunk } from './chunkMessages.js';

export const DEFAULT_WINDOW_CHUNKS = 8;
export const DEFAULT_STALL_MS = 10_000;
/** How long a finished transfer stands for its snapshot (a longer install means a resend). */
export const HOLD_AFTER_DONE_MS = 30_000;

export interface SnapshotSenderOptions {
  readonly codec: SnapshotCodec;
  readonly send: (chunk: SnapshotChunk) => void;
  readonly windowChunks?: number;
  readonly stallMs?: number;
  readonly now?: () => number;
  readonly log: (line: string) => void;
}

export interface SenderStats {
  readonly started: number;
  readonly completed: number;
  readonly aborted: number;
  readonly bytesSent: number;
}

interface Transfer {
  readonly id: number;
  readonly message: InstallSnapshot;
  readonly stream: Iterator<Buffer>;
  pending: Buffer;
  exhausted: boolean;
  sentOffset: number;
  ackedOffset: number;
  doneSent: boolean;
  timer: NodeJS.Timeout | null;
}

export class SnapshotSender {
  private transfer: Transfer | null = null;
  private finished: { index: number; term: number; at: number } | null = null;
  private nextId = randomInt(2 ** 40); // ids from a restarted leader do not match old acks
  private readonly windowBytes: number;
  private readonly stallMs: number;
  private readonly now: () => number;
  private counts = { started: 0, completed: 0, aborted: 0, bytesSent: 0 };

  constructor(private readonly options: SnapshotSenderOptions) {
    this.windowBytes = (options.windowChunks ?? DEFAULT_WINDOW_CHUNKS) * CHUNK_BYTES;
    this.stallMs = options.stallMs ?? DEFAULT_STALL_MS;
    this.now = options.now ?? Date.now;
  }

  get stats(): SenderStats {
    return { ...this.counts };
  }

  /** True while a transfer is under way. */
  get busy(): boolean {
    return this.transfer !== null;
  }

  offer(message: InstallSnapshot): void {
    const index = message.snapshot.lastIncludedIndex;
    const current = this.transfer;
    if (current !== null && current.message.term === message.term && current.message.snapshot.lastIncludedIndex >= index) return;
    const done = this.finished;
    if (current === null && done !== null && done.term === message.term && done.index >= index && this.now() - done.at < HOLD_AFTER_DONE_MS) return;
    if (current !== null) this.abort('replaced by a newer snapshot or term');
    this.counts.started++;
    this.transfer = {
      id: this.nextId++, message, stream: encodeSnapshotStream(message.snapshot, this.options.codec),
      pending: Buffer.alloc(0), exhausted: false, sentOffset: 0, ackedOffset: 0, doneSent: false, timer: null,
    };
    this.armStall();
    this.pump();
  }

  onAck(ack: SnapshotAck): void {
    const t = this.transfer;
    if (t === null || ack.transfer !== t.id) return; // an old transfer's answer
    if (!ack.ok) return this.abort(`n${ack.from} refused the transfer at byte ${ack.offset}`);
    if (ack.offset <= t.ackedOffset || ack.offset > t.sentOffset) return; // stale, or not a byte we sent
    t.ackedOffset = ack.offset;
    this.armStall();
    if (t.doneSent && t.ackedOffset === t.sentOffset) {
      this.counts.completed++;
      this.finished = { index: t.message.snapshot.lastIncludedIndex, term: t.message.term, at: this.now() };
      this.clear();
      return;
    }
    this.pump();
  }

  close(): void {
    this.clear();
  }

  private pump(): void {
    const t = this.transfer!;
    while (!t.doneSent && t.sentOffset - t.ackedOffset < this.windowBytes) {
      let data: Buffer;
      try {
        data = this.nextChunk(t);
      } catch (error) {
        return this.abort(`the snapshot could not be encoded: ${(error as Error).message}`);
      }
      const done = t.exhausted && t.pending.length === 0;
      const m = t.message;
      this.options.send({
        type: 'SnapshotChunk', from: m.from, to: m.to, term: m.term, transfer: t.id,
        index: m.snapshot.lastIncludedIndex, snapshotTerm: m.snapshot.lastIncludedTerm, offset: t.sentOffset, data, done,
      });
      t.sentOffset += data.length;
      this.counts.bytesSent += data.length;
      t.doneSent = done;
    }
  }

  /** The next CHUNK_BYTES of the stream (fewer at its end), encoding more of it as needed. */
  private nextChunk(t: Transfer): Buffer {
    const parts: Buffer[] = [];
    let need = CHUNK_BYTES;
    while (need > 0 && this.fill(t)) {
      const part = t.pending.subarray(0, need);
      t.pending = t.pending.subarray(part.length);
      parts.push(part);
      need -= part.length;
    }
    this.fill(t); // so that `exhausted` says whether anything is left
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /** Makes sure some bytes are pending unless the stream is over; false when it is. */
  private fill(t: Transfer): boolean {
    while (t.pending.length === 0 && !t.exhausted) {
      const next = t.stream.next();
      if (next.done === true) t.exhausted = true;
      else t.pending = next.value;
    }
    return t.pending.length > 0;
  }

  private armStall(): void {
    const t = this.transfer!;
    if (t.timer !== null) clearTimeout(t.timer);
    t.timer = setTimeout(() => this.abort(`no progress acknowledged for ${this.stallMs} ms`), this.stallMs);
  }

  private abort(why: string): void {
    const t = this.transfer;
    if (t === null) return;
    this.counts.aborted++;
    this.options.log(`snapshot ${t.message.snapshot.lastIncludedIndex} to n${t.message.to}: transfer dropped at byte ${t.ackedOffset}: ${why}`);
    this.clear();
  }

  private clear(): void {
    const t = this.transfer;
    if (t?.timer) clearTimeout(t.timer);
    this.transfer = null;
  }
}
