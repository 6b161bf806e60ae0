/**
 * Whether a committed entry's command is one this store can carry out. The log is replicated
 * input from outside (a forged or corrupted AppendEntries can commit anything), so the state
 * machine checks the shape before touching a field, and a bad one becomes the same
 * `malformed-command` result on every replica instead of a crash on each of them.
 */
import type { KvCommand } from './types.js';

const OPS = new Set(['get', 'put', 'append', 'delete', 'cas']);

export function isKvCommand(value: unknown): value is KvCommand {
  if (!isRecord(value)) return false;
  const { clientId, seq, op, timeMs, oneShot, retried } = value;
  if (!Number.isSafeInteger(clientId) || !Number.isSafeInteger(seq) || (seq as number) < 1) return false;
  if (timeMs !== undefined && !(typeof timeMs === 'number' && Number.isFinite(timeMs))) return false;
  if (oneShot !== undefined && typeof oneShot !== 'boolean') return false;
  if (retried !== undefined && typeof retried !== 'boolean') return false;
  return isOperation(op);
}

function isOperation(op: unknown): boolean {
  if (!isRecord(op) || typeof op.f !== 'string' || !OPS.has(op.f) || typeof op.key !== 'string') return false;
  switch (op.f) {
    case 'get':
    case 'delete':
      return true;
    case 'put':
    case 'append':
      return typeof op.value === 'string';
    default:
      return (op.expected === null || typeof op.expected === 'string') && typeof op.value === 'string';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
