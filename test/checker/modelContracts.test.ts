/**
 * The search's fast paths trust two optional model members (model.ts): `preservesState` (the op
 * is then forced as soon as it is legal) and `effect` (evaluated without `step`). Each must agree
 * with `step` for every state, input and output, output null (indeterminate) included.
 */
import { describe, expect, it } from 'vitest';
import { fillDefaults, kvModel, raftsimKvModel, registerModel, type AnyModel } from '../../src/checker/index.js';
import {
  randomKvInput, randomKvOutput, randomPlainKvInput, randomPlainKvOutput, randomRegisterInput, randomRegisterOutput,
  type Op,
} from './generators.js';
import { Prng } from './prng.js';

const cases: { name: string; model: AnyModel; states: readonly unknown[];
  input: (prng: Prng) => Op['input']; output: (prng: Prng, input: Op['input']) => Record<string, unknown> }[] = [
  { name: 'register', model: registerModel as AnyModel, states: [-1, 0, 1, 2],
    input: randomRegisterInput, output: randomRegisterOutput },
  { name: 'kv', model: kvModel as AnyModel, states: ['', 'x', 'y', 'xy'],
    input: randomPlainKvInput, output: randomPlainKvOutput },
  { name: 'raftsim-kv', model: raftsimKvModel as AnyModel, states: [null, '', 'x', 'y', 'xy'],
    input: randomKvInput, output: randomKvOutput },
];

/** Random (state, input, output) triples; a quarter of the outputs are null. */
function* triples(seed: number, spec: (typeof cases)[number], count: number) {
  const prng = new Prng(seed);
  for (let i = 0; i < count; i++) {
    const input = spec.input(prng);
    const output: Op['output'] = prng.chance(1, 4) ? null : spec.output(prng, input);
    yield { state: prng.pick(spec.states), input, output };
  }
}

describe('model fast paths agree with step', () => {
  it.each(cases)('$name: when preservesState says so and step is ok, the state is unchanged (5000 triples, seed 12)',
    (spec) => {
      const model = fillDefaults(spec.model);
      let checked = 0;
      for (const { state, input, output } of triples(12, spec, 5000)) {
        if (!model.preservesState(input, output)) continue;
        const step = model.step(state, input, output);
        if (!step.ok) continue;
        checked++;
        expect(model.equal(step.state, state), `${JSON.stringify([state, input, output])}`).toBe(true);
      }
      expect(checked).toBeGreaterThan(500);
    });

  it.each(cases)('$name: effect agrees with step, and output null never yields a read (5000 triples, seed 13)',
    (spec) => {
      const model = fillDefaults(spec.model);
      let checked = 0;
      for (const { state, input, output } of triples(13, spec, 5000)) {
        const effect = model.effect(input, output);
        if (effect === undefined) continue;
        const step = model.step(state, input, output);
        const what = JSON.stringify([state, input, output, effect]);
        checked++;
        switch (effect.kind) {
          case 'read':
            expect(output, what).not.toBeNull();
            expect(step.ok, what).toBe(state === effect.value);
            if (step.ok) expect(step.state, what).toBe(state);
            break;
          case 'noop':
            expect(step.ok || output === null, what).toBe(true);
            expect(step.state, what).toBe(state);
            break;
          case 'write':
            expect(step.ok || output === null, what).toBe(true);
            expect(step.state, what).toBe(effect.value);
            break;
          case 'append':
            if (typeof state !== 'string') break;
            expect(step.ok || output === null, what).toBe(true);
            expect(step.state, what).toBe(state + effect.suffix);
        }
      }
      expect(checked).toBeGreaterThan(2000);
    });
});
