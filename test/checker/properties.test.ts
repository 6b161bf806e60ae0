/**
 * Property tests with fixed seeds (shown in the titles): histories built from sequential runs are
 * linearizable, one impossible read makes them not, and on thousands of small random histories
 * the checker agrees with a brute-force checker that tries every order respecting real time.
 */
import { describe, expect, it } from 'vitest';
import {
  checkOperations, fillDefaults, kvModel, raftsimKvModel, registerModel, type AnyModel,
} from '../../src/checker/index.js';
import {
  LONG, randomHistory, randomKvInput, randomKvOutput, randomLongKvInput, randomLongKvOutput, randomPlainKvInput,
  randomPlainKvOutput, randomRegisterInput, randomRegisterOutput, type Op,
} from './generators.js';
import { Prng } from './prng.js';

/**
 * The reference: tries every order of the operations that respects real time. Only an operation
 * with a known output that returned bounds the others: one with output null (indeterminate) may
 * be placed anywhere after its call, whatever its recorded return, or left out entirely.
 */
function bruteForce(model: AnyModel, ops: readonly Op[]): boolean {
  const full = fillDefaults(model);
  const placed = new Array<boolean>(ops.length).fill(false);
  const mustPrecede = (a: Op, b: Op): boolean => a.output !== null && a.return !== null && a.return < b.call;
  const search = (state: unknown): boolean => {
    if (ops.every((op, i) => placed[i] || op.output === null)) return true;
    for (let i = 0; i < ops.length; i++) {
      if (placed[i]) continue;
      const blocked = ops.some((other, j) => j !== i && !placed[j] && mustPrecede(other, ops[i]!));
      if (blocked) continue;
      const step = full.step(state, ops[i]!.input, ops[i]!.output);
      if (!step.ok && ops[i]!.output !== null) continue;
      placed[i] = true;
      const found = search(step.state);
      placed[i] = false;
      if (found) return true;
    }
    return false;
  };
  return search(full.init());
}

/**
 * A per-key model over several keys at once, for the brute force (the checker partitions
 * instead): the state is a map from key to that key's state, absent keys in the initial state.
 */
function wholeKeys(model: AnyModel): AnyModel {
  const keyState = (state: Map<string, unknown>, key: string): unknown => (state.has(key) ? state.get(key) : model.init());
  return {
    name: `${model.name} (whole)`,
    init: () => new Map<string, unknown>(),
    step(state: Map<string, unknown>, input: { key: string }, output: unknown) {
      const result = model.step(keyState(state, input.key), input, output);
      const next = new Map(state);
      next.set(input.key, result.state);
      return { ok: result.ok, state: next };
    },
  };
}
const wholeRaftsimKv = wholeKeys(raftsimKvModel);
const wholeKv = wholeKeys(kvModel);

describe('checker agrees with brute force on small random histories', () => {
  const register = { model: registerModel as AnyModel, reference: registerModel as AnyModel,
    input: randomRegisterInput, output: randomRegisterOutput };
  const raftsimKv = { model: raftsimKvModel as AnyModel, reference: wholeRaftsimKv, input: randomKvInput, output: randomKvOutput };
  const kv = { model: kvModel as AnyModel, reference: wholeKv, input: randomPlainKvInput, output: randomPlainKvOutput };
  // timedOut: the chance that an operation that returned has output null (its return kept).
  const cases = [
    { name: 'register', seed: 20240601, ...register, timedOut: [1, 7] as const },
    { name: 'raftsim-kv', seed: 7170, ...raftsimKv, timedOut: [1, 7] as const },
    { name: 'raftsim-kv with long values', seed: 4242, ...raftsimKv, input: randomLongKvInput,
      output: randomLongKvOutput, timedOut: [1, 7] as const },
    { name: 'kv', seed: 6824, ...kv, timedOut: [1, 7] as const },
    { name: 'register, many time-outs', seed: 808, ...register, timedOut: [1, 3] as const },
    { name: 'raftsim-kv, many time-outs', seed: 809, ...raftsimKv, timedOut: [1, 3] as const },
    { name: 'kv, many time-outs', seed: 810, ...kv, timedOut: [1, 3] as const },
  ];
  it.each(cases)('$name, 3000 histories, seed $seed', ({ seed, model, reference, input, output, timedOut }) => {
    const prng = new Prng(seed);
    const verdicts = { linearizable: 0, 'not-linearizable': 0 };
    for (let i = 0; i < 3000; i++) {
      const ops = randomHistory(prng, input, output, { timedOut });
      const expected = bruteForce(reference, ops) ? 'linearizable' : 'not-linearizable';
      const actual = checkOperations(model, ops).result;
      if (actual !== expected) throw new Error(`history ${i}: got ${actual}, expected ${expected}\n${JSON.stringify(ops)}`);
      verdicts[expected]++;
    }
    // Both verdicts must be well represented, or the comparison proves little.
    expect(verdicts.linearizable).toBeGreaterThan(300);
    expect(verdicts['not-linearizable']).toBeGreaterThan(300);
  });
});

