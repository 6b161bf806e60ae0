/** Reading a request body with a size limit, so that no client can make a node hold unbounded data. */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './httpError.js';

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * A body somewhat over the limit is read to its end and thrown away before the 413, so the client
 * (still writing) gets the answer rather than a reset connection; past this, we hang up at once.
 */
const DRAIN_UP_TO_BYTES = 16 * 1024 * 1024;

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > DRAIN_UP_TO_BYTES) return Promise.reject(tooLarge(limit, true));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > DRAIN_UP_TO_BYTES) {
        settled = true;
        reject(tooLarge(limit, true));
      } else if (size <= limit) {
        chunks.push(chunk);
      }
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      if (size > limit) reject(tooLarge(limit, false));
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      if (settled) return;
      settled = true;
      reject(new HttpError(400, 'bad-body', `could not read the body: ${error.message}`));
    });
  });
}

function tooLarge(limit: number, hangUp: boolean): HttpError {
  return new HttpError(413, 'body-too-large', `the body is over ${limit} bytes`, hangUp ? { Connection: 'close' } : {});
}

/** The body as JSON, or a 400 naming the problem. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'bad-json', 'the body is not valid JSON');
  }
}
