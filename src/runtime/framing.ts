/**
 * The peer wire format: each frame is a 4-byte big-endian length, then that many bytes of UTF-8
 * JSON. A peer connection opens with PEER_MAGIC (its first byte 0x00 can never start an HTTP
 * request, which is how one port can serve both; see listener.ts), then the handshake of
 * peerAuth.ts, then Raft messages.
 *
 * Why length-prefixed frames rather than HTTP keep-alive: Raft messages are one-way (a reply is
 * just another message, matched by term and index, never by the connection), so HTTP's
 * request/response pairing would only add a round trip per message, head-of-line blocking on
 * the connection, and per-message header parsing. A frame is 4 bytes of overhead, any number can
 * be in flight, and a decode error is confined to one connection that we simply drop.
 */
export const PEER_MAGIC = Buffer.from([0x00, 0x52, 0x41, 0x46, 0x54, 0x53, 0x49, 0x4d]); // \0RAFTSIM

/**
 * The largest frame an authenticated peer may send: big enough for an InstallSnapshot of a
 * sizeable store. A snapshot whose frame would be larger is not sent (known gap: no chunking yet).
 */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** The largest handshake frame: nobody unauthenticated gets to make us buffer more than this. */
export const MAX_HANDSHAKE_FRAME_BYTES = 1024;

export function encodeFrame(value: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  const frame = Buffer.allocUnsafe(4 + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, 4);
  return frame;
}

export class FrameError extends Error {}

/** One decoded frame and its size on the wire (validation bounds some messages by bytes). */
export interface DecodedFrame {
  readonly value: unknown;
  readonly bytes: number;
}

/**
 * Turns a byte stream back into values; throws FrameError on a frame over `maxFrameBytes` (checked
 * on its length prefix, before anything is buffered) or not JSON. The limit can be raised once the
 * peer is authenticated.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(public maxFrameBytes = MAX_FRAME_BYTES) {}

  /** True while part of a frame is buffered: the sender owes us the rest. */
  get partial(): boolean {
    return this.buffered > 0;
  }

  push(chunk: Buffer): unknown[] {
    this.append(chunk);
    const out: unknown[] = [];
    for (let frame = this.next(); frame !== null; frame = this.next()) out.push(frame.value);
    return out;
  }

  append(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /** The next complete frame, or null until more bytes come; one at a time, so the limit can change between frames. */
  next(): DecodedFrame | null {
    if (this.buffered < 4) return null;
    const length = this.peek(4).readUInt32BE(0);
    if (length > this.maxFrameBytes) throw new FrameError(`frame of ${length} bytes is over the limit of ${this.maxFrameBytes}`);
    if (this.buffered < 4 + length) return null;
    const frame = this.take(4 + length).subarray(4);
    try {
      return { value: JSON.parse(frame.toString('utf8')), bytes: length };
    } catch {
      throw new FrameError('frame is not JSON');
    }
  }

  private peek(bytes: number): Buffer {
    if (this.chunks[0]!.length < bytes) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!.subarray(0, bytes);
  }

  private take(bytes: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const taken = all.subarray(0, bytes);
    const rest = all.subarray(bytes);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return taken;
  }
}
