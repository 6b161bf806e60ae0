/**
 * White-box: the search and the explanation with an indeterminate operation, called directly.
 * These pin internals (src/checker/search.ts, explain.ts, transitions.ts) and are expected to
 * change when those are refactored; the same rules are shown through checkOperations in
 * ../indeterminate.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { fillDefaults, registerModel, type Operation } from '../../../src/checker/index.js';
import { explainFailure } from '../../../src/checker/explain.js';
import { LinearizationSearch } from '../../../src/checker/search.js';
import { Transitions } from '../../../src/checker/transitions.js';

type Op = Operation<{ f: string; [field: string]: unknown }, Record<string, unknown>>;
const op = (client: number, call: number, ret: number | null, input: Op['input'], output: Op['output']): Op =>
  ({ client, call, return: ret, input, output });

describe('an indeterminate operation inside the search', () => {
  it('explainFailure blames the required operation even when the indeterminate one returned earlier', () => {
    const ops = [op(0, 0, 10, { f: 'write', value: 1 }, null), op(1, 20, 21, { f: 'read' }, { value: 2 })];
    const failure = explainFailure(fillDefaults(registerModel), ops as never, [0, 1], []);
    expect(failure.blocked).toBe(1);
    expect(failure.pending.map((p) => p.operation)).toEqual([0, 1]);
  });


  it('reaches the search with no deadline: an optional operation with a finite return is refused', () => {
    const transitions = new Transitions(fillDefaults(registerModel), [{ f: 'write', value: 1 }], [null]);
    const input = { calls: [0], optional: [true], preservesState: [false], earlierTwin: new Int32Array([-1]),
      transitions: transitions as Transitions<unknown, unknown, unknown> };
    expect(() => new LinearizationSearch({ ...input, returns: [10] })).toThrow(/must have return Infinity/);
    expect(new LinearizationSearch({ ...input, returns: [Infinity] }).result).toBe('linearizable');
  });
});
