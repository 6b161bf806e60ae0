import { describe, expect, it } from 'vitest';
import { RaftLog } from '../../../src/raft/log.js';
import { entriesOfTerms } from '../harness.js';

function logOf(terms: number[], snapshotIndex = 0, snapshotTerm = 0): RaftLog<string> {
  return new RaftLog<string>(snapshotIndex, snapshotTerm, entriesOfTerms(terms, snapshotIndex + 1));
}

describe('RaftLog (§5.3, §7)', () => {
  it('answers termAt in O(1) with the snapshot boundary and null outside', () => {
    const log = logOf([2, 3], 5, 2);
    expect([log.termAt(4), log.termAt(5), log.termAt(6), log.termAt(7), log.termAt(8)]).toEqual([null, 2, 2, 3, null]);
    expect([log.firstIndex, log.lastIndex, log.lastTerm]).toEqual([6, 7, 3]);
  });

  it('findConflict returns 0 when all entries match, else the first mismatching or new index', () => {
    const log = logOf([1, 1, 2]);
    expect(log.findConflict(entriesOfTerms([1, 1]), 0)).toBe(0);
    expect(log.findConflict(entriesOfTerms([1, 3, 3], 2), 0)).toBe(3);
    expect(log.findConflict(entriesOfTerms([2, 2], 3), 0)).toBe(4);
  });

  it('truncateFrom keeps the entries below the index', () => {
    const log = logOf([1, 1, 2, 2]);
    log.truncateFrom(3);
    expect(log.lastIndex).toBe(2);
    expect(() => logOf([1], 3, 1).truncateFrom(3)).toThrow();
  });

  it('append requires contiguity and non-decreasing terms', () => {
    const log = logOf([2]);
    expect(() => log.append(entriesOfTerms([2], 3), 0)).toThrow(/contiguous/);
    expect(() => log.append(entriesOfTerms([1], 2), 0)).toThrow(/decrease/);
  });

  it('compact drops the prefix and remembers the term at the new boundary', () => {
    const log = logOf([1, 1, 2, 2]);
    log.compact(3);
    expect([log.snapshotIndex, log.snapshotTerm, log.firstIndex, log.lastIndex]).toEqual([3, 2, 4, 4]);
    expect(log.entryAt(4)?.term).toBe(2);
    expect(log.slice(4, 4).map((e) => e.index)).toEqual([4]);
  });

  it('restoreSnapshot keeps a matching suffix and discards a conflicting log', () => {
    const keep = logOf([1, 2, 2, 2]);
    expect(keep.restoreSnapshot(2, 2, { voters: [1], learners: [] })).toBe(true);
    expect([keep.firstIndex, keep.lastIndex]).toEqual([3, 4]);
    const drop = logOf([1, 1, 1, 1]);
    expect(drop.restoreSnapshot(2, 2, { voters: [1], learners: [] })).toBe(false);
    expect([drop.snapshotIndex, drop.lastIndex, drop.lastTerm]).toEqual([2, 2, 2]);
  });

  it('firstIndexOfTermAt and lastIndexOfTerm find term boundaries for fast backtracking', () => {
    const log = logOf([1, 2, 2, 2, 4, 4]);
    expect(log.firstIndexOfTermAt(4)).toBe(2);
    expect(log.firstIndexOfTermAt(6)).toBe(5);
    expect(log.lastIndexOfTerm(2, 6)).toBe(4);
    expect(log.lastIndexOfTerm(3, 6)).toBe(0);
    expect(log.lastIndexOfTerm(4, 5)).toBe(5);
    // The run stops at the snapshot boundary.
    expect(logOf([2, 2], 3, 2).firstIndexOfTermAt(5)).toBe(4);
  });
});
