/**
 * ddmin on synthetic predicates (no simulator): it reaches a 1-minimal list, cuts by halves first
 * (few tries for a large list), and stops when told.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ddmin } from '../../src/harness/ddmin.js';
import { keepWindows, timeWindows, dropNode, opsInTimeOrder } from '../../src/harness/shrinkCuts.js';
import type { ExplicitSpec } from '../../src/harness/shrinkCuts.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('ddmin', () => {
  it('cuts 1,000 items down to the three a failure needs, in far fewer tries than one at a time', async () => {
    let tries = 0;
    const needs = [3, 517, 998];
    const result = await ddmin(range(1000), async (kept) => {
      tries++;
      return needs.every((item) => kept.includes(item));
    });
    expect(result).toEqual({ items: needs, oneMinimal: true });
    expect(tries).toBeLessThan(150);
  });

  it('ends 1-minimal for any predicate: leaving out any one item of the result no longer fails', async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 1000 }),
      async (length, threshold, salt) => {
        // Not monotone: a weighted sum over a threshold, and an odd count of "marked" items.
        const weight = (item: number): number => ((item * 7919 + salt) % 13) + 1;
        const fails = async (kept: readonly number[]): Promise<boolean> =>
          kept.reduce((sum, item) => sum + weight(item), 0) >= threshold && kept.filter((item) => (item + salt) % 5 === 0).length % 2 === 0;
        const items = range(length);
        if (!(await fails(items))) return;
        const result = await ddmin(items, fails);
        expect(result.oneMinimal).toBe(true);
        expect(await fails(result.items)).toBe(true);
        for (let i = 0; i < result.items.length; i++) {
          expect(await fails(result.items.filter((_, j) => j !== i))).toBe(false);
        }
      }), { numRuns: 200 });
  });

  it('stops when its budget says so, and says the result is not known to be minimal', async () => {
    let tries = 0;
    const result = await ddmin(range(100), async () => { tries++; return false; }, { stop: () => tries >= 5 });
    expect(tries).toBe(5);
    expect(result).toEqual({ items: range(100), oneMinimal: false });
  });

  it('startChunk 1 goes straight to single items', async () => {
    const tried: number[] = [];
    await ddmin(range(4), async (kept) => { tried.push(kept.length); return false; }, { startChunk: 1 });
    expect(tried).toEqual([3, 3, 3, 3]);
  });
});

describe('shrink cuts', () => {
  const spec = (faults: ExplicitSpec['faults'], durationMs = 1000): ExplicitSpec => ({
    scenario: {} as never, scenarioRef: 'x', seed: 1, swarm: false, bug: null, plans: [], faults, overrides: { durationMs },
  });

  it('a dropped time window takes its faults with it and moves later ones and the heal earlier', () => {
    const windows = timeWindows(1000, 4, 10);
    expect(windows.map((w) => [w.start, w.end])).toEqual([[0, 250], [250, 500], [500, 750], [750, 1000]]);
    const cut = keepWindows(spec([{ atMs: 100, kind: 'heal' }, { atMs: 300, kind: 'heal' }, { atMs: 800, kind: 'heal' }]), windows,
      [windows[0]!, windows[3]!]);
    expect(cut.faults).toEqual([{ atMs: 100, kind: 'heal' }, { atMs: 300, kind: 'heal' }]);
    expect(cut.overrides?.durationMs).toBe(500);
  });

  it('dropping a node drops the faults that name it and numbers the nodes above it down', () => {
    const cut = dropNode(spec([
      { atMs: 1, kind: 'crash', node: 2 }, { atMs: 2, kind: 'partition', groups: [[1, 3], [4, 5]] },
      { atMs: 3, kind: 'hold', from: 5, to: 1 }, { atMs: 4, kind: 'isolate', node: 'leader' },
    ]), 5, 2);
    expect(cut.faults).toEqual([
      { atMs: 2, kind: 'partition', groups: [[1, 2], [3, 4]] }, { atMs: 3, kind: 'hold', from: 4, to: 1 }, { atMs: 4, kind: 'isolate', node: 'leader' },
    ]);
    expect(cut.overrides?.nodes).toBe(4);
  });

  it('orders operations by position, then client, so that halves of the order are halves of the run', () => {
    const op = { thinkMs: 0, op: { f: 'get' as const, key: 'k1' } };
    expect(opsInTimeOrder([[op, op], [op], [op, op, op]]).map((r) => `${r.client}.${r.index}`))
      .toEqual(['0.0', '1.0', '2.0', '0.1', '2.1', '2.2']);
  });
});
