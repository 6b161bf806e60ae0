/** parseHistory: every kind of bad input gives one line naming the operation and field. */
import { describe, expect, it } from 'vitest';
import { parseHistory } from '../../src/checker/index.js';

const op = (fields: Record<string, unknown> = {}) =>
  ({ client: 0, call: 0, return: 1, input: { f: 'read' }, output: { value: null }, ...fields });
const history = (operations: unknown[], model: unknown = 'register') => JSON.stringify({ model, operations });

describe('parseHistory', () => {
  it('accepts a valid history', () => {
    const parsed = parseHistory(history([op(), op({ client: 1, return: null, output: null })]));
    expect(parsed.ok).toBe(true);
  });

  it.each([
    ['malformed JSON', '{"model": ', /^malformed JSON: /],
    ['not an object', '[]', /expected a JSON object, got an array/],
    ['missing operations', JSON.stringify({ model: 'register' }), /"operations" must be an array, it is missing/],
    ['missing model', JSON.stringify({ operations: [] }), /"model" must be a string, it is missing/],
    ['unknown model', history([], 'paxos'), /unknown model "paxos" \(known: register, kv, raftsim-kv\)/],
    ['missing field', history([op(), { client: 0, call: 2, input: { f: 'read' }, output: null }]),
      /^operations\[1\]\.return: missing/],
    ['wrong type', history([op({ call: '0' })]), /^operations\[0\]\.call: expected an integer, got string "0"/],
    ['return before call', history([op({ call: 5, return: 3 })]), /^operations\[0\]\.return: returns at 3, before its call at 5/],
    ['unknown operation', history([op({ input: { f: 'incr' } })]),
      /^operations\[0\]\.input\.f: unknown operation "incr" for model register/],
    ['bad input field', history([op({ input: { f: 'write', value: 'x' }, output: {} })]),
      /^operations\[0\]\.input\.value: expected an integer ≥ 0, got string "x"/],
    ['bad output field', history([op({ output: { value: 'x' } })]), /^operations\[0\]\.output\.value: expected an integer ≥ 0 or null/],
    ['output not an object', history([op({ output: 3 })]), /^operations\[0\]\.output: expected an object or null/],
    ['two operations outstanding', history([op({ return: 5 }), op({ call: 3, return: 7 })]),
      /client 0 has two operations outstanding at once: operations\[0\] \(returned at 5\) and operations\[1\]/],
    ['outstanding after a never-returned op', history([op({ return: null, output: null }), op({ call: 3, return: 7 })]),
      /client 0 has two operations outstanding at once: operations\[0\] \(never returned\)/],
    ['raftsim-kv get with a non-string value', history([op({ input: { f: 'get', key: 'k' }, output: { value: 1 } })], 'raftsim-kv'),
      /^operations\[0\]\.output\.value: expected a string or null, got number 1/],
  ])('rejects %s', (_name, text, message) => {
    const parsed = parseHistory(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.message).toMatch(message);
    expect(parsed.error.message).not.toContain('\n');
  });

  it('reports the operation index and field', () => {
    const parsed = parseHistory(history([op(), op({ client: 1, input: { f: 'cas', from: 1 }, output: { ok: true } })]));
    expect(parsed).toMatchObject({ ok: false, error: { operation: 1, field: 'input.to' } });
  });

  it('uses the model override instead of the file field', () => {
    const text = history([op({ input: { f: 'get', key: 'k' }, output: { value: null } })], 'register');
    expect(parseHistory(text).ok).toBe(false);
    expect(parseHistory(text, { model: 'raftsim-kv' }).ok).toBe(true);
  });

  it('lets a client call again at the instant its previous operation returned', () => {
    expect(parseHistory(history([op({ return: 5 }), op({ call: 5, return: 7 })])).ok).toBe(true);
  });
});
