/**
 * checkHistory and models, the library API (issue 12, item 9), on histories a user would write;
 * and the checker page's structure as plain strings (failing first, totals, index, sticky labels).
 */
import { describe, expect, it } from 'vitest';
import {
  checkHistory, checkOperations, HistoryValidationError, models, renderCheckPage, renderHtml,
  type HtmlSection, type Operation, type RegisterInput, type RegisterOutput,
} from '../../src/checker/index.js';

type RegisterOp = Operation<RegisterInput, RegisterOutput>;

/** Client 1 writes 1; client 2's read overlaps it and sees 1. */
const fine: RegisterOp[] = [
  { client: 1, call: 0, return: 10, input: { f: 'write', value: 1 }, output: {} },
  { client: 2, call: 5, return: 15, input: { f: 'read' }, output: { value: 1 } },
];
/** The same write, then a read that starts after it returned and still sees nothing: a stale read. */
const stale: RegisterOp[] = [
  { client: 1, call: 0, return: 10, input: { f: 'write', value: 1 }, output: {} },
  { client: 2, call: 20, return: 30, input: { f: 'read' }, output: { value: null } },
];

describe('checkHistory', () => {
  it('says linearizable, with nothing to blame', () => {
    const verdict = checkHistory(fine, models.register);
    expect(verdict).toMatchObject({ verdict: 'linearizable', linearizable: true, offending: [], explanation: [] });
  });

  it('says not linearizable and names the stale read, in a bare list or a {operations} object, or by model name', () => {
    for (const verdict of [checkHistory(stale, models.register), checkHistory({ operations: stale }, 'register')]) {
      expect(verdict.verdict).toBe('not-linearizable');
      expect(verdict.linearizable).toBe(false);
      expect(verdict.offending).toEqual([{ index: 1, operation: stale[1], part: 'all' }]);
      expect(verdict.explanation.join('\n')).toContain('op 1 returned at 30 and had to take effect before that.');
    }
  });

  it('checks each key on its own with the kv model and blames the key that fails', () => {
    const history = [
      { client: 1, call: 0, return: 5, input: { f: 'put', key: 'x', value: 'a' }, output: {} },
      { client: 2, call: 6, return: 9, input: { f: 'get', key: 'x' }, output: { value: 'a' } },
      { client: 3, call: 0, return: 5, input: { f: 'append', key: 'y', value: 'b' }, output: {} },
      { client: 4, call: 6, return: 9, input: { f: 'get', key: 'y' }, output: { value: '' } },
    ];
    const verdict = checkHistory(history, models.kv);
    expect(verdict.verdict).toBe('not-linearizable');
    expect(verdict.offending.map((o) => [o.index, o.part])).toEqual([[3, 'key "y"']]);
  });

  it('takes a model of the user\'s own', () => {
    const counter = {
      name: 'counter',
      init: () => 0,
      step: (state: number, input: { f: 'inc' | 'get' }, output: { value?: number } | null) =>
        input.f === 'inc' ? { ok: true, state: state + 1 } : { ok: output === null || output.value === state, state },
    };
    const ops = (seen: number) => [
      { client: 1, call: 0, return: 1, input: { f: 'inc' as const }, output: {} },
      { client: 1, call: 2, return: 3, input: { f: 'get' as const }, output: { value: seen } },
    ];
    expect(checkHistory(ops(1), counter).verdict).toBe('linearizable');
    expect(checkHistory(ops(2), counter).offending.map((o) => o.index)).toEqual([1]);
  });

  it('gives unknown, not a guess, when the time runs out, with the caller\'s clock', () => {
    let now = 0;
    const verdict = checkHistory(stale, models.register, { timeoutMs: 0, now: () => now++ });
    expect(verdict).toMatchObject({ verdict: 'unknown', linearizable: false, stoppedBy: 'timeout' });
  });

  it('refuses a malformed history with the operation and field named, and an unknown model name', () => {
    const bad = [{ client: 1, call: 0, return: 1, input: { f: 'write', value: -1 }, output: {} }] as never;
    expect(() => checkHistory(bad, models.register)).toThrow(HistoryValidationError);
    expect(() => checkHistory(bad, models.register)).toThrow(/operations\[0\]\.input\.value/);
    expect(() => checkHistory(fine, 'regster')).toThrow(/unknown model "regster" \(known: register, kv, raftsim-kv\)/);
  });
});

describe('the checker page, as text', () => {
  const section = (title: string, ops: RegisterOp[], timeout = false): HtmlSection => {
    let now = 0;
    const result = checkOperations(models.register, ops, timeout ? { timeoutMs: 0, now: () => now++ } : {});
    return { title, history: { model: 'register', operations: ops }, result, model: models.register };
  };

  it('one history: no index, labels in a sticky column', () => {
    const html = renderHtml({ model: 'register', operations: stale }, checkHistory(stale, models.register).result, models.register);
    expect(html).not.toContain('id="index"');
    expect(html).not.toContain('id="totals"');
    expect(html).toMatch(/\.lanes \{ position: sticky; left: 0;/);
    expect(html).toContain('<div class="lanes"');
  });

  it('many histories: totals, then an index and sections, failing first, unknown next', () => {
    const html = renderCheckPage([section('a.json', fine), section('b.json', stale), section('c.json', fine, true), section('d.json', stale)]);
    expect(html).toContain('4 histories: <span class="verdict-not-linearizable" data-total="not-linearizable">2 not linearizable</span>, ' +
      '<span class="verdict-unknown" data-total="unknown">1 unknown</span>, <span class="verdict-linearizable" data-total="linearizable">1 linearizable</span>');
    const index = [...html.matchAll(/<li data-verdict="[^"]+"><a href="#history-(\d)">([^<]+)<\/a>/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(index).toEqual(['1 b.json', '3 d.json', '2 c.json', '0 a.json']);
    const sections = [...html.matchAll(/<section id="history-(\d)"/g)].map((m) => m[1]);
    expect(sections).toEqual(['1', '3', '2', '0']);
    expect(html.indexOf('id="index"')).toBeLessThan(html.indexOf('<section'));
  });
});
