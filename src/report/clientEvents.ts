/**
 * Client time-outs and retries, read out of a simulator run's trace (src/sim/clientLinks.ts): a
 * `timeout` record is the end of one attempt, and the client retries at once unless a `give-up`
 * for the same client follows at the same time. Each is tied to its operation by walking the
 * client's `call` records in order alongside its operations in the history (one outstanding
 * operation per client); a call whose operation left the history (a session that expired before
 * it was applied) owns its time-outs, which are then not drawn.
 */
import type { Operation } from '../checker/index.js';
import type { TraceRecord } from '../sim/trace.js';
import type { ClientTimeout } from './types.js';

interface Outstanding {
  /** Index in the history, or null for a call that was taken out of it. */
  readonly operation: number | null;
  attempt: number;
  /** The node the current attempt went to, when known. */
  node: string | undefined;
  seq: number | undefined;
  /** Where its last time-out is in the result, to turn into a give-up. */
  lastTimeout: number;
}

export function clientTimeoutsFromTrace(trace: readonly TraceRecord[], operations: readonly Operation[]): ClientTimeout[] {
  const queues = new Map<number, number[]>();
  operations.forEach((op, index) => push(queues, op.client, index));
  const next = new Map<number, number>();
  const current = new Map<number, Outstanding>();
  const timeouts: ClientTimeout[] = [];
  for (const record of trace) {
    const client = Number(record.client);
    if (record.ev === 'call') {
      const queue = queues.get(client) ?? [];
      const position = next.get(client) ?? 0;
      const candidate = queue[position];
      const kept = candidate !== undefined && operations[candidate]!.call === Number(record.t);
      if (kept) next.set(client, position + 1);
      current.set(client, {
        operation: kept ? candidate : null, attempt: 1, lastTimeout: -1,
        node: nodeName(record.node), seq: typeof record.seq === 'number' ? record.seq : undefined,
      });
    } else if (record.ev === 'timeout') {
      const open = current.get(client);
      if (!open) continue;
      // A trace that names the attempt's target and seq (newer runs) is believed over the call's.
      const node = nodeName(record.node) ?? open.node;
      const seq = typeof record.seq === 'number' ? record.seq : open.seq;
      if (open.operation !== null) {
        open.lastTimeout = timeouts.length;
        timeouts.push({ operation: open.operation, t: Number(record.t), attempt: open.attempt, then: 'retry',
          ...(seq === undefined ? {} : { seq }), ...(node === undefined ? {} : { node }) });
      }
      open.attempt++;
      // The retry's target is chosen by the client and not traced: unknown until said otherwise.
      open.node = undefined;
    } else if (record.ev === 'give-up') {
      const open = current.get(client);
      if (open && open.lastTimeout >= 0 && timeouts[open.lastTimeout]!.t === Number(record.t)) {
        timeouts[open.lastTimeout] = { ...timeouts[open.lastTimeout]!, then: 'give-up' };
      }
      current.delete(client);
    } else if (record.ev === 'return' || record.ev === 'session-expired') {
      current.delete(client);
    }
  }
  return timeouts;
}

function nodeName(node: unknown): string | undefined {
  return typeof node === 'number' ? `n${node}` : undefined;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
