/**
 * Per registered model (src/checker/models/registry.ts): arbitraries for its operations and
 * states, the reference the brute force checks against, and what a client observes. The property
 * tests run over every entry, and `modelCases` fails if a registered model is missing here.
 */
import fc from 'fast-check';
import { findModel, kvModel, modelNames, raftsimKvModel, registerModel, type AnyModel } from '../../src/checker/index.js';
import { kvCalls, registerCalls, type Call, type Input } from './arbitraries.js';
import { wholeKeys } from './bruteForce.js';

export interface ModelCase {
  readonly name: string;
  readonly model: AnyModel;
  /** Inputs and outputs over domains small enough that values often coincide. */
  readonly calls: fc.Arbitrary<Call>;
  /** States of the model (of one key, for kv models). */
  readonly states: fc.Arbitrary<unknown>;
  /** The same specification without partitioning, for the brute force. */
  readonly reference: AnyModel;
  /** The output a client sees for `input` in `state` (of its key). */
  readonly observe: (state: unknown, input: Input) => Record<string, unknown>;
  /** The operation that reads (its output is a `value`). */
  readonly read: string;
  /** A value no operation ever writes. */
  readonly neverWritten: unknown;
}

const xy = fc.string({ unit: fc.constantFrom('x', 'y'), maxLength: 3 });

const CASES: readonly ModelCase[] = [
  {
    name: 'register',
    model: registerModel,
    calls: registerCalls(),
    states: fc.integer({ min: -1, max: 2 }), // -1: absent
    reference: registerModel,
    observe: (state, input) => (input.f === 'read' ? { value: state === -1 ? null : state }
      : input.f === 'cas' ? { ok: state === input.from } : {}),
    read: 'read',
    neverWritten: 99,
  },
  {
    name: 'kv',
    model: kvModel,
    calls: kvCalls({ fs: ['get', 'put', 'append'], keys: ['a', 'b'], values: fc.constantFrom('x', 'y'),
      reads: fc.constantFrom('', 'x', 'y', 'xy', 'yx', 'xx') }),
    states: xy,
    reference: wholeKeys(kvModel),
    observe: (state, input) => (input.f === 'get' ? { value: state } : {}),
    read: 'get',
    neverWritten: 'never written',
  },
  {
    name: 'raftsim-kv',
    model: raftsimKvModel,
    calls: kvCalls({ fs: ['get', 'put', 'append', 'delete', 'cas'], keys: ['a', 'b'], values: fc.constantFrom('x', 'y'),
      reads: fc.constantFrom(null, '', 'x', 'y', 'xy', 'yx'), expected: fc.constantFrom(null, 'x', 'y') }),
    states: fc.option(xy, { nil: null }),
    reference: wholeKeys(raftsimKvModel),
    observe: (state, input) => (input.f === 'get' ? { value: state }
      : input.f === 'cas' ? { ok: state === input.expected } : {}),
    read: 'get',
    neverWritten: 'never written',
  },
];

/** Every registered model's case; throws if one is missing, so a new model cannot skip the properties. */
export function modelCases(): readonly ModelCase[] {
  const missing = modelNames().filter((name) => !CASES.some((c) => c.name === name));
  if (missing.length > 0) throw new Error(`no property-test case for model(s) ${missing.join(', ')} (test/checker/modelCases.ts)`);
  for (const c of CASES) if (findModel(c.name) !== c.model) throw new Error(`case ${c.name} is not the registered model`);
  return CASES;
}
