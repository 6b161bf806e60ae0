/**
 * ddmin on synthetic predicates (no simulator): it reaches a 1-minimal list, cuts by halves first
 * (few tries for a large list), and stops when told.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ddmin } from '../../src/harness/ddmin.js';

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
      }), { numRuns: 100 });
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
