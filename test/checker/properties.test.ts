/**
 * The checker's verdict equals a brute-force search over every order respecting real time
 * (bruteForce.ts), on small histories of every registered model. A failure prints fast-check's
 * seed, path and the shrunk history.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOperations, raftsimKvModel, registerModel, type AnyModel } from '../../src/checker/index.js';
import { chance, history, kvCalls, registerCalls, type Op } from './arbitraries.js';
import { bruteForce, wholeKeys } from './bruteForce.js';
import { modelCases } from './modelCases.js';

const RUNS = 3000;

/** Asserts the checker agrees with the brute force on `histories`, and that both verdicts were common. */
function agreesWithBruteForce(model: AnyModel, reference: AnyModel, histories: fc.Arbitrary<Op[]>): void {
  const verdicts = { linearizable: 0, 'not-linearizable': 0 };
  fc.assert(fc.property(histories, (ops) => {
    const expected = bruteForce(reference, ops) ? 'linearizable' : 'not-linearizable';
    expect(checkOperations(model, ops).result).toBe(expected);
    verdicts[expected]++;
  }), { numRuns: RUNS });
  // Both verdicts must be well represented, or the comparison proves little.
  expect(verdicts.linearizable).toBeGreaterThan(RUNS / 30);
  expect(verdicts['not-linearizable']).toBeGreaterThan(RUNS / 30);
}

describe('checker agrees with brute force on small histories', () => {
  describe.each(modelCases())('$name', ({ model, reference, calls }) => {
    it(`${RUNS} histories, 1 in 7 returned operations timed out`, () => {
      agreesWithBruteForce(model, reference, history(calls));
    });

    it(`${RUNS} histories, 1 in 3 returned operations timed out`, () => {
      agreesWithBruteForce(model, reference, history(calls, { timedOut: [1, 3] }));
    });
  });

  it(`raftsim-kv with values long enough that the checker stops interning them, ${RUNS} histories`, () => {
    const long = ['x'.repeat(40), 'y'.repeat(40)];
    const reads = fc.oneof(
      { weight: 7, arbitrary: fc.array(fc.constantFrom(...long), { maxLength: 3 }).map((parts) => parts.join('')) },
      { weight: 1, arbitrary: fc.constant(null) },
    );
    const calls = kvCalls({ fs: ['get', 'append', 'append', 'put'], keys: ['k'], values: fc.constantFrom(...long), reads });
    agreesWithBruteForce(raftsimKvModel, wholeKeys(raftsimKvModel), history(calls));
  });
});

/**
 * Many operations that never returned or timed out, each by its own client, over a tiny value
 * domain, so that many are twins (same input and output, see twins.ts).
 */
const twinHeavyHistories: fc.Arbitrary<Op[]> = fc.array(fc.record({
  call: fc.nat(6),
  duration: fc.nat(4),
  neverReturns: fc.boolean(),
  unknownIfOpen: chance(2, 3),
  unknownIfReturned: chance(1, 3),
  operation: registerCalls([0, 1]),
}), { minLength: 2, maxLength: 7 }).map((plans) => plans.map((plan, client): Op => {
  const unknown = plan.neverReturns ? plan.unknownIfOpen : plan.unknownIfReturned;
  return { client, call: plan.call, return: plan.neverReturns ? null : plan.call + plan.duration,
    input: plan.operation.input, output: unknown ? null : plan.operation.output };
}));

describe('twins change no verdict', () => {
  it(`agrees with brute force on ${RUNS} histories with many unfinished operations`, () => {
    agreesWithBruteForce(registerModel, registerModel, twinHeavyHistories);
  });
});
