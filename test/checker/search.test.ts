/** Search semantics that the fixtures do not pin down: closed intervals, open ops, time-outs. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOperations, formatExplanation, parseHistory, registerModel, type Operation } from '../../src/checker/index.js';
import type { RegisterInput, RegisterOutput } from '../../src/checker/index.js';

type Op = Operation<RegisterInput, RegisterOutput>;
const write = (client: number, call: number, ret: number | null, value: number, known = true): Op =>
  ({ client, call, return: ret, input: { f: 'write', value }, output: known ? {} : null });
const read = (client: number, call: number, ret: number | null, value: number | null): Op =>
  ({ client, call, return: ret, input: { f: 'read' }, output: { value } });

describe('interval semantics', () => {
  it('an operation called at the instant another returns is concurrent with it', () => {
    // The read returns at 5 and the write is called at 5: the read may see the write.
    expect(checkOperations(registerModel, [write(0, 5, 9, 1), read(1, 0, 5, 1)]).result).toBe('linearizable');
    expect(checkOperations(registerModel, [write(0, 6, 9, 1), read(1, 0, 5, 1)]).result).toBe('not-linearizable');
  });

  it('a write that never returned may take effect late, or never', () => {
    const open = write(0, 0, null, 1, false);
    expect(checkOperations(registerModel, [open, read(1, 1, 2, null), read(1, 3, 4, 1)]).result).toBe('linearizable');
    expect(checkOperations(registerModel, [open, read(1, 1, 2, null)]).result).toBe('linearizable');
    expect(checkOperations(registerModel, [open, read(1, 1, 2, 1), read(1, 3, 4, null)]).result)
      .toBe('not-linearizable');
  });

  it('the empty history is linearizable', () => {
    expect(checkOperations(registerModel, []).result).toBe('linearizable');
  });

  it('explains a failure with the operation that could not be placed', () => {
    const ops = [write(0, 0, 1, 1), read(1, 2, 3, 2)];
    const result = checkOperations(registerModel, ops);
    expect(result.parts[0]!.failure).toMatchObject({ blocked: 1, pending: [{ operation: 1, legal: false }] });
    const text = formatExplanation(registerModel, ops, result).join('\n');
    expect(text).toContain('op 1 (client 1, 2–3) read() → 2: not allowed in this state');
    expect(text).toContain('1. op 0 (client 0, 0–1) write(1)');
  });

  it('handles a long history without deep recursion', () => {
    const ops = Array.from({ length: 10000 }, (_, i) => write(0, 2 * i, 2 * i + 1, i));
    expect(checkOperations(registerModel, ops).result).toBe('linearizable');
  });
});

describe('time-out', () => {
  const c50 = parseHistory(readFileSync(join(import.meta.dirname, '../fixtures/porcupine/kv/c50-ok.json'), 'utf8'));
  if (!c50.ok) throw new Error(c50.error.message);

  it('gives unknown when the clock jumps past the deadline before the search starts', () => {
    let reads = 0;
    const now = (): number => (reads++ === 0 ? 0 : 1e9);
    const result = checkOperations(c50.model, c50.history.operations, { timeoutMs: 1000, now });
    expect(result.result).toBe('unknown');
    expect(result.parts.every((part) => part.result === 'unknown')).toBe(true);
  });

  it('gives unknown, never a guess, when the deadline passes mid-search', () => {
    let time = 0;
    const now = (): number => (time += 1);
    const result = checkOperations(c50.model, c50.history.operations, { timeoutMs: 5, now });
    expect(result.result).toBe('unknown');
    expect(result.parts.some((part) => part.steps > 0)).toBe(true);
  });

  it('needs a clock', () => {
    expect(() => checkOperations(registerModel, [], { timeoutMs: 10 })).toThrow(/needs a clock/);
  });
});
