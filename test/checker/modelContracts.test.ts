/**
 * The model contract (model.ts), for every registered model: `step` accepts any output when the
 * output is null (indeterminate) and still computes the effect, and the search's fast paths,
 * `preservesState` (the op is forced as soon as it is legal) and `effect` (evaluated without
 * `step`), agree with `step` for every state, input and output, output null included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fillDefaults, type FullModel } from '../../src/checker/index.js';
import { chance } from './arbitraries.js';
import { modelCases, type ModelCase } from './modelCases.js';

const RUNS = 3000;

/** (state, input, output) triples; a quarter of the outputs are null. */
function triples(spec: ModelCase) {
  return fc.record({ state: spec.states, call: spec.calls, unknown: chance(1, 4) })
    .map(({ state, call, unknown }) => ({ state, input: call.input, output: unknown ? null : call.output }));
}

describe.each(modelCases())('$name: model contract', (spec) => {
  const model: FullModel = fillDefaults(spec.model);

  it(`output null is always legal, with the effect of the output the operation would report (${RUNS} runs)`, () => {
    fc.assert(fc.property(spec.states, spec.calls, (state, { input }) => {
      const unknown = model.step(state, input, null);
      expect(unknown.ok).toBe(true);
      const actual = model.step(state, input, spec.observe(state, input));
      expect(actual.ok).toBe(true);
      expect(model.equal(unknown.state, actual.state)).toBe(true);
    }), { numRuns: RUNS });
  });

  it(`when preservesState says so and step is ok, the state is unchanged (${RUNS} runs)`, () => {
    let checked = 0;
    fc.assert(fc.property(triples(spec), ({ state, input, output }) => {
      if (!model.preservesState(input, output)) return;
      const step = model.step(state, input, output);
      if (!step.ok) return;
      checked++;
      expect(model.equal(step.state, state)).toBe(true);
    }), { numRuns: RUNS });
    expect(checked).toBeGreaterThan(RUNS / 30);
  });

  it(`effect agrees with step, and output null never yields a read (${RUNS} runs)`, () => {
    let checked = 0;
    fc.assert(fc.property(triples(spec), ({ state, input, output }) => {
      const effect = model.effect(input, output);
      if (effect === undefined) return;
      const step = model.step(state, input, output);
      checked++;
      switch (effect.kind) {
        case 'read':
          expect(output).not.toBeNull();
          expect(step.ok).toBe(state === effect.value);
          if (step.ok) expect(step.state).toBe(state);
          break;
        case 'noop':
          expect(step.ok || output === null).toBe(true);
          expect(step.state).toBe(state);
          break;
        case 'write':
          expect(step.ok || output === null).toBe(true);
          expect(step.state).toBe(effect.value);
          break;
        case 'append':
          if (typeof state !== 'string') break;
          expect(step.ok || output === null).toBe(true);
          expect(step.state).toBe(state + effect.suffix);
      }
    }), { numRuns: RUNS });
    expect(checked).toBeGreaterThan(RUNS / 6);
  });
});
