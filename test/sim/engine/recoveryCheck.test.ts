/**
 * The recovery check, alone: a node restarts from exactly its acknowledged writes plus a prefix of
 * the ones in flight, or the check says what is wrong.
 */
import { describe, expect, it } from 'vitest';
import type { PersistRequest } from '../../../src/raft/ready.js';
import type { DurableState, LogEntry } from '../../../src/raft/types.js';
import { RecoveryCheck } from '../../../src/sim/recoveryCheck.js';

const entry = (index: number, term: number, key = `k${index}`): LogEntry => ({ index, term, command: { clientId: 1, seq: index, op: { kind: 'put', key, value: 'v' } } });
const write = (id: number, entries: LogEntry[], term = 1, votedFor: number | null = 1): PersistRequest => ({ id, hardState: { term, votedFor }, snapshot: null, entries });
const state = (entries: LogEntry[], term = 1, votedFor: number | null = 1): DurableState => ({ hardState: { term, votedFor }, snapshot: null, entries });
/** A copy as recovery makes it: new objects, the same JSON. */
const copied = (s: DurableState): DurableState => JSON.parse(JSON.stringify(s)) as DurableState;

function checkWith(acked: PersistRequest[], inFlight: PersistRequest[]): RecoveryCheck {
  const check = new RecoveryCheck(3);
  for (const w of [...acked, ...inFlight]) check.started(2, w);
  for (const w of acked) check.acknowledged(2, w);
  return check;
}

describe('the recovery check', () => {
  const w1 = write(1, [entry(1, 1), entry(2, 1)]);
  const w2 = write(2, [entry(3, 1)]);
  const w3 = write(3, [entry(2, 2), entry(3, 2)], 2, 3);

  it('accepts exactly the acknowledged writes, recovered as new objects', () => {
    expect(checkWith([w1, w2], []).recovered(2, copied(state([entry(1, 1), entry(2, 1), entry(3, 1)])))).toBeNull();
  });

  it('accepts the acknowledged writes followed by any prefix of the writes in flight', () => {
    expect(checkWith([w1], [w2, w3]).recovered(2, state([entry(1, 1), entry(2, 1)]))).toBeNull();
    expect(checkWith([w1], [w2, w3]).recovered(2, state([entry(1, 1), entry(2, 1), entry(3, 1)]))).toBeNull();
    // The third write truncates from index 2 and moves to term 2 with a vote for n3.
    expect(checkWith([w1], [w2, w3]).recovered(2, state([entry(1, 1), entry(2, 2), entry(3, 2)], 2, 3))).toBeNull();
  });

  it('refuses a recovery that lost an acknowledged write', () => {
    expect(checkWith([w1, w2], []).recovered(2, state([entry(1, 1), entry(2, 1)]))).toMatch(/log ending at index 2 where it stored one ending at 3/);
  });

  it('refuses a write in flight kept out of order, or in part', () => {
    // The third write without the second: not a prefix.
    const skipped = state([entry(1, 1), entry(2, 2), entry(3, 2)], 1, 1);
    expect(checkWith([w1], [w2, w3]).recovered(2, skipped)).not.toBeNull();
    // Half of a write: its entries without its hard state.
    expect(checkWith([w1], [w3]).recovered(2, state([entry(1, 1), entry(2, 2), entry(3, 2)], 1, 1))).toMatch(/entry 2 as \(index 2, term 2\) where it stored term 1/);
  });

  it('refuses a changed command, a changed vote, an invented entry', () => {
    expect(checkWith([w1], []).recovered(2, state([entry(1, 1), entry(2, 1, 'other')]))).toMatch(/entry 2 .*another command/);
    expect(checkWith([w1], []).recovered(2, state([entry(1, 1), entry(2, 1)], 1, 2))).toMatch(/vote 2 where it stored term 1 vote 1/);
    expect(checkWith([w1], []).recovered(2, state([entry(1, 1), entry(2, 1), entry(3, 1)]))).toMatch(/ending at index 3 where it stored one ending at 2/);
  });

  it('takes the recovered state as the new base, and forgets a machine whose storage is gone', () => {
    const check = checkWith([w1], [w2]);
    expect(check.recovered(2, state([entry(1, 1), entry(2, 1), entry(3, 1)]))).toBeNull();
    // The kept write in flight is part of what must survive the next restart.
    expect(check.recovered(2, state([entry(1, 1), entry(2, 1)]))).not.toBeNull();
    check.discarded(2);
    expect(check.recovered(2, state([], 0, null))).toBeNull();
  });

  it('asserts that writes are acknowledged in the order they started', () => {
    const check = new RecoveryCheck(3);
    check.started(1, w1);
    check.started(1, w2);
    expect(() => check.acknowledged(1, w2)).toThrow(/acknowledged before write 1/);
  });
});
