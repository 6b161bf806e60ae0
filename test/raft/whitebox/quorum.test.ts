import { describe, expect, it } from 'vitest';
import { majority, quorumIndex, voteResult } from '../../../src/raft/quorum.js';

/** Naive: the largest index that at least a majority of the values reach. */
function naiveQuorumIndex(values: number[]): number {
  let best = 0;
  for (const candidate of values) {
    const holders = values.filter((v) => v >= candidate).length;
    if (holders >= majority(values.length) && candidate > best) best = candidate;
  }
  return best;
}

describe('quorum (§5.3, §5.2)', () => {
  it.each([
    [[5], 5],
    [[3, 1], 1],
    [[3, 2, 1], 2],
    [[9, 9, 1, 1, 1], 1],
    [[9, 9, 8, 1, 1], 8],
  ])('quorumIndex(%j) = %i', (values, expected) => {
    expect(quorumIndex([...values])).toBe(expected);
  });

  it('quorumIndex agrees with a naive count on 500 pseudo-random inputs (seed 42)', () => {
    let state = 42;
    const next = (): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state;
    };
    for (let k = 0; k < 500; k++) {
      const values = Array.from({ length: 1 + (next() % 7) }, () => next() % 20);
      expect(quorumIndex([...values])).toBe(naiveQuorumIndex(values));
    }
  });

  it.each([
    [1, 0, 1, 'won'],
    [2, 0, 3, 'won'],
    [1, 1, 3, 'pending'],
    [1, 2, 3, 'lost'],
    [2, 2, 5, 'pending'],
    [1, 3, 5, 'lost'],
    [2, 1, 4, 'pending'],
    [2, 2, 4, 'lost'],
  ] as const)('voteResult(granted %i, rejected %i, voters %i) = %s', (g, r, n, expected) => {
    expect(voteResult(g, r, n)).toBe(expected);
  });
});
