/**
 * raftsim-kv with each state boxed in an object: the checker then interns every state by content
 * (objects go through hash and equal, every step calls `step`), while plain strings take the
 * `effect` fast path and are kept as chains of appends. Verdicts must agree on histories too
 * large for the brute force.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOperations, raftsimKvModel, type AnyModel } from '../../src/checker/index.js';
import { history, kvCalls, type Op } from './arbitraries.js';

const RUNS = 1000;

const boxedRaftsimKv: AnyModel = {
  name: 'raftsim-kv (boxed)',
  init: () => ({ value: null }),
  step(state: { value: string | null }, input: never, output: never) {
    const result = raftsimKvModel.step(state.value, input, output);
    return { ok: result.ok, state: { value: result.state } };
  },
  equal: (a: { value: string | null }, b: { value: string | null }) => a.value === b.value,
  hash: (state: { value: string | null }) => (state.value ?? '').length,
  partition: raftsimKvModel.partition!,
};

/** Asserts both models give the same verdict; returns how often each verdict came up. */
function agreesWithBoxed(histories: fc.Arbitrary<Op[]>): Record<string, number> {
  const verdicts: Record<string, number> = {};
  fc.assert(fc.property(histories, (ops) => {
    const actual = checkOperations(raftsimKvModel, ops).result;
    expect(actual).toBe(checkOperations(boxedRaftsimKv, ops).result);
    verdicts[actual] = (verdicts[actual] ?? 0) + 1;
  }), { numRuns: RUNS });
  return verdicts;
}

/** Short values from a tiny alphabet: different orders of appends often spell the same string. */
const tinyCalls = kvCalls({
  fs: ['get', 'get', 'append', 'append', 'append', 'append', 'put', 'cas'],
  keys: ['k'],
  values: fc.constantFrom('a', 'b', 'ab', 'ba', ''),
  reads: fc.oneof({ weight: 5, arbitrary: fc.constantFrom('', 'a', 'ab', 'aab', 'aba', 'abab', 'baab') },
    { weight: 1, arbitrary: fc.constant(null) }),
  expected: fc.constantFrom(null, 'ab', 'aab', 'ba'),
});

/** Mostly appends of a few long values, so that many states are long strings. */
const long = ['x'.repeat(40), 'y'.repeat(40), 'z'.repeat(40)];
const appendHeavyCalls = kvCalls({
  fs: ['get', 'append', 'append', 'append', 'put'],
  keys: ['k'],
  values: fc.constantFrom(...long),
  reads: fc.oneof(fc.constant(null), fc.array(fc.constantFrom(...long), { maxLength: 3 }).map((parts) => parts.join(''))),
});

describe('string chains change no verdict', () => {
  it(`agrees with boxed states on ${RUNS} histories of tiny values`, () => {
    const verdicts = agreesWithBoxed(history(tinyCalls, { maxOps: 12, clients: 5 }));
    expect(verdicts.linearizable).toBeGreaterThan(RUNS / 30);
    expect(verdicts['not-linearizable']).toBeGreaterThan(RUNS / 30);
  });

  it(`agrees with fully interned states on ${RUNS} histories of up to 12 operations`, () => {
    const verdicts = agreesWithBoxed(history(appendHeavyCalls, { maxOps: 12, clients: 5 }));
    expect(verdicts.linearizable).toBeGreaterThan(RUNS / 60);
    expect(verdicts['not-linearizable']).toBeGreaterThan(RUNS / 60);
  });
});
