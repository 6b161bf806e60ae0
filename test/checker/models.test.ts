/** The three models, one behaviour per test, straight from their specifications. */
import { describe, expect, it } from 'vitest';
import {
  checkOperations, describeModels, findModel, kvModel, modelNames, raftsimKvModel, registerModel,
} from '../../src/checker/index.js';

describe('register', () => {
  it.each([
    ['read of the absent register', -1, { f: 'read' }, { value: null }, true, -1],
    ['read of a wrong value', 3, { f: 'read' }, { value: 4 }, false, 3],
    ['read with unknown output', 3, { f: 'read' }, null, true, 3],
    ['write', -1, { f: 'write', value: 5 }, {}, true, 5],
    ['cas that matches', 1, { f: 'cas', from: 1, to: 2 }, { ok: true }, true, 2],
    ['cas reported ok that cannot match', 3, { f: 'cas', from: 1, to: 2 }, { ok: true }, false, 3],
    ['cas on the absent register fails', -1, { f: 'cas', from: 0, to: 2 }, { ok: false }, true, -1],
    ['cas with unknown output still swaps', 1, { f: 'cas', from: 1, to: 2 }, null, true, 2],
  ] as const)('%s', (_name, state, input, output, ok, after) => {
    const step = registerModel.step(state, input as never, output as never);
    expect(step.ok).toBe(ok);
    if (ok) expect(step.state).toBe(after);
  });

  it('describes operations and states', () => {
    expect(registerModel.describeOperation!({ f: 'cas', from: 1, to: 2 }, { ok: false })).toBe('cas(1, 2) → failed');
    expect(registerModel.describeOperation!({ f: 'read' }, null)).toBe('read() → ?');
    expect(registerModel.describeState!(-1)).toBe('absent');
  });
});

describe('kv', () => {
  it('a key never written reads ""', () => {
    expect(kvModel.step(kvModel.init(), { f: 'get', key: 'k' }, { value: '' }).ok).toBe(true);
  });

  it('append concatenates without a separator', () => {
    expect(kvModel.step('ab', { f: 'append', key: 'k', value: 'c' }, {}).state).toBe('abc');
  });

  it('keys are partitioned, in sorted order', () => {
    const op = (key: string) => ({ client: 0, call: 0, return: 1, input: { f: 'put' as const, key, value: 'v' }, output: {} });
    const parts = kvModel.partition!([op('b'), op('a'), op('b'), op('10'), op('9')]);
    expect(parts.map((part) => part.label)).toEqual(['key "10"', 'key "9"', 'key "a"', 'key "b"']);
    expect(parts[3]!.operations).toEqual([0, 2]);
  });
});

describe('raftsim-kv', () => {
  const step = (state: string | null, input: object, output: object | null) =>
    raftsimKvModel.step(state, input as never, output as never);

  it('an absent key reads null, which differs from ""', () => {
    expect(step(null, { f: 'get', key: 'k' }, { value: null }).ok).toBe(true);
    expect(step(null, { f: 'get', key: 'k' }, { value: '' }).ok).toBe(false);
    expect(step('', { f: 'get', key: 'k' }, { value: null }).ok).toBe(false);
  });

  it('append to an absent key acts like put', () => {
    expect(step(null, { f: 'append', key: 'k', value: 'x' }, {}).state).toBe('x');
  });

  it('delete makes the key absent', () => {
    expect(step('x', { f: 'delete', key: 'k' }, {}).state).toBeNull();
  });

  it.each([
    ['expected null on an absent key creates it', null, null, true, 'v'],
    ['expected null on a present key fails', 'x', null, false, 'x'],
    ['expected value matches', 'x', 'x', true, 'v'],
    ['expected "" does not match an absent key', null, '', false, null],
  ] as const)('cas: %s', (_name, state, expected, swapped, after) => {
    const result = step(state, { f: 'cas', key: 'k', expected, value: 'v' }, { ok: swapped });
    expect(result.ok).toBe(true);
    expect(result.state).toBe(after);
    expect(step(state, { f: 'cas', key: 'k', expected, value: 'v' }, { ok: !swapped }).ok).toBe(false);
  });

  it('checks a small history per key', () => {
    const ops = [
      { client: 0, call: 0, return: 2, input: { f: 'put', key: 'a', value: 'x' }, output: {} },
      { client: 1, call: 1, return: 3, input: { f: 'get', key: 'b' }, output: { value: null } },
      { client: 1, call: 4, return: 5, input: { f: 'get', key: 'a' }, output: { value: 'x' } },
    ] as const;
    const result = checkOperations(raftsimKvModel, ops as never);
    expect(result.result).toBe('linearizable');
    expect(result.parts.map((part) => part.label)).toEqual(['key "a"', 'key "b"']);
  });
});

describe('model registry', () => {
  it('knows the three models and documents each in one line', () => {
    expect(modelNames()).toEqual(['register', 'kv', 'raftsim-kv']);
    expect(findModel('raftsim-kv')).toBe(raftsimKvModel);
    expect(findModel('nope')).toBeUndefined();
    const lines = describeModels();
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).not.toContain('\n');
  });
});
