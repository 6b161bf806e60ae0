/**
 * The snapshot byte stream, the same on disk (snapshotFile.ts) and on the wire (the chunks of
 * snapshotSender.ts): 8 magic bytes, then frames (frame.ts: length, CRC, payload). The first frame
 * is the header {index, term}, then one frame per piece of application state, then the end
 * {pieces}. Every payload starts with a kind byte.
 *
 * Why pieces: a snapshot of any size must never be one string or buffer (V8 caps a string near
 * 512 MiB, and a second copy of the state would double a node's memory). The application's codec
 * (SnapshotCodec) cuts its state into pieces of about PIECE_TARGET_BYTES and rebuilds it piece by
 * piece, checking each; so writing, reading and sending hold one piece at a time besides the state.
 */
import { configShapeProblem } from './configShape.js';
import type { ClusterConfig, Snapshot } from '../raft/types.js';
import { crc32 } from './crc32.js';
import { encodeFrame, FRAME_HEADER_BYTES, kindedJson } from './frame.js';

export const SNAPSHOT_MAGIC = Buffer.from('RAFTSNP2', 'latin1');
/** What a codec aims for per piece; one key's value may make a piece larger. */
export const PIECE_TARGET_BYTES = 1024 * 1024;
/**
 * The largest piece written or read (checked on the length field, before buffering): about the
 * longest string V8 can hold, so a piece that fits here can be parsed. Only a single huge value
 * makes a piece this large (codecs cut at PIECE_TARGET_BYTES).
 */
export const MAX_PIECE_BYTES = 512 * 1024 * 1024;

const KIND_HEADER = 0x48; // 'H'
const KIND_PIECE = 0x50; // 'P'
const KIND_END = 0x45; // 'E'

/** The application's side: its state as pieces, and back. */
export interface SnapshotCodec<D = unknown> {
  /** The state as JSON-able pieces, in order, each about PIECE_TARGET_BYTES once encoded. */
  pieces(data: D): Iterable<unknown>;
  /** Rebuilds a state from pieces; `add` throws an Error saying what is wrong with a bad piece. */
  rebuild(lastIncludedIndex: number): SnapshotBuilder<D>;
}

export interface SnapshotBuilder<D> {
  add(piece: unknown): void;
  /** The state; throws if the pieces were incomplete. */
  finish(): D;
}

/** For states that are small by nature (tests, tools): the whole state is one piece. */
export const WHOLE_VALUE_CODEC: SnapshotCodec = {
  pieces: (data) => [data],
  rebuild() {
    let value: unknown;
    let seen = false;
    return {
      add(piece) {
        if (seen) throw new Error('more than one piece');
        value = piece;
        seen = true;
      },
      finish() {
        if (!seen) throw new Error('no piece');
        return value;
      },
    };
  },
};

/** The snapshot's bytes, one frame at a time (lazily: each piece is encoded when asked for). */
export function* encodeSnapshotStream(snapshot: Snapshot, codec: SnapshotCodec): Generator<Buffer> {
  yield SNAPSHOT_MAGIC;
  const header = { index: snapshot.lastIncludedIndex, term: snapshot.lastIncludedTerm };
  // The configuration as of the snapshot (thesis §5.1); absent in snapshots made before membership changes.
  yield encodeFrame(kindedJson(KIND_HEADER, snapshot.config === undefined ? header : { ...header, config: snapshot.config }));
  let pieces = 0;
  for (const piece of codec.pieces(snapshot.data)) {
    const frame = encodeFrame(kindedJson(KIND_PIECE, piece));
    if (frame.length - FRAME_HEADER_BYTES > MAX_PIECE_BYTES) throw new Error(`snapshot piece of ${frame.length} bytes is over ${MAX_PIECE_BYTES}`);
    pieces++;
    yield frame;
  }
  yield encodeFrame(kindedJson(KIND_END, { pieces }));
}

/** A defect in a snapshot stream, at a byte offset into it. */
export class SnapshotStreamError extends Error {
  constructor(readonly offset: number, readonly reason: string) {
    super(`byte ${offset}: ${reason}`);
  }
}

/**
 * Rebuilds a snapshot from its bytes as they come, in pieces of any size. Holds at most one frame
 * besides the state being rebuilt. With `expect`, the header must name that snapshot.
 */
