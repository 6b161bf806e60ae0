/**
 * The bounds a node puts on its HTTP clients, so that no client (slow, stuck or many) can hold a
 * node's sockets or memory: every deadline closes the connection, every cap answers 503 overloaded.
 */
export interface HttpLimits {
  /** From a request's first byte until its headers are complete. */
  readonly headersTimeoutMs: number;
  /** From a request's first byte until its whole body has arrived. */
  readonly requestTimeoutMs: number;
  /** A keep-alive connection with no request in progress is closed after this long. */
  readonly keepAliveTimeoutMs: number;
  /** HTTP connections open at once; past it a new one gets 503 overloaded and is closed. */
  readonly maxConnections: number;
  /** One request body; past it 413. */
  readonly maxBodyBytes: number;
  /** Request body bytes buffered at once across all connections; past it 503 overloaded. */
  readonly maxBufferedBodyBytes: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1024,
  maxBodyBytes: 1024 * 1024,
  maxBufferedBodyBytes: 64 * 1024 * 1024,
};

/** The limits with `overrides` applied; throws naming the first one that is not a positive integer. */
export function httpLimits(overrides: Partial<HttpLimits> = {}): HttpLimits {
  const limits = { ...DEFAULT_HTTP_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`HTTP limit ${name} must be a positive integer, got ${String(value)}`);
  }
  return limits;
}

/** The one answer for "too much at once": not applied, safe to retry (with the same client id and seq). */
export const OVERLOADED_BODY = {
  error: 'overloaded', outcome: 'not-applied',
  message: 'this node is overloaded and did not take the request; it was not applied: retry shortly (with the same X-Client-Id and X-Seq if you sent them)',
};

/** A complete raw 503 overloaded response that closes the connection, for sockets the HTTP server never sees. */
export function rawOverloadedResponse(): string {
  const body = `${JSON.stringify(OVERLOADED_BODY)}\n`;
  return `HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n${body}`;
}
