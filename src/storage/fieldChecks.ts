/**
 * Field-by-field checks of values that come from outside (a file, the wire) before they become
 * KV state: the pieces of a KV snapshot (kvSnapshotCodec.ts) and, in the runtime, peer messages
 * (src/runtime/peerCommands.ts). A failed check throws InvalidFieldError saying what is wrong.
 */
import type { KvOutput, KvSessionEntry } from '../kv/types.js';

export class InvalidFieldError extends Error {}

export function fail(message: string): never {
  throw new InvalidFieldError(message);
}

export function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${what} is not an object`);
  return value as Record<string, unknown>;
}

/** A safe integer in [0, max]. */
export function count(value: unknown, what: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max) {
    fail(`${what} must be an integer from 0 to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function text(value: unknown, what: string): string {
  if (typeof value !== 'string') fail(`${what} must be a string`);
  return value;
}

export function flag(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') fail(`${what} must be a boolean`);
  return value as boolean;
}

/** One [key, value] pair of a snapshot's KV state. */
export function entryPairFrom(pair: unknown, what: string): [string, string] {
  if (!Array.isArray(pair) || pair.length !== 2) fail(`${what} is not a [key, value] pair`);
  return [text(pair[0], `${what} key`), text(pair[1], `${what} value`)];
}

/** One session of a snapshot, as the KV's restore requires it (src/kv/sessions.ts): seq of at least 1, the last activity. */
export function sessionFrom(item: unknown, what: string): KvSessionEntry {
  if (!Array.isArray(item) || item.length !== 4) fail(`${what} is not a [clientId, seq, output, lastActiveMs] entry`);
  const clientId = count(item[0], `${what} clientId`);
  const seq = count(item[1], `${what} seq`);
  if (seq < 1) fail(`${what} seq must be at least 1`);
  const output = item[2] === null ? null : outputFrom(item[2], `${what} output`);
  return [clientId, seq, output, count(item[3], `${what} lastActiveMs`)];
}

function outputFrom(value: unknown, what: string): KvOutput {
  const out = record(value, what);
  const keys = Object.keys(out);
  if (keys.length === 0) return {};
  if (keys.length === 1 && keys[0] === 'ok' && typeof out.ok === 'boolean') return { ok: out.ok };
  if (keys.length === 1 && keys[0] === 'value' && (out.value === null || typeof out.value === 'string')) return { value: out.value as string | null };
  return fail(`${what} must be {}, {ok: boolean} or {value: string | null}`);
}
