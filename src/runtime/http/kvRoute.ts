/**
 * The KV part of the HTTP API: which operation a method and path name, and the operation built
 * from the body. Everything a client sends is checked here, before it can reach the node.
 *
 *   GET    /kv/{key}          get
 *   PUT    /kv/{key}          put     body: the value (raw), or JSON {"value": "..."}
 *   DELETE /kv/{key}          delete
 *   POST   /kv/{key}/append   append  body: as for put
 *   POST   /kv/{key}/cas      cas     body: JSON {"expected": "..." | null, "value": "..."}
 */
import type { KvOperation } from '../../kv/types.js';
import { parseJson } from './body.js';
import { HttpError } from './httpError.js';

export const MAX_KEY_BYTES = 1024;

export type KvVerb = KvOperation['f'];

export interface KvRoute {
  readonly verb: KvVerb;
  readonly key: string;
}

const METHODS: Record<'' | 'append' | 'cas', Partial<Record<string, KvVerb>>> = {
  '': { GET: 'get', PUT: 'put', DELETE: 'delete' },
  append: { POST: 'append' },
  cas: { POST: 'cas' },
};

/** `segments` are the raw (still encoded) path segments after `/kv/`. Null: not a KV path. */
export function kvRoute(method: string, segments: readonly string[]): KvRoute | null {
  if (segments.length < 1 || segments.length > 2) return null;
  const action = segments[1] ?? '';
  if (action !== '' && action !== 'append' && action !== 'cas') return null;
  const allowed = METHODS[action];
  const verb = allowed[method];
  if (verb === undefined) {
    const allow = Object.keys(allowed).join(', ');
    throw new HttpError(405, 'method-not-allowed', `${method} is not allowed here; use ${allow}`, { Allow: allow });
  }
  return { verb, key: decodeKey(segments[0]!) };
}

function decodeKey(raw: string): string {
  let key: string;
  try {
    key = decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, 'bad-key', 'the key is not valid percent-encoding');
  }
  if (key === '') throw new HttpError(400, 'bad-key', 'the key is empty');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw new HttpError(400, 'key-too-long', `the key is over ${MAX_KEY_BYTES} bytes`);
  return key;
}

/** The operation, from the route and the request body. */
export function kvOperation(route: KvRoute, body: Buffer, contentType: string | undefined): KvOperation {
  const { verb, key } = route;
  switch (verb) {
    case 'get':
    case 'delete':
      return { f: verb, key };
    case 'put':
    case 'append':
      return { f: verb, key, value: valueOf(body, contentType) };
    case 'cas':
      return casOf(key, parseJson(body));
  }
}

function valueOf(body: Buffer, contentType: string | undefined): string {
  if (contentType !== undefined && /^application\/json\b/i.test(contentType)) {
    const json = parseJson(body) as { value?: unknown } | null;
    if (typeof json !== 'object' || json === null || typeof json.value !== 'string') {
      throw new HttpError(400, 'bad-value', 'a JSON body must be {"value": "<string>"}');
    }
    return json.value;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new HttpError(400, 'bad-value', 'the value is not valid UTF-8');
  }
}

function casOf(key: string, json: unknown): KvOperation {
  const body = json as { expected?: unknown; value?: unknown } | null;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('expected' in body)) {
    throw new HttpError(400, 'bad-cas', 'cas needs a JSON body {"expected": "<string>" | null, "value": "<string>"}');
  }
  if (body.expected !== null && typeof body.expected !== 'string') throw new HttpError(400, 'bad-cas', '"expected" must be a string or null');
  if (typeof body.value !== 'string') throw new HttpError(400, 'bad-cas', '"value" must be a string');
  return { f: 'cas', key, expected: body.expected, value: body.value };
}
