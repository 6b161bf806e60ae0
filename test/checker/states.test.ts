/** Interned states (string chains) and the models' `effect` fast path. */
import { describe, expect, it } from 'vitest';
import { fillDefaults, kvModel, raftsimKvModel, registerModel, type AnyModel } from '../../src/checker/index.js';
import { hashOfString, StateTable } from '../../src/checker/states.js';
import { Transitions } from '../../src/checker/transitions.js';
import { Prng } from './prng.js';

function table(): StateTable<unknown> {
  return new StateTable(fillDefaults(kvModel) as never);
}

function appendAll(states: StateTable<unknown>, from: number, suffixes: readonly string[]): number {
  return suffixes.reduce((id, suffix) => states.append(id, states.addText(suffix), hashOfString(suffix)), from);
}

/** Thue–Morse strings of length 128 and their complements: equal polynomial hashes mod 2^32. */
function thueMorse(length: number, zero: string, one: string): string {
  let text = '';
  for (let i = 0; i < length; i++) text += (i.toString(2).split('1').length - 1) % 2 ? one : zero;
  return text;
}

describe('interned states', () => {
  it('gives equal strings one id, whatever the route', () => {
    const states = table();
    const empty = states.intern('');
    const whole = states.intern('abcd');
    expect(appendAll(states, empty, ['a', 'bc', 'd'])).toBe(whole);
    expect(appendAll(states, empty, ['ab', '', 'cd'])).toBe(whole);
    expect(appendAll(states, states.intern('a'), ['bcd'])).toBe(whole);
    expect(appendAll(states, empty, ['abc', 'd'])).toBe(whole);
    expect(states.valueOf(appendAll(states, empty, ['ab', 'ce']))).toBe('abce');
    expect(appendAll(states, empty, ['ab', 'ce'])).not.toBe(whole);
  });

  it('keeps strings with colliding hashes apart', () => {
    const a = thueMorse(128, 'a', 'b');
    const b = thueMorse(128, 'b', 'a');
    expect(hashOfString(a).hash).toBe(hashOfString(b).hash);
    const states = table();
    const viaChain = appendAll(states, states.intern(''), [a.slice(0, 50), a.slice(50)]);
    const other = states.intern(b);
    expect(other).not.toBe(viaChain);
    expect(states.intern(a)).toBe(viaChain);
    expect(states.valueOf(other)).toBe(b);
    expect(states.valueOf(viaChain)).toBe(a);
    expect(appendAll(states, other, ['x'])).not.toBe(appendAll(states, viaChain, ['x']));
  });

  it('keeps strings apart from other primitives', () => {
    const states = table();
    expect(states.intern(null)).not.toBe(states.intern(''));
    expect(states.intern('1')).not.toBe(states.intern(1));
  });
});

/** Random inputs and outputs over tiny domains, so that values often coincide. */
function randomOperation(prng: Prng, fs: readonly string[]): { input: never; output: never } {
  const value = (): string => prng.pick(['', 'a', 'b', 'ab', 'ba', 'aab']);
  const f = prng.pick(fs);
  const number = (): number => prng.rangeInclusive(0, 2);
  const input = f === 'read' || f === 'write' || (f === 'cas' && fs.includes('read'))
    ? { f, value: number(), from: number(), to: number() }
    : { f, key: 'k', value: value(), expected: prng.chance(1, 3) ? null : value() };
  const output = prng.chance(1, 5) ? null
    : f === 'get' ? { value: prng.chance(1, 4) ? null : value() }
      : f === 'read' ? { value: prng.chance(1, 4) ? null : number() }
        : f === 'cas' ? { ok: prng.chance(1, 2) } : {};
  return { input: input as never, output: output as never };
}

describe.each([
  ['register', registerModel, ['read', 'write', 'cas']],
  ['kv', kvModel, ['get', 'put', 'append']],
  ['raftsim-kv', raftsimKvModel, ['get', 'put', 'append', 'delete', 'cas']],
] as const)('%s: effects agree with step', (_name, model: AnyModel, fs) => {
  it('on 3000 random (state, operation) pairs, seed 5', () => {
    const full = fillDefaults(model);
    const prng = new Prng(5);
    for (let i = 0; i < 3000; i++) {
      const ops = Array.from({ length: 6 }, () => randomOperation(prng, fs));
      const transitions = new Transitions(full, ops.map((op) => op.input), ops.map((op) => op.output));
      // Walk a random path, comparing every operation's result from each state with step's.
      let id = transitions.initial;
      for (let depth = 0; depth < 6; depth++) {
        const state = transitions.stateOf(id);
        for (const [op, { input, output }] of ops.entries()) {
          const step = full.step(state, input, output);
          const next = transitions.next(id, op);
          if (!step.ok && output !== null) expect(next).toBe(-1);
          else expect(transitions.stateOf(next)).toBe(step.state);
        }
        const legal = ops.map((_, op) => transitions.next(id, op)).filter((next) => next >= 0);
        if (legal.length === 0) break;
        id = prng.pick(legal);
      }
    }
  });
});
