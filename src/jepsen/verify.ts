/**
 * The lost-write check: every acknowledged write must still be visible in the final value of its
 * key (read through the leader after the heal), unless a later write may have replaced it. This
 * is a second, direct check next to linearizability (which catches the same losses once the final
 * reads are in the history), and it names the lost write plainly.
 *
 * "May come later": W may be linearized after A unless W returned before A was called; an
 * operation whose outcome is unknown may come at any time after its call.
 */
import type { KvOperation, KvOutput } from '../kv/types.js';

export interface CheckedOperation {
  readonly call: number;
  readonly return: number | null;
  readonly input: KvOperation;
  readonly output: KvOutput | null;
}

export interface LostWrite {
  /** Index in the operations. */
  readonly operation: number;
  readonly key: string;
  readonly message: string;
}

export interface LostWriteReport {
  readonly lost: LostWrite[];
  /** Acknowledged writes that the check could vouch for (nothing could have replaced them). */
  readonly verified: number;
  /** Acknowledged writes that a later write may have replaced, so the final value says nothing. */
  readonly superseded: number;
}

export function findLostWrites(operations: readonly CheckedOperation[], finalValues: ReadonlyMap<string, string | null>): LostWriteReport {
  const byKey = new Map<string, number[]>();
  operations.forEach((op, index) => {
    const list = byKey.get(op.input.key) ?? [];
    list.push(index);
    byKey.set(op.input.key, list);
  });
  const lost: LostWrite[] = [];
  let verified = 0;
  let superseded = 0;
  operations.forEach((op, index) => {
    if (!acknowledgedWrite(op) || !finalValues.has(op.input.key)) return;
    const final = finalValues.get(op.input.key) ?? null;
    const { input } = op;
    // An append survives other appends; anything else is replaced by any later write.
    const replaces = (w: CheckedOperation): boolean => input.f === 'append' ? w.input.f !== 'append' && w.input.f !== 'get' : w.input.f !== 'get';
    const later = byKey.get(input.key)!.some((j) => {
      if (j === index) return false;
      const w = operations[j]!;
      // An indeterminate write (output null) may take effect any time after its call (Jepsen's :info).
      return replaces(w) && mayTakeEffect(w) && (w.return === null || w.output === null || w.return >= op.call);
    });
    if (later) {
      superseded++;
      return;
    }
    verified++;
    const shown = (v: string | null): string => (v === null ? 'absent' : JSON.stringify(v.length > 120 ? `${v.slice(0, 60)}…${v.slice(-60)}` : v));
    if (input.f === 'append') {
      if (final === null || !final.includes(input.value)) {
        lost.push({ operation: index, key: input.key, message: `acknowledged append ${JSON.stringify(input.value)} to ${input.key} (at ${op.call}–${op.return}) is missing from the final value ${shown(final)}` });
      }
      return;
    }
    const expected = input.f === 'delete' ? null : (input as { value: string }).value;
    if (final !== expected) {
      const what = input.f === 'delete' ? `delete of ${input.key}` : `${input.f} ${input.key}=${JSON.stringify(expected)}`;
      lost.push({ operation: index, key: input.key, message: `acknowledged ${what} (at ${op.call}–${op.return}) was the last write, but the final value is ${shown(final)}` });
    }
  });
  return { lost, verified, superseded };
}

function acknowledgedWrite(op: CheckedOperation): boolean {
  if (op.output === null || op.return === null || op.input.f === 'get') return false;
  return op.input.f !== 'cas' || (op.output as { ok?: boolean }).ok === true;
}

/** Could this operation have changed its key? (A cas that answered "no match" did not.) */
function mayTakeEffect(op: CheckedOperation): boolean {
  if (op.input.f === 'get') return false;
  if (op.input.f === 'cas') return op.output === null || (op.output as { ok?: boolean }).ok === true;
  return true;
}
