/**
 * Reading a request body with a size limit per request and a budget shared by all requests of a
 * node, so that no client, nor many together, can make a node hold unbounded data. A body still
 * arriving at the request deadline is cut off with its connection (ConnectionDeadlines).
 */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './httpError.js';
import { DEFAULT_HTTP_LIMITS, OVERLOADED_BODY } from './limits.js';

export const MAX_BODY_BYTES = DEFAULT_HTTP_LIMITS.maxBodyBytes;

/**
 * A body that says it is too big is refused at once, before any of it is read; then, up to this
 * many bytes, the rest is read and thrown away (so the client, still writing, gets the 413 rather
 * than a reset connection); past this, we hang up.
 */
const DRAIN_UP_TO_BYTES = 16 * 1024 * 1024;

/** Body bytes held at once by all requests of a node. */
export class BodyBudget {
  private held = 0;

  constructor(readonly capacity: number) {}

  get heldBytes(): number {
    return this.held;
  }

  take(bytes: number): boolean {
    if (this.held + bytes > this.capacity) return false;
    this.held += bytes;
    return true;
  }

  give(bytes: number): void {
    this.held -= bytes;
    if (this.held < 0) throw new Error(`body budget went negative (${this.held})`);
  }
}

export function readBody(req: IncomingMessage, budget: BodyBudget, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) return Promise.reject(tooLarge(limit, declared > DRAIN_UP_TO_BYTES));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let held = 0;
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      budget.give(held);
      held = 0;
      outcome();
    };
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > DRAIN_UP_TO_BYTES) return settle(() => reject(tooLarge(limit, true)));
      if (size > limit) return; // over the limit: read on to the end, keep nothing more
      if (!budget.take(chunk.length)) return settle(() => reject(overloaded()));
      held += chunk.length;
      chunks.push(chunk);
    });
    req.on('end', () => settle(() => {
      if (size > limit) reject(tooLarge(limit, false));
      else resolve(Buffer.concat(chunks));
    }));
    req.on('error', (error) => settle(() => reject(new HttpError(400, 'bad-body', `could not read the body: ${error.message}`))));
    // Cut off (deadline, client gone): nobody will answer, but the budget must come back.
    req.on('close', () => settle(() => reject(new HttpError(400, 'bad-body', 'the connection closed before the body was complete'))));
  });
}

function tooLarge(limit: number, hangUp: boolean): HttpError {
  return new HttpError(413, 'body-too-large', `the body is over ${limit} bytes`, hangUp ? { Connection: 'close' } : {});
}

function overloaded(): HttpError {
  return new HttpError(503, OVERLOADED_BODY.error, OVERLOADED_BODY.message, { Connection: 'close', 'Retry-After': '1' });
}

/** The body as JSON, or a 400 naming the problem. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'bad-json', 'the body is not valid JSON');
  }
}
