/**
 * Record framing shared by WAL segments and snapshot files: [length u32 LE][crc32 u32 LE][payload].
 * The CRC covers the payload. A zero length is never written (every payload starts with a kind
 * byte), so a run of zero bytes, as a crash can leave in a file, never reads as a record.
 */
import { crc32 } from './crc32.js';

export const FRAME_HEADER_BYTES = 8;

export function encodeFrame(payload: Uint8Array): Buffer {
  if (payload.length === 0) throw new Error('frame: empty payload');
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt32LE(crc32(payload), 4);
  frame.set(payload, FRAME_HEADER_BYTES);
  return frame;
}

export type FrameRead =
  | { readonly ok: true; readonly payload: Buffer; readonly end: number }
  | { readonly ok: false; readonly reason: string };

/** Reads the frame starting at `offset` (which must be < buf.length). */
export function readFrame(buf: Buffer, offset: number): FrameRead {
  if (buf.length - offset < FRAME_HEADER_BYTES) return { ok: false, reason: 'short record header' };
  const length = buf.readUInt32LE(offset);
  if (length === 0) return { ok: false, reason: 'zero record length' };
  const end = offset + FRAME_HEADER_BYTES + length;
  if (end > buf.length) return { ok: false, reason: `record of ${length} bytes runs past the end of the file` };
  const payload = buf.subarray(offset + FRAME_HEADER_BYTES, end);
  if (crc32(payload) !== buf.readUInt32LE(offset + 4)) return { ok: false, reason: 'CRC mismatch' };
  return { ok: true, payload, end };
}

/**
 * Whether any intact frame starts strictly after `offset`. Used to tell a torn tail (nothing valid
 * follows the damage) from a damaged record in the middle whose length field may itself be wrong.
 */
export function intactFrameAfter(buf: Buffer, offset: number, isPlausible: (payload: Buffer) => boolean): number | null {
  for (let p = offset + 1; p + FRAME_HEADER_BYTES < buf.length; p++) {
    const length = buf.readUInt32LE(p);
    // Cheap rejections first: most byte positions hold a length that cannot fit in the file.
    if (length === 0 || p + FRAME_HEADER_BYTES + length > buf.length) continue;
    const frame = readFrame(buf, p);
    if (frame.ok && isPlausible(frame.payload)) return p;
  }
  return null;
}

/** A record payload: one kind byte, then the value as UTF-8 JSON (WAL records and snapshot records). */
export function kindedJson(kind: number, value: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(value), 'utf8');
  const payload = Buffer.allocUnsafe(1 + json.length);
  payload[0] = kind;
  json.copy(payload, 1);
  return payload;
}
