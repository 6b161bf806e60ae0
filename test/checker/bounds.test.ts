/**
 * The checker's limits and invariants: its searches stop at a memory bound with `unknown` (never
 * a crash, never a guess), and its state changes check their pre- and postconditions, so a typed
 * array can never drop a write silently.
 */
import { describe, expect, it } from 'vitest';
import { checkOperations, CheckerInvariantError, registerModel, type Operation } from '../../src/checker/index.js';
import { Bitset } from '../../src/checker/bitset.js';
import { EventList } from '../../src/checker/events.js';

type Op = Operation<{ f: string; value?: number }, { value?: number | null }>;

/** Clients writing distinct values at overlapping times, then a read of the last: a wide search. */
function overlappingWrites(writers: number): Op[] {
  const ops: Op[] = [];
  for (let i = 0; i < writers; i++) ops.push({ client: i, call: i, return: 100 + i, input: { f: 'write', value: i }, output: {} });
  ops.push({ client: writers, call: 200, return: 201, input: { f: 'read' }, output: { value: 0 } });
  return ops;
}

describe('the memory bound', () => {
  it('stops a search past it with unknown, and says why', () => {
    const ops = overlappingWrites(12);
    expect(checkOperations(registerModel, ops).result).toBe('linearizable');
    const bounded = checkOperations(registerModel, ops, { maxMemoryBytes: 1 });
    expect(bounded.result).toBe('unknown');
    expect(bounded.stoppedBy).toBe('memory');
  });

  it('names no reason when the search finished', () => {
    expect(checkOperations(registerModel, overlappingWrites(3)).stoppedBy).toBeUndefined();
  });
});

describe('invariants where the search changes state', () => {
  it('a bitset refuses to set a member twice, clear a non-member, or go out of range', () => {
    const set = new Bitset(40);
    set.set(39);
    expect(() => set.set(39)).toThrow(CheckerInvariantError);
    expect(() => set.clear(3)).toThrow(CheckerInvariantError);
    expect(() => set.set(40)).toThrow(CheckerInvariantError);
    expect(() => set.set(-1)).toThrow(CheckerInvariantError);
    set.clear(39);
    expect(set.hash).toBe(0);
  });

  it('the event list refuses to lift an entry twice or to lift a return', () => {
    const events = new EventList([0, 1], [5, 6]);
    const first = events.next[events.head]!;
    events.lift(first);
    expect(() => events.lift(first)).toThrow(CheckerInvariantError);
    events.unlift(first);
    const aReturn = [...Array(events.tail).keys()].find((entry) => entry > 0 && !events.isCall(entry))!;
    expect(() => events.lift(aReturn)).toThrow(CheckerInvariantError);
  });
});
