/** Interned states (string chains) and the models' `effect` fast path. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fillDefaults, kvModel } from '../../../src/checker/index.js';
import { hashOfString, StateTable } from '../../../src/checker/states.js';
import { Transitions } from '../../../src/checker/transitions.js';
import { chance } from '../arbitraries.js';
import { modelCases, type ModelCase } from '../modelCases.js';

const RUNS = 2000;

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

/** Up to 6 operations of a model, a fifth of them with output null (outcome unknown). */
function operations(spec: ModelCase) {
  return fc.array(fc.record({ call: spec.calls, unknown: chance(1, 5) }), { minLength: 1, maxLength: 6 })
    .map((ops) => ops.map(({ call, unknown }) => ({ input: call.input, output: unknown ? null : call.output })));
}

describe.each(modelCases())('$name: interned transitions agree with step', (spec) => {
  it(`along a path chosen by fast-check, from every state on it (${RUNS} runs)`, () => {
    const full = fillDefaults(spec.model);
    // `path[d]` picks which legal operation to take at depth d.
    fc.assert(fc.property(operations(spec), fc.array(fc.nat(), { maxLength: 6 }), (ops, path) => {
      const transitions = new Transitions(full, ops.map((op) => op.input), ops.map((op) => op.output));
      let id = transitions.initial;
      for (let depth = 0; ; depth++) {
        const state = transitions.stateOf(id);
        for (const [op, { input, output }] of ops.entries()) {
          const step = full.step(state, input, output);
          const next = transitions.next(id, op);
          if (!step.ok && output !== null) expect(next).toBe(-1);
          else expect(transitions.stateOf(next)).toBe(step.state);
        }
        const legal = ops.map((_, op) => transitions.next(id, op)).filter((next) => next >= 0);
        if (legal.length === 0 || depth >= path.length) break;
        id = legal[path[depth]! % legal.length]!;
      }
    }), { numRuns: RUNS });
  });
});
