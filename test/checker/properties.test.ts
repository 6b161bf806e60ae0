/**
 * Property tests with fixed seeds (shown in the titles): histories built from sequential runs are
 * linearizable, one impossible read makes them not, and on thousands of small random histories
 * the checker agrees with a brute-force checker that tries every order respecting real time.
 */
import { describe, expect, it } from 'vitest';
import {
  checkOperations, fillDefaults, raftsimKvModel, registerModel,
  type AnyModel, type Operation,
} from '../../src/checker/index.js';
import { Prng } from './prng.js';

type Op = Operation<Record<string, unknown> & { f: string }, Record<string, unknown>>;

/**
 * The reference: tries every order of the operations that respects real time. An operation that
 * never returned and has an unknown output may also be left out entirely.
 */
function bruteForce(model: AnyModel, ops: readonly Op[]): boolean {
  const full = fillDefaults(model);
  const placed = new Array<boolean>(ops.length).fill(false);
  const mustPrecede = (a: Op, b: Op): boolean => a.return !== null && a.return < b.call;
  const search = (state: unknown, count: number): boolean => {
    const done = ops.every((op, i) => placed[i] || (op.return === null && op.output === null));
    if (done) return true;
    for (let i = 0; i < ops.length; i++) {
      if (placed[i]) continue;
      const blocked = ops.some((other, j) => j !== i && !placed[j] && mustPrecede(other, ops[i]!));
      if (blocked) continue;
      const step = full.step(state, ops[i]!.input, ops[i]!.output);
      if (!step.ok && ops[i]!.output !== null) continue;
      placed[i] = true;
      const found = search(step.state, count + 1);
      placed[i] = false;
      if (found) return true;
    }
    return false;
  };
  // Each key of a kv model is independent, but the brute force does not rely on that: it checks
  // the whole history with one state per key.
  return search(model === raftsimKvModel ? new Map() : full.init(), 0);
}

/** raftsim-kv over several keys at once, for the brute force (the checker partitions instead). */
const wholeRaftsimKv: AnyModel = {
  name: 'raftsim-kv (whole)',
  init: () => new Map<string, string | null>(),
  step(state: Map<string, string | null>, input: { key: string }, output: unknown) {
    const result = raftsimKvModel.step(state.get(input.key) ?? null, input as never, output as never);
    const next = new Map(state);
    next.set(input.key, result.state);
    return { ok: result.ok, state: next };
  },
};

function randomRegisterInput(prng: Prng): Op['input'] {
  const value = (): number => prng.rangeInclusive(0, 2);
  return prng.pick([() => ({ f: 'read' }), () => ({ f: 'write', value: value() }),
    () => ({ f: 'cas', from: value(), to: value() })])();
}

function randomRegisterOutput(prng: Prng, input: Op['input']): Record<string, unknown> {
  if (input.f === 'read') return { value: prng.pick([null, 0, 1, 2]) };
  return input.f === 'cas' ? { ok: prng.chance(1, 2) } : {};
}

function randomKvInput(prng: Prng): Op['input'] {
  const key = prng.pick(['a', 'b']);
  const value = (): string => prng.pick(['x', 'y']);
  return prng.pick([() => ({ f: 'get', key }), () => ({ f: 'put', key, value: value() }),
    () => ({ f: 'append', key, value: value() }), () => ({ f: 'delete', key }),
    () => ({ f: 'cas', key, expected: prng.pick([null, 'x', 'y']), value: value() })])();
}

/** Values long enough that appends make strings the checker stops interning (over 64 chars). */
const LONG = ['x'.repeat(40), 'y'.repeat(40)];

function randomLongKvInput(prng: Prng): Op['input'] {
  const value = (): string => prng.pick(LONG);
  return prng.pick([() => ({ f: 'get', key: 'k' }), () => ({ f: 'append', key: 'k', value: value() }),
    () => ({ f: 'append', key: 'k', value: value() }), () => ({ f: 'put', key: 'k', value: value() })])();
}

function randomLongKvOutput(prng: Prng, input: Op['input']): Record<string, unknown> {
  if (input.f !== 'get') return {};
  const parts = Array.from({ length: prng.rangeInclusive(0, 3) }, () => prng.pick(LONG));
  return { value: prng.chance(1, 8) ? null : parts.join('') };
}

