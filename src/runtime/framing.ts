/**
 * The peer wire format: each frame is a 4-byte big-endian length, then that many bytes of UTF-8
 * JSON. A peer connection opens with PEER_MAGIC (its first byte 0x00 can never start an HTTP
 * request, which is how one port serves both; see listener.ts), then a hello frame naming the
 * sender, then Raft messages.
 *
 * Why length-prefixed frames rather than HTTP keep-alive: Raft messages are one-way (a reply is
 * just another message, matched by term and index, never by the connection), so HTTP's
 * request/response pairing would only add a round trip per message, head-of-line blocking on
 * the connection, and per-message header parsing. A frame is 4 bytes of overhead, any number can
 * be in flight, and a decode error is confined to one connection that we simply drop.
 */
export const PEER_MAGIC = Buffer.from([0x00, 0x52, 0x41, 0x46, 0x54, 0x53, 0x49, 0x4d]); // \0RAFTSIM

/** Big enough for an InstallSnapshot of a sizeable store; anything larger is a broken peer. */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;

export function encodeFrame(value: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  const frame = Buffer.allocUnsafe(4 + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, 4);
  return frame;
}

export class FrameError extends Error {}

/** Turns a byte stream back into values; throws FrameError on a frame that is too big or not JSON. */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  push(chunk: Buffer): unknown[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: unknown[] = [];
    for (;;) {
      if (this.buffered < 4) return out;
      const head = this.peek(4);
      const length = head.readUInt32BE(0);
      if (length > MAX_FRAME_BYTES) throw new FrameError(`frame of ${length} bytes is over the limit`);
      if (this.buffered < 4 + length) return out;
      const frame = this.take(4 + length).subarray(4);
      try {
        out.push(JSON.parse(frame.toString('utf8')));
      } catch {
        throw new FrameError('frame is not JSON');
      }
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
