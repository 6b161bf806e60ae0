/**
 * Who is asking, for exactly-once: a client id and a sequence number, from the headers
 * `X-Client-Id` and `X-Seq` or the query parameters `client` and `seq` (the redirect to the leader
 * carries them in the query, so that `curl -L` keeps them). A client that retries sends the same
 * pair; a request without them gets a one-shot id from the server, so it is applied at most once
 * per HTTP request (and its answer says which id and seq to retry with).
 */
import type { IncomingMessage } from 'node:http';
import { randomInt } from 'node:crypto';
import { HttpError } from './httpError.js';

export interface ClientIdentity {
  readonly clientId: number;
  readonly seq: number;
  /** False when the server made up a one-shot id. */
  readonly supplied: boolean;
}

const POSITIVE = /^[1-9][0-9]{0,15}$/;

/** One-shot ids live above 2^48; pick client ids below that to never collide with them. */
export const ONE_SHOT_ID_BASE = 2 ** 48;

export function clientIdentity(req: IncomingMessage, query: URLSearchParams): ClientIdentity {
  const clientId = pick(req, query, 'x-client-id', 'client');
  const seq = pick(req, query, 'x-seq', 'seq');
  if (clientId === null && seq === null) {
    return { clientId: ONE_SHOT_ID_BASE + randomInt(0, 2 ** 47), seq: 1, supplied: false };
  }
  if (clientId === null || seq === null) {
    throw new HttpError(400, 'bad-client-id', 'send both X-Client-Id and X-Seq, or neither');
  }
  return { clientId, seq, supplied: true };
}

function pick(req: IncomingMessage, query: URLSearchParams, header: string, param: string): number | null {
  const fromHeader = req.headers[header];
  const fromQuery = query.getAll(param);
  if (Array.isArray(fromHeader) || fromQuery.length > 1) throw new HttpError(400, 'bad-client-id', `${param} is given more than once`);
  const values = [fromHeader, fromQuery[0]].filter((v): v is string => v !== undefined);
  if (values.length === 0) return null;
  if (values.length === 2 && values[0] !== values[1]) {
    throw new HttpError(400, 'bad-client-id', `header ${header} and query ${param} disagree`);
  }
  const text = values[0]!.trim();
  const value = Number(text);
  if (!POSITIVE.test(text) || !Number.isSafeInteger(value)) {
    throw new HttpError(400, 'bad-client-id', `${header} must be a positive integer below 2^53, got ${JSON.stringify(text.slice(0, 40))}`);
  }
  return value;
}
