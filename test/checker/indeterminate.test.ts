/**
 * `output: null` is indeterminate, like Jepsen's `:info` (issue 8): the operation may take effect
 * any time after its call, or never, whatever its recorded return (when the client gave up).
 */
import { describe, expect, it } from 'vitest';
import {
  checkOperations, formatExplanation, kvModel, raftsimKvModel, registerModel, renderHtml,
  type AnyModel, type Operation,
} from '../../src/checker/index.js';

type Op = Operation<{ f: string; [field: string]: unknown }, Record<string, unknown>>;
const op = (client: number, call: number, ret: number | null, input: Op['input'], output: Op['output']): Op =>
  ({ client, call, return: ret, input, output });

/** Per model: a write of the new value, and a read that saw `value` (the initial value or the new one). */
const models = [
  {
    name: 'raftsim-kv', model: raftsimKvModel as AnyModel, initial: null, written: 'v',
    write: { f: 'put', key: 'k', value: 'v' }, read: { f: 'get', key: 'k' },
  },
  {
    name: 'register', model: registerModel as AnyModel, initial: null, written: 1,
    write: { f: 'write', value: 1 }, read: { f: 'read' },
  },
  {
    name: 'kv', model: kvModel as AnyModel, initial: '', written: 'v',
    write: { f: 'put', key: 'k', value: 'v' }, read: { f: 'get', key: 'k' },
  },
];

describe('output null: an indeterminate operation', () => {
  it.each(models)('$name: a write that timed out at 10 may take effect after it (read at 20 misses it, read at 30 sees it)',
    ({ model, initial, written, write, read }) => {
      const ops = [
        op(0, 0, 10, write, null),
        op(1, 20, 21, read, { value: initial }),
        op(1, 30, 31, read, { value: written }),
      ];
      expect(checkOperations(model, ops).result).toBe('linearizable');
    });

  it.each(models)('$name: a write that timed out may never take effect', ({ model, initial, write, read }) => {
    const ops = [op(0, 0, 10, write, null), op(1, 20, 21, read, { value: initial }), op(1, 30, 31, read, { value: initial })];
    expect(checkOperations(model, ops).result).toBe('linearizable');
  });

  it.each(models)('$name: cannot take effect before its call', ({ model, written, write, read }) => {
    const ops = [op(1, 0, 1, read, { value: written }), op(0, 5, 10, write, null)];
    expect(checkOperations(model, ops).result).toBe('not-linearizable');
  });

  it.each(models)('$name: once seen, its effect cannot be undone', ({ model, initial, written, write, read }) => {
    const ops = [
      op(0, 0, 10, write, null),
      op(1, 20, 21, read, { value: written }),
      op(1, 30, 31, read, { value: initial }),
    ];
    expect(checkOperations(model, ops).result).toBe('not-linearizable');
  });

  it('a cas that timed out still swaps only if the compare matches where it is placed', () => {
    const cas = { f: 'cas', from: 1, to: 2 };
    const base = [op(0, 0, 1, { f: 'write', value: 1 }, {}), op(1, 2, 5, cas, null)];
    // Placed after the read at 10 (still 1), before the read at 20.
    const late = [...base, op(2, 10, 11, { f: 'read' }, { value: 1 }), op(2, 20, 21, { f: 'read' }, { value: 2 })];
    expect(checkOperations(registerModel, late as never).result).toBe('linearizable');
    // After write(3) the compare fails; before it, write(3) overwrites the 2: never reads 2 at 10.
    const blocked = [...base, op(2, 6, 7, { f: 'write', value: 3 }, {}), op(2, 10, 11, { f: 'read' }, { value: 2 })];
    expect(checkOperations(registerModel, blocked as never).result).toBe('not-linearizable');
  });

  it('a read that timed out pins no state', () => {
    const ops = [
      op(0, 0, 1, { f: 'put', key: 'k', value: 'a' }, {}),
      op(1, 2, 9, { f: 'get', key: 'k' }, null),
      op(0, 3, 4, { f: 'put', key: 'k', value: 'b' }, {}),
      op(0, 5, 6, { f: 'get', key: 'k' }, { value: 'b' }),
    ];
    expect(checkOperations(raftsimKvModel, ops as never).result).toBe('linearizable');
  });

  it('is never the operation blamed for a failure, and is not said to have had to take effect by its return', () => {
    const ops = [op(0, 0, 10, { f: 'write', value: 1 }, null), op(1, 20, 21, { f: 'read' }, { value: 2 })];
    const result = checkOperations(registerModel, ops as never);
    expect(result.result).toBe('not-linearizable');
    expect(result.parts[0]!.failure!.blocked).toBe(1);
    const text = formatExplanation(registerModel, ops as never, result).join('\n');
    expect(text).toContain('op 1 returned at 21 and had to take effect before that.');
    expect(text).not.toContain('op 0 returned at');
  });

  it('keeps its recorded return in the history and in explanations', () => {
    const ops = [op(0, 0, 10, { f: 'write', value: 1 }, null), op(1, 20, 21, { f: 'read' }, { value: 2 })];
    const result = checkOperations(registerModel, ops as never);
    const text = formatExplanation(registerModel, ops as never, result).join('\n');
    expect(text).toContain('op 0 (client 0, 0–10) write(1) → ?');
    expect(ops[0]!.return).toBe(10);
  });

  it('is drawn at its linearization point even past its bar: the markers never go back in time', () => {
    const ops = [
      op(0, 0, 10, { f: 'write', value: 1 }, null),
      op(1, 20, 21, { f: 'read' }, { value: null }),
      op(1, 30, 31, { f: 'read' }, { value: 1 }),
    ];
    const result = checkOperations(registerModel, ops as never);
    expect(result.parts[0]!.linearization).toEqual([1, 0, 2]);
    const html = renderHtml({ model: 'register', operations: ops as never }, result, registerModel);
    const lefts = [...html.matchAll(/class="marker" style="left:(\d+)px/g)].map((match) => Number(match[1]));
    expect(lefts).toHaveLength(3);
    expect(lefts).toEqual([...lefts].sort((a, b) => a - b));
  });
});