export class SnapshotStreamReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Stream offset of the first buffered byte. */
  private offset = 0;
  private header: { index: number; term: number; config?: ClusterConfig } | null = null;
  private builder: SnapshotBuilder<unknown> | null = null;
  private pieces = 0;
  private ended = false;

  constructor(private readonly codec: SnapshotCodec, private readonly expect: { index: number; term: number } | null = null) {}

  /** Bytes consumed so far (whole frames). */
  get position(): number {
    return this.offset;
  }

  get done(): boolean {
    return this.ended;
  }

  push(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.ended) throw new SnapshotStreamError(this.offset, 'bytes after the end of the snapshot');
    this.chunks.push(bytes);
    this.buffered += bytes.length;
    if (this.offset === 0) this.readMagic();
    if (this.offset === 0) return; // the magic is still arriving
    while (!this.ended) {
      const frame = this.nextFrame();
      if (frame === null) return;
      this.onFrame(frame);
    }
  }

  /** The whole snapshot; throws SnapshotStreamError unless the stream ended cleanly. */
  finish(): Snapshot {
    if (!this.ended || this.buffered > 0) {
      throw new SnapshotStreamError(this.offset + this.buffered, this.ended ? 'bytes after the end of the snapshot' : 'the snapshot stops before its end record');
    }
    const { index, term, config } = this.header!;
    let data: unknown;
    try {
      data = this.builder!.finish();
    } catch (error) {
      throw new SnapshotStreamError(this.offset, `the pieces do not make a whole state: ${(error as Error).message}`);
    }
    return config === undefined ? { lastIncludedIndex: index, lastIncludedTerm: term, data } : { lastIncludedIndex: index, lastIncludedTerm: term, data, config };
  }

  private readMagic(): void {
    if (this.buffered < SNAPSHOT_MAGIC.length) return;
    const magic = this.take(SNAPSHOT_MAGIC.length);
    if (!magic.equals(SNAPSHOT_MAGIC)) throw new SnapshotStreamError(0, 'not a snapshot stream (bad magic)');
  }

  private nextFrame(): Buffer | null {
    if (this.buffered < FRAME_HEADER_BYTES) return null;
    const head = this.peek(FRAME_HEADER_BYTES);
    const length = head.readUInt32LE(0);
    if (length === 0) throw new SnapshotStreamError(this.offset, 'zero record length');
    if (length > MAX_PIECE_BYTES) throw new SnapshotStreamError(this.offset, `record of ${length} bytes is over the limit of ${MAX_PIECE_BYTES}`);
    if (this.buffered < FRAME_HEADER_BYTES + length) return null;
    const at = this.offset;
    const expectedCrc = head.readUInt32LE(4);
    const body = this.take(FRAME_HEADER_BYTES + length).subarray(FRAME_HEADER_BYTES);
    if (crc32(body) !== expectedCrc) throw new SnapshotStreamError(at, 'CRC mismatch');
    return body;
  }

  private onFrame(body: Buffer): void {
    const at = this.offset - body.length - FRAME_HEADER_BYTES;
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8', 1));
    } catch {
      throw new SnapshotStreamError(at, 'record is not JSON');
    }
    const kind = body[0];
    if (this.header === null) {
      if (kind !== KIND_HEADER) throw new SnapshotStreamError(at, 'the stream does not start with a snapshot header');
      this.header = this.readHeader(value, at);
      this.builder = this.codec.rebuild(this.header.index);
      return;
    }
    if (kind === KIND_PIECE) {
      try {
        this.builder!.add(value);
      } catch (error) {
        throw new SnapshotStreamError(at, `piece ${this.pieces}: ${(error as Error).message}`);
      }
      this.pieces++;
      return;
    }
    if (kind !== KIND_END) throw new SnapshotStreamError(at, `unknown record kind ${kind}`);
    const declared = (value as { pieces?: unknown } | null)?.pieces;
    if (declared !== this.pieces) throw new SnapshotStreamError(at, `the end record counts ${JSON.stringify(declared)} pieces, ${this.pieces} came`);
    this.ended = true;
    if (this.buffered > 0) throw new SnapshotStreamError(this.offset, 'bytes after the end of the snapshot');
  }

  private readHeader(value: unknown, at: number): { index: number; term: number; config?: ClusterConfig } {
    const h = value as { index?: unknown; term?: unknown; config?: unknown } | null;
    const index = h?.index;
    const term = h?.term;
    if (typeof index !== 'number' || typeof term !== 'number' || !Number.isSafeInteger(index) || !Number.isSafeInteger(term) || index < 1 || term < 1) {
      throw new SnapshotStreamError(at, 'bad snapshot header');
    }
    if (this.expect !== null && (index !== this.expect.index || term !== this.expect.term)) {
      throw new SnapshotStreamError(at, `the stream holds snapshot ${index}/${term}, not ${this.expect.index}/${this.expect.term}`);
    }
    if (h!.config === undefined) return { index, term };
    const problem = configShapeProblem(h!.config);
    if (problem !== null) throw new SnapshotStreamError(at, `bad snapshot configuration: ${problem}`);
    return { index, term, config: h!.config as ClusterConfig };
  }

  private peek(bytes: number): Buffer {
    if (this.chunks[0]!.length < bytes) this.gather(bytes);
    return this.chunks[0]!.subarray(0, bytes);
  }

  private take(bytes: number): Buffer {
    if (this.chunks[0]!.length < bytes) this.gather(bytes);
    const first = this.chunks[0]!;
    const taken = first.subarray(0, bytes);
    if (first.length === bytes) this.chunks.shift();
    else this.chunks[0] = first.subarray(bytes);
    this.buffered -= bytes;
    this.offset += bytes;
    return taken;
  }

  /** Joins just enough leading chunks to hold `bytes` (one frame at most). */
  private gather(bytes: number): void {
    let have = 0;
    let n = 0;
    while (have < bytes) have += this.chunks[n++]!.length;
    this.chunks.splice(0, n, Buffer.concat(this.chunks.slice(0, n)));
  }
}
