/** Random inputs, outputs and histories for the checker's property tests (seeded, see prng.ts). */
import type { Operation } from '../../src/checker/index.js';
import type { Prng } from './prng.js';

export type Op = Operation<Record<string, unknown> & { f: string }, Record<string, unknown>>;

export function randomRegisterInput(prng: Prng): Op['input'] {
  const value = (): number => prng.rangeInclusive(0, 2);
  return prng.pick([() => ({ f: 'read' }), () => ({ f: 'write', value: value() }),
    () => ({ f: 'cas', from: value(), to: value() })])();
}

export function randomRegisterOutput(prng: Prng, input: Op['input']): Record<string, unknown> {
  if (input.f === 'read') return { value: prng.pick([null, 0, 1, 2]) };
  return input.f === 'cas' ? { ok: prng.chance(1, 2) } : {};
}

/** raftsim-kv: every operation, two keys. */
export function randomKvInput(prng: Prng): Op['input'] {
  const key = prng.pick(['a', 'b']);
  const value = (): string => prng.pick(['x', 'y']);
  return prng.pick([() => ({ f: 'get', key }), () => ({ f: 'put', key, value: value() }),
    () => ({ f: 'append', key, value: value() }), () => ({ f: 'delete', key }),
    () => ({ f: 'cas', key, expected: prng.pick([null, 'x', 'y']), value: value() })])();
}

export function randomKvOutput(prng: Prng, input: Op['input']): Record<string, unknown> {
  if (input.f === 'get') return { value: prng.pick([null, '', 'x', 'y', 'xy', 'yx']) };
  return input.f === 'cas' ? { ok: prng.chance(1, 2) } : {};
}

/** The `kv` model (Porcupine's): get, put, append on two keys, values never null. */
export function randomPlainKvInput(prng: Prng): Op['input'] {
  const key = prng.pick(['a', 'b']);
  const value = (): string => prng.pick(['x', 'y']);
  return prng.pick([() => ({ f: 'get', key }), () => ({ f: 'put', key, value: value() }),
    () => ({ f: 'append', key, value: value() })])();
}

export function randomPlainKvOutput(prng: Prng, input: Op['input']): Record<string, unknown> {
  return input.f === 'get' ? { value: prng.pick(['', 'x', 'y', 'xy', 'yx', 'xx']) } : {};
}

/** Values long enough that appends make strings the checker stops interning (over 64 chars). */
export const LONG = ['x'.repeat(40), 'y'.repeat(40)];

export function randomLongKvInput(prng: Prng): Op['input'] {
  const value = (): string => prng.pick(LONG);
  return prng.pick([() => ({ f: 'get', key: 'k' }), () => ({ f: 'append', key: 'k', value: value() }),
    () => ({ f: 'append', key: 'k', value: value() }), () => ({ f: 'put', key: 'k', value: value() })])();
}

export function randomLongKvOutput(prng: Prng, input: Op['input']): Record<string, unknown> {
  if (input.f !== 'get') return {};
  const parts = Array.from({ length: prng.rangeInclusive(0, 3) }, () => prng.pick(LONG));
  return { value: prng.chance(1, 8) ? null : parts.join('') };
}

export interface HistoryShape {
  readonly maxOps?: number;
  readonly clients?: number;
  /** Chance [numerator, denominator] that an operation that returned has output null. */
  readonly timedOut?: readonly [number, number];
}

/**
 * Up to maxOps (7) operations by up to `clients` (3) clients, each client one at a time, on a
 * small time range. An operation may never return (1 in 8; output then mostly null) or return
 * with output null (`timedOut`, default 1 in 7: its return is kept, as a client time-out records it).
 */
export function randomHistory(
  prng: Prng,
  randomInput: (prng: Prng) => Op['input'],
  randomOutput: (prng: Prng, input: Op['input']) => Record<string, unknown>,
  shape: HistoryShape = {},
): Op[] {
  const { maxOps = 7, clients = 3, timedOut = [1, 7] } = shape;
  const ops: Op[] = [];
  const free = new Array<number>(clients).fill(0);
  const count = prng.rangeInclusive(1, maxOps);
  for (let i = 0; i < count; i++) {
    const client = prng.rangeInclusive(0, clients - 1);
    if (free[client] === Infinity) continue;
    const call = free[client]! + prng.rangeInclusive(0, 3);
    const neverReturns = prng.chance(1, 8);
    const returned = neverReturns ? null : call + prng.rangeInclusive(0, 4);
    const input = randomInput(prng);
    const unknown = neverReturns ? !prng.chance(1, 5) : prng.chance(...timedOut);
    ops.push({ client, call, return: returned, input, output: unknown ? null : randomOutput(prng, input) });
    free[client] = returned === null ? Infinity : returned;
  }
  return ops;
}
