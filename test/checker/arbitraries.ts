/**
 * fast-check arbitraries for the checker's property tests: one operation's input and output, and
 * histories of them. Every choice shrinks towards the simplest history: fewer operations, calls
 * at time 0, zero-length intervals, every operation returned with a known output.
 */
import fc from 'fast-check';
import type { Operation } from '../../src/checker/index.js';

export type Input = Record<string, unknown> & { f: string };
export type Op = Operation<Input, Record<string, unknown>>;

/** An operation's input and the output it reported. */
export interface Call {
  readonly input: Input;
  readonly output: Record<string, unknown>;
}

/** True with probability n/d; shrinks to false. */
export function chance(n: number, d: number): fc.Arbitrary<boolean> {
  return fc.integer({ min: 0, max: d - 1 }).map((x) => x >= d - n);
}

/** register: read, write and cas over `values` (reads may also see null, the absent register). */
export function registerCalls(values: readonly number[] = [0, 1, 2]): fc.Arbitrary<Call> {
  const value = fc.constantFrom(...values);
  return fc.oneof(
    fc.record({ input: fc.constant({ f: 'read' }), output: fc.record({ value: fc.constantFrom(null, ...values) }) }),
    fc.record({ input: fc.record({ f: fc.constant('write'), value }), output: fc.constant({}) }),
    fc.record({ input: fc.record({ f: fc.constant('cas'), from: value, to: value }), output: fc.record({ ok: fc.boolean() }) }),
  );
}

export interface KvDomain {
  /** Operations to draw from; repeat one to draw it more often. */
  readonly fs: readonly ('get' | 'put' | 'append' | 'delete' | 'cas')[];
  readonly keys: readonly string[];
  /** Values written by put, append and cas. */
  readonly values: fc.Arbitrary<string>;
  /** Values a get reports (null only for raftsim-kv: the key is absent). */
  readonly reads: fc.Arbitrary<string | null>;
  /** A cas's expected value (raftsim-kv). */
  readonly expected?: fc.Arbitrary<string | null>;
}

/** kv and raftsim-kv: the operations in `domain.fs` on its keys. */
export function kvCalls(domain: KvDomain): fc.Arbitrary<Call> {
  const { keys, values, reads, expected = fc.constant(null) } = domain;
  const key = fc.constantFrom(...keys);
  const byF = {
    get: fc.record({ input: fc.record({ f: fc.constant('get'), key }), output: fc.record({ value: reads }) }),
    put: fc.record({ input: fc.record({ f: fc.constant('put'), key, value: values }), output: fc.constant({}) }),
    append: fc.record({ input: fc.record({ f: fc.constant('append'), key, value: values }), output: fc.constant({}) }),
    delete: fc.record({ input: fc.record({ f: fc.constant('delete'), key }), output: fc.constant({}) }),
    cas: fc.record({
      input: fc.record({ f: fc.constant('cas'), key, expected, value: values }),
      output: fc.record({ ok: fc.boolean() }),
    }),
  };
  return fc.oneof(...domain.fs.map((f) => byF[f] as fc.Arbitrary<Call>));
}

export interface HistoryShape {
  readonly maxOps?: number;
  readonly clients?: number;
  /** Chance [n, d] that an operation that returned has output null (a client time-out). */
  readonly timedOut?: readonly [number, number];
}

/**
 * Up to maxOps (7) operations by up to `clients` (3) clients, each client one at a time, on a
 * small time range. An operation may never return (1 in 8; its output then mostly null) or return
 * with output null (`timedOut`, default 1 in 7: its return is kept, as a client time-out records it).
 */
export function history(calls: fc.Arbitrary<Call>, shape: HistoryShape = {}): fc.Arbitrary<Op[]> {
  const { maxOps = 7, clients = 3, timedOut = [1, 7] } = shape;
  const planned = fc.record({
    client: fc.nat(clients - 1),
    wait: fc.nat(3), // after the client's previous return
    duration: fc.nat(4),
    neverReturns: chance(1, 8),
    unknownIfOpen: chance(4, 5),
    unknownIfReturned: chance(...timedOut),
    call: calls,
  });
  return fc.array(planned, { minLength: 1, maxLength: maxOps, size: 'max' }).map((plans) => {
    const ops: Op[] = [];
    const freeAt = new Map<number, number>(); // Infinity once a client's operation never returned
    for (const plan of plans) {
      const since = freeAt.get(plan.client) ?? 0;
      if (since === Infinity) continue;
      const call = since + plan.wait;
      const returned = plan.neverReturns ? null : call + plan.duration;
      const unknown = plan.neverReturns ? plan.unknownIfOpen : plan.unknownIfReturned;
      ops.push({ client: plan.client, call, return: returned, input: plan.call.input, output: unknown ? null : plan.call.output });
      freeAt.set(plan.client, returned ?? Infinity);
    }
    return ops;
  });
}