/**
 * Many operations that never returned or timed out, over a tiny value domain, so that many are twins (same
 * input and output, see twins.ts): the symmetry reduction must not change a verdict.
 */
function twinHeavyHistory(prng: Prng): Op[] {
  const ops: Op[] = [];
  const count = prng.rangeInclusive(2, 7);
  for (let client = 0; client < count; client++) {
    const call = prng.rangeInclusive(0, 6);
    const returned = prng.chance(1, 2) ? null : call + prng.rangeInclusive(0, 4);
    const input = prng.chance(1, 4) ? { f: 'read' } : prng.chance(1, 2)
      ? { f: 'write', value: prng.rangeInclusive(0, 1) }
      : { f: 'cas', from: prng.rangeInclusive(0, 1), to: prng.rangeInclusive(0, 1) };
    // Output null also on operations that returned (timed out): twins whatever their return.
    const output = prng.chance(returned === null ? 2 : 1, 3) ? null
      : input.f === 'read' ? { value: prng.pick([null, 0, 1]) } : input.f === 'cas' ? { ok: prng.chance(1, 2) } : {};
    ops.push({ client, call, return: returned, input, output });
  }
  return ops;
}

describe('twins change no verdict', () => {
  it('agrees with brute force on 3000 histories with many unfinished operations, seed 31', () => {
    const prng = new Prng(31);
    const verdicts = { linearizable: 0, 'not-linearizable': 0 };
    for (let i = 0; i < 3000; i++) {
      const ops = twinHeavyHistory(prng);
      const expected = bruteForce(registerModel, ops) ? 'linearizable' : 'not-linearizable';
      const actual = checkOperations(registerModel, ops).result;
      if (actual !== expected) throw new Error(`history ${i}: got ${actual}, expected ${expected}\n${JSON.stringify(ops)}`);
      verdicts[expected]++;
    }
    expect(verdicts.linearizable).toBeGreaterThan(300);
    expect(verdicts['not-linearizable']).toBeGreaterThan(300);
  });
});

/**
 * raftsim-kv with each state boxed in an object: the checker then interns every state by content
 * (objects go through hash and equal, every step calls `step`), while plain strings take the
 * `effect` fast path and are kept as chains of appends. Verdicts must agree on histories too
 * large for the brute force.
 */
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

/** Mostly appends of a few long values, so that many states are long strings. */
function randomAppendHeavyInput(prng: Prng): Op['input'] {
  if (prng.chance(1, 5)) return { f: 'get', key: 'k' };
  return { f: prng.chance(1, 10) ? 'put' : 'append', key: 'k', value: prng.pick([...LONG, 'z'.repeat(40)]) };
}

function randomAppendHeavyOutput(prng: Prng, input: Op['input']): Record<string, unknown> {
  return prng.chance(1, 2) ? { value: null } : randomLongKvOutput(prng, input);
}

/** Short values from a tiny alphabet: different orders of appends often spell the same string. */
function randomTinyInput(prng: Prng): Op['input'] {
  const value = prng.pick(['a', 'b', 'ab', 'ba', '']);
  if (prng.chance(1, 4)) return { f: 'get', key: 'k' };
  if (prng.chance(1, 8)) return { f: 'cas', key: 'k', expected: prng.chance(1, 4) ? null : prng.pick(['ab', 'aab', 'ba']), value };
  return { f: prng.chance(1, 8) ? 'put' : 'append', key: 'k', value };
}

function randomTinyOutput(prng: Prng, input: Op['input']): Record<string, unknown> {
  if (input.f === 'cas') return { ok: prng.chance(1, 2) };
  if (input.f !== 'get') return {};
  return { value: prng.chance(1, 6) ? null : prng.pick(['', 'a', 'ab', 'aab', 'aba', 'abab', 'baab']) };
}

