/** Reading a request body with a size limit, so that no client can make a node hold unbounded data. */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './httpError.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) => reject(new HttpError(400, 'bad-body', `could not read the body: ${error.message}`)));
  });
}

function tooLarge(limit: number): HttpError {
  // Close the connection: the rest of an oversized body is not worth reading.
  return new HttpError(413, 'body-too-large', `the body is over ${limit} bytes`, { Connection: 'close' });
}

/** The body as JSON, or a 400 naming the problem. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'bad-json', 'the body is not valid JSON');
  }
}
