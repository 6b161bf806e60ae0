/**
 * Histories recorded from a sequential run are linearizable, time-outs included, and stop being
 * so once one completed read reports a value never written.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOperations, fillDefaults } from '../../src/checker/index.js';
import type { Op } from './arbitraries.js';
import { modelCases, type ModelCase } from './modelCases.js';

const RUNS = 300;

/**
 * How one operation of the run is recorded around its point (10 i): returned (called up to 15
 * before, returning up to 15 after), never returned, or timed out: called well before the point,
 * the client gave up soon after and recorded output null, and the operation still took effect at
 * its point (a delayed request), after operations called after its recorded return.
 */
const fate = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('returned' as const), before: fc.nat(15), after: fc.nat(15) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('never returned' as const), before: fc.nat(15), outputKnown: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('timed out' as const), before: fc.integer({ min: 20, max: 40 }), waited: fc.nat(5) }) },
);

type Fate = typeof fate extends fc.Arbitrary<infer F> ? F : never;

/** Runs the inputs one after another on the model; one client per operation, so any overlap is allowed. */
function record(spec: ModelCase, steps: readonly { input: Op['input']; fate: Fate }[]): Op[] {
  const whole = fillDefaults(spec.reference);
  let state = whole.init();
  return steps.map(({ input, fate }, client): Op => {
    const keyState = state instanceof Map ? (state.has(input.key) ? state.get(input.key) : spec.model.init()) : state;
    const output = spec.observe(keyState, input);
    const step = whole.step(state, input, output);
    if (!step.ok) throw new Error(`observe for ${spec.name} disagrees with step on ${JSON.stringify(input)}`);
    state = step.state;
    const point = 10 * client;
    const call = point - fate.before;
    switch (fate.kind) {
      case 'returned': return { client, call, return: point + fate.after, input, output };
      case 'never returned': return { client, call, return: null, input, output: fate.outputKnown ? output : null };
      case 'timed out': return { client, call, return: call + fate.waited, input, output: null };
    }
  });
}

describe.each(modelCases())('$name: histories from sequential runs, with time-outs', (spec) => {
  it(`are linearizable, and not once a read sees a value never written (${RUNS} runs of up to 60 operations)`, () => {
    let timeOutsBeforeEffect = 0;
    let broken = 0;
    const runs = fc.record({
      steps: fc.array(fc.record({ input: spec.calls.map((call) => call.input), fate }), { minLength: 1, maxLength: 60, size: 'max' }),
      target: fc.nat(),
    });
    fc.assert(fc.property(runs, ({ steps, target }) => {
      const ops = record(spec, steps);
      if (ops.some((op) => op.output === null && op.return !== null && op.input.f !== spec.read)) timeOutsBeforeEffect++;
      expect(checkOperations(spec.model, ops).result).toBe('linearizable');

      const reads = ops.flatMap((op, index) => (op.input.f === spec.read && op.return !== null && op.output !== null ? [index] : []));
      if (reads.length === 0) return;
      broken++;
      const wrong = reads[target % reads.length]!;
      const result = checkOperations(spec.model, ops.map((op, index) => (index === wrong ? { ...op, output: { value: spec.neverWritten } } : op)));
      expect(result.result).toBe('not-linearizable');
      const failing = result.parts.find((part) => part.operations.includes(wrong));
      expect(failing?.failure).toBeDefined();
      expect(failing!.linearization).not.toContain(wrong);
    }), { numRuns: RUNS });
    // The runs must hold what this test is about: time-outs before the effect, reads to break.
    expect(timeOutsBeforeEffect).toBeGreaterThan(RUNS / 8);
    expect(broken).toBeGreaterThan(RUNS / 8);
  });
});
