/**
 * The KV payloads inside peer messages, checked field by field and rebuilt: a log entry's command
 * (null for a leader's no-op, or a KvCommand) and the parts of a snapshot's KV state (pieces of
 * kvSnapshotCodec.ts). Anything else would reach the state machine, which treats a malformed
 * committed entry as fatal.
 */
import type { KvCommand, KvOperation } from '../kv/types.js';
import { count, fail, flag, record, text } from '../storage/fieldChecks.js';

// The checks live with the snapshot codec (src/storage), which needs them without the runtime.
export { count, entryPairFrom, fail, flag, InvalidFieldError as InvalidPeerMessage, record, sessionFrom } from '../storage/fieldChecks.js';

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

