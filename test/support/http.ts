/** One small HTTP call for the runtime tests: status, parsed JSON (or {}), headers and text. */
import { scaled } from './timeFactor.js';

export interface HttpAnswer {
  status: number;
  json: Record<string, unknown>;
  headers: Headers;
  text: string;
}

export interface HttpOptions {
  body?: string;
  headers?: Record<string, string>;
  /** Follow redirects (default: no, so that a test sees the 307 itself). */
  follow?: boolean;
  /** Base limit for the whole call, before the time factor. */
  timeoutMs?: number;
}

export async function http(method: string, url: string, options: HttpOptions = {}): Promise<HttpAnswer> {
  const res = await fetch(url, {
    method, redirect: options.follow === true ? 'follow' : 'manual', signal: AbortSignal.timeout(scaled(options.timeoutMs ?? 10_000)),
    ...(options.headers ? { headers: options.headers } : {}), ...(options.body === undefined ? {} : { body: options.body }),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON (metrics); callers that expect JSON check json fields
  }
  return { status: res.status, json, headers: res.headers, text };
}