describe('string chains change no verdict', () => {
  it('agrees with boxed states on 1000 histories of tiny values, seed 7', () => {
    const prng = new Prng(7);
    const verdicts: Record<string, number> = {};
    for (let i = 0; i < 1000; i++) {
      const ops = randomHistory(prng, randomTinyInput, randomTinyOutput, { maxOps: 12, clients: 5 });
      const expected = checkOperations(boxedRaftsimKv, ops).result;
      const actual = checkOperations(raftsimKvModel, ops).result;
      if (actual !== expected) throw new Error(`history ${i}: got ${actual}, expected ${expected}\n${JSON.stringify(ops)}`);
      verdicts[actual] = (verdicts[actual] ?? 0) + 1;
    }
    expect(verdicts.linearizable).toBeGreaterThan(100);
    expect(verdicts['not-linearizable']).toBeGreaterThan(100);
  });

  it('agrees with fully interned states on 1000 histories of up to 12 operations, seed 99', () => {
    const prng = new Prng(99);
    for (let i = 0; i < 1000; i++) {
      const ops = randomHistory(prng, randomAppendHeavyInput, randomAppendHeavyOutput, { maxOps: 12, clients: 5 });
      const expected = checkOperations(boxedRaftsimKv, ops).result;
      const actual = checkOperations(raftsimKvModel, ops).result;
      if (actual !== expected) throw new Error(`history ${i}: got ${actual}, expected ${expected}\n${JSON.stringify(ops)}`);
    }
  });
});

/** What a client sees for `input` in state `state` (of its key, for kv models), per model. */
const observers: Record<string, (state: unknown, input: Op['input']) => Record<string, unknown>> = {
  register: (state, input) => (input.f === 'read' ? { value: state === -1 ? null : state }
    : input.f === 'cas' ? { ok: state === input.from } : {}),
  'raftsim-kv': (state, input) => (input.f === 'get' ? { value: state } : input.f === 'cas' ? { ok: state === input.expected } : {}),
  kv: (state, input) => (input.f === 'get' ? { value: state } : {}),
};

/**
 * A sequential run, each operation stretched into an interval around its point (10 i). Some never
 * return. Some time out: called well before the point, the client gives up soon after and records
 * output null, and the operation still takes effect at its point (a delayed request), after
 * operations that were called after its recorded return.
 */
function sequentialHistory(prng: Prng, model: AnyModel, input: (prng: Prng) => Op['input'], count: number): Op[] {
  const whole = fillDefaults(model === registerModel ? model : wholeKeys(model));
  const observe = observers[model.name]!;
  let state = whole.init();
  const ops: Op[] = [];
  for (let i = 0; i < count; i++) {
    const point = 10 * i;
    const op = input(prng);
    const keyState = state instanceof Map ? (state.has(op.key) ? state.get(op.key) : model.init()) : state;
    const output = observe(keyState, op);
    const step = whole.step(state, op, output);
    if (!step.ok) throw new Error(`observer for ${model.name} disagrees with step on ${JSON.stringify(op)}`);
    state = step.state;
    const fate = prng.rangeInclusive(0, 9);
    // One client per operation, so overlapping intervals are always allowed.
    if (fate === 1) {
      const call = point - prng.rangeInclusive(20, 40);
      ops.push({ client: i, call, return: call + prng.rangeInclusive(0, 5), input: op, output: null });
      continue;
    }
    const call = point - prng.rangeInclusive(0, 15);
    if (fate === 0) ops.push({ client: i, call, return: null, input: op, output: prng.chance(1, 2) ? null : output });
    else ops.push({ client: i, call, return: point + prng.rangeInclusive(0, 15), input: op, output });
  }
  return ops;
}

describe('histories from sequential runs, with time-outs', () => {
  const cases = [
    { name: 'register', model: registerModel as AnyModel, input: randomRegisterInput, read: 'read', never: 99 },
    { name: 'raftsim-kv', model: raftsimKvModel as AnyModel, input: randomKvInput, read: 'get', never: 'never written' },
    { name: 'kv', model: kvModel as AnyModel, input: randomPlainKvInput, read: 'get', never: 'never written' },
  ].flatMap((spec) => [1, 2, 3, 4, 5].map((seed) => ({ ...spec, seed })));
  it.each(cases)('$name: linearizable, and not once a read sees a value never written (seed $seed)',
    ({ model, input, read, never, seed }) => {
      const prng = new Prng(seed);
      const ops = sequentialHistory(prng, model, input, 60);
      // The generator must produce what this test is about: time-outs before the effect.
      expect(ops.some((op) => op.output === null && op.return !== null && op.input.f !== read)).toBe(true);
      expect(checkOperations(model, ops).result).toBe('linearizable');

      const reads = ops.flatMap((op, index) => (op.input.f === read && op.return !== null && op.output !== null ? [index] : []));
      const target = reads[prng.next() % reads.length]!;
      const broken = ops.map((op, index) => (index === target ? { ...op, output: { value: never } } : op));
      const result = checkOperations(model, broken);
      expect(result.result).toBe('not-linearizable');
      const failing = result.parts.find((part) => part.operations.includes(target))!;
      expect(failing.failure).toBeDefined();
      expect(failing.linearization).not.toContain(target);
    });
});
