/**
 * The KV payloads inside peer messages, checked field by field and rebuilt: a log entry's command
 * (null for a leader's no-op, or a KvCommand) and an InstallSnapshot's KV state. Anything else
 * would reach the state machine, which treats a malformed committed entry as fatal.
 */
import type { KvCommand, KvOperation, KvOutput, KvSessionEntry, KvSnapshotData } from '../kv/types.js';

export class InvalidPeerMessage extends Error {}

export function fail(message: string): never {
  throw new InvalidPeerMessage(message);
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

function text(value: unknown, what: string): string {
  if (typeof value !== 'string') fail(`${what} must be a string`);
  return value;
}

export function commandFrom(value: unknown, what: string): KvCommand | null {
  if (value === null) return null;
  const c = record(value, what);
  const command: { -readonly [K in keyof KvCommand]: KvCommand[K] } = {
    clientId: count(c.clientId, `${what}.clientId`), seq: count(c.seq, `${what}.seq`), op: operationFrom(c.op, `${what}.op`),
  };
  // The session fields the KV replicates (bounded sessions): the leader's stamp, and two flags.
  if (c.timeMs !== undefined) command.timeMs = count(c.timeMs, `${what}.timeMs`);
  if (c.oneShot !== undefined) command.oneShot = flag(c.oneShot, `${what}.oneShot`);
  if (c.retried !== undefined) command.retried = flag(c.retried, `${what}.retried`);
  return command;
}

function flag(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') fail(`${what} must be a boolean`);
  return value as boolean;
}

function operationFrom(value: unknown, what: string): KvOperation {
  const op = record(value, what);
  const key = text(op.key, `${what}.key`);
  switch (op.f) {
    case 'get': return { f: 'get', key };
    case 'delete': return { f: 'delete', key };
    case 'put': return { f: 'put', key, value: text(op.value, `${what}.value`) };
    case 'append': return { f: 'append', key, value: text(op.value, `${what}.value`) };
    case 'cas': {
      const expected = op.expected === null ? null : text(op.expected, `${what}.expected`);
      return { f: 'cas', key, expected, value: text(op.value, `${what}.value`) };
    }
    default: return fail(`${what}.f must be get, put, append, delete or cas`);
  }
}

export function snapshotDataFrom(value: unknown, lastIncludedIndex: number): KvSnapshotData {
  const data = record(value, 'snapshot.data');
  if (data.lastAppliedIndex !== lastIncludedIndex) fail('snapshot.data.lastAppliedIndex must equal snapshot.lastIncludedIndex');
  if (!Array.isArray(data.entries)) fail('snapshot.data.entries is not an array');
  if (!Array.isArray(data.sessions)) fail('snapshot.data.sessions is not an array');
  const keys = new Set<string>();
  const entries = (data.entries as unknown[]).map((pair, i): [string, string] => {
    if (!Array.isArray(pair) || pair.length !== 2) fail(`snapshot.data.entries[${i}] is not a [key, value] pair`);
    const key = text(pair[0], `snapshot.data.entries[${i}] key`);
    if (keys.has(key)) fail(`snapshot.data.entries repeats a key`);
    keys.add(key);
    return [key, text(pair[1], `snapshot.data.entries[${i}] value`)];
  });
  const clients = new Set<number>();
  const sessions = (data.sessions as unknown[]).map((item, i): KvSessionEntry => {
    // As the KV's restore requires (src/kv/sessions.ts): a seq of at least 1 and the last activity.
    if (!Array.isArray(item) || item.length !== 4) fail(`snapshot.data.sessions[${i}] is not a [clientId, seq, output, lastActiveMs] entry`);
    const clientId = count(item[0], `snapshot.data.sessions[${i}] clientId`);
    if (clients.has(clientId)) fail('snapshot.data.sessions repeats a client');
    clients.add(clientId);
    const output = item[2] === null ? null : outputFrom(item[2], `snapshot.data.sessions[${i}] output`);
    const seq = count(item[1], `snapshot.data.sessions[${i}] seq`);
    if (seq < 1) fail(`snapshot.data.sessions[${i}] seq must be at least 1`);
    return [clientId, seq, output, count(item[3], `snapshot.data.sessions[${i}] lastActiveMs`)];
  });
  const result: { -readonly [K in keyof KvSnapshotData]: KvSnapshotData[K] } = { lastAppliedIndex: lastIncludedIndex, entries, sessions };
  if (data.clockMs !== undefined) result.clockMs = count(data.clockMs, 'snapshot.data.clockMs');
  if (data.sessionsDropped !== undefined) result.sessionsDropped = flag(data.sessionsDropped, 'snapshot.data.sessionsDropped');
  return result;
}

function outputFrom(value: unknown, what: string): KvOutput {
  const out = record(value, what);
  const keys = Object.keys(out);
  if (keys.length === 0) return {};
  if (keys.length === 1 && keys[0] === 'ok' && typeof out.ok === 'boolean') return { ok: out.ok };
  if (keys.length === 1 && keys[0] === 'value' && (out.value === null || typeof out.value === 'string')) return { value: out.value as string | null };
  return fail(`${what} must be {}, {ok: boolean} or {value: string | null}`);
}