function randomKvOutput(prng: Prng, input: Op['input']): Record<string, unknown> {
  if (input.f === 'get') return { value: prng.pick([null, '', 'x', 'y', 'xy', 'yx']) };
  return input.f === 'cas' ? { ok: prng.chance(1, 2) } : {};
}

/** Up to 7 (maxOps) operations by up to 3 (clients) clients, each client one at a time, on a small time range. */
function randomHistory(
  prng: Prng,
  randomInput: (prng: Prng) => Op['input'],
  randomOutput: (prng: Prng, input: Op['input']) => Record<string, unknown>,
  maxOps = 7,
  clients = 3,
): Op[] {
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
    const unknown = neverReturns ? !prng.chance(1, 5) : prng.chance(1, 7);
    ops.push({ client, call, return: returned, input, output: unknown ? null : randomOutput(prng, input) });
    free[client] = returned === null ? Infinity : returned;
  }
  return ops;
}

describe('checker agrees with brute force on small random histories', () => {
  const cases = [
    { name: 'register', seed: 20240601, model: registerModel as AnyModel, reference: registerModel as AnyModel,
      input: randomRegisterInput, output: randomRegisterOutput },
    { name: 'raftsim-kv', seed: 7170, model: raftsimKvModel as AnyModel, reference: wholeRaftsimKv,
      input: randomKvInput, output: randomKvOutput },
    { name: 'raftsim-kv with long values', seed: 4242, model: raftsimKvModel as AnyModel,
      reference: wholeRaftsimKv, input: randomLongKvInput, output: randomLongKvOutput },
  ];
  it.each(cases)('$name, 3000 histories, seed $seed', ({ seed, model, reference, input, output }) => {
    const prng = new Prng(seed);
    const verdicts = { linearizable: 0, 'not-linearizable': 0 };
    for (let i = 0; i < 3000; i++) {
      const ops = randomHistory(prng, input, output);
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
 * Many operations that never returned, over a tiny value domain, so that many are twins (same
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
    const output = returned === null && prng.chance(2, 3) ? null
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
      const ops = randomHistory(prng, randomTinyInput, randomTinyOutput, 12, 5);
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
      const ops = randomHistory(prng, randomAppendHeavyInput, randomAppendHeavyOutput, 12, 5);
      const expected = checkOperations(boxedRaftsimKv, ops).result;
      const actual = checkOperations(raftsimKvModel, ops).result;
      if (actual !== expected) throw new Error(`history ${i}: got ${actual}, expected ${expected}\n${JSON.stringify(ops)}`);
    }
  });
});

/** A sequential run of the register, each operation stretched into an interval around its point. */
function sequentialRegisterHistory(prng: Prng, count: number): Op[] {
  const model = fillDefaults(registerModel);
  let state = model.init();
  const ops: Op[] = [];
  for (let i = 0; i < count; i++) {
    const point = 10 * i;
    const input = randomRegisterInput(prng) as never;
    const step = model.step(state, input, null);
    const output = (input as Op['input']).f === 'read' ? { value: state === -1 ? null : state }
      : (input as Op['input']).f === 'cas' ? { ok: step.state !== state || (input as { from: number }).from === state } : {};
    state = step.state;
    const call = point - prng.rangeInclusive(0, 35);
    const returned = prng.chance(1, 10) ? null : point + prng.rangeInclusive(0, 35);
    // One client per operation, so overlapping intervals are always allowed.
    ops.push({ client: i, call, return: returned, input, output: returned === null && prng.chance(1, 2) ? null : output });
  }
  return ops;
}

describe('histories from sequential runs', () => {
  it.each([1, 2, 3, 4, 5])('are linearizable, and not once a read sees a value never written (seed %i)', (seed) => {
    const prng = new Prng(seed);
    const ops = sequentialRegisterHistory(prng, 60);
    expect(checkOperations(registerModel, ops).result).toBe('linearizable');

    const reads = ops.flatMap((op, index) => (op.input.f === 'read' && op.return !== null ? [index] : []));
    const target = reads[prng.next() % reads.length]!;
    const broken = ops.map((op, index) => (index === target ? { ...op, output: { value: 99 } } : op));
    const result = checkOperations(registerModel, broken);
    expect(result.result).toBe('not-linearizable');
    expect(result.parts[0]!.failure).toBeDefined();
  });
});
