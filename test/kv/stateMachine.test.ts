import { describe, expect, it } from 'vitest';
import { AssertionError } from '../../src/raft/assert.js';
import { KvStateMachine } from '../../src/kv/stateMachine.js';
import type { KvCommand, KvErrorOutput, KvOperation, KvOutput } from '../../src/kv/types.js';

/** Applies ops as client 1 with seq 1, 2, … at indexes 1, 2, …; returns the outputs. */
function run(machine: KvStateMachine, ops: readonly KvOperation[]): (KvOutput | KvErrorOutput | null)[] {
  return ops.map((op) => {
    const index = machine.lastAppliedIndex + 1;
    return machine.apply({ clientId: 1, seq: index, op }, index);
  });
}

describe('KvStateMachine semantics', () => {
  it('get of an absent key is null, of a key holding "" is ""', () => {
    const machine = new KvStateMachine();
    expect(run(machine, [
      { f: 'get', key: 'k' },
      { f: 'put', key: 'k', value: '' },
      { f: 'get', key: 'k' },
    ])).toEqual([{ value: null }, {}, { value: '' }]);
  });

  it('put overwrites, append concatenates, append to absent acts like put', () => {
    const machine = new KvStateMachine();
    expect(run(machine, [
      { f: 'append', key: 'a', value: 'x' },
      { f: 'append', key: 'a', value: 'y' },
      { f: 'put', key: 'b', value: '1' },
      { f: 'put', key: 'b', value: '2' },
      { f: 'get', key: 'a' },
      { f: 'get', key: 'b' },
    ])).toEqual([{}, {}, {}, {}, { value: 'xy' }, { value: '2' }]);
  });

  it('delete removes the key (absent, not ""), and deleting an absent key is fine', () => {
    const machine = new KvStateMachine();
    expect(run(machine, [
      { f: 'put', key: 'k', value: 'v' },
      { f: 'delete', key: 'k' },
      { f: 'get', key: 'k' },
      { f: 'delete', key: 'k' },
    ])).toEqual([{}, {}, { value: null }, {}]);
    expect(machine.size).toBe(0);
  });

  it.each([
    { name: 'expected null on absent key creates', before: null, expected: null, ok: true },
    { name: 'expected null on existing key fails', before: 'v', expected: null, ok: false },
    { name: 'expected "" on absent key fails', before: null, expected: '', ok: false },
    { name: 'expected null on "" fails', before: '', expected: null, ok: false },
    { name: 'expected "" on "" succeeds', before: '', expected: '', ok: true },
    { name: 'matching value succeeds', before: 'v', expected: 'v', ok: true },
    { name: 'different value fails', before: 'v', expected: 'w', ok: false },
  ])('cas: $name', ({ before, expected, ok }) => {
    const machine = new KvStateMachine();
    if (before !== null) run(machine, [{ f: 'put', key: 'k', value: before }]);
    const [output] = run(machine, [{ f: 'cas', key: 'k', expected, value: 'new' }]);
    expect(output).toEqual({ ok });
    expect(machine.read('k')).toBe(ok ? 'new' : before);
  });

  it('no-ops advance the index without touching state', () => {
    const machine = new KvStateMachine();
    run(machine, [{ f: 'put', key: 'k', value: 'v' }]);
    const before = machine.snapshot();
    machine.applyNoop(2);
    expect(machine.lastAppliedIndex).toBe(2);
    expect(machine.snapshot()).toEqual({ ...before, lastAppliedIndex: 2 });
  });

  it('asserts that indexes are applied exactly in order', () => {
    const machine = new KvStateMachine();
    const command: KvCommand = { clientId: 1, seq: 1, op: { f: 'get', key: 'k' } };
    expect(() => machine.apply(command, 2)).toThrow(AssertionError);
    machine.applyNoop(1);
    expect(() => machine.applyNoop(1)).toThrow(AssertionError);
  });
});

describe('KvStateMachine exactly-once', () => {
  const append: KvCommand = { clientId: 7, seq: 1, op: { f: 'append', key: 'k', value: 'x' } };

  it('a command applied twice changes state once and returns the same output', () => {
    const machine = new KvStateMachine();
    const first = machine.apply(append, 1);
    const second = machine.apply(append, 2);
    expect(second).toEqual(first);
    expect(machine.read('k')).toBe('x');
    expect(machine.lastAppliedIndex).toBe(2);
  });

  it('a duplicated get runs again at its own place in the log (reads are not kept)', () => {
    const machine = new KvStateMachine();
    const get: KvCommand = { clientId: 7, seq: 1, op: { f: 'get', key: 'k' } };
    machine.apply(get, 1);
    machine.apply({ clientId: 8, seq: 1, op: { f: 'put', key: 'k', value: 'v' } }, 2);
    expect(machine.session(7)).toEqual({ seq: 1, output: null, lastActiveMs: 0 });
    expect(machine.apply(get, 3)).toEqual({ value: 'v' });
  });

  it('a seq older than the latest is not applied and returns null', () => {
    const machine = new KvStateMachine();
    machine.apply(append, 1);
    machine.apply({ ...append, seq: 2, op: { f: 'put', key: 'k', value: 'p' } }, 2);
    expect(machine.apply(append, 3)).toBeNull();
    expect(machine.read('k')).toBe('p');
    expect(machine.session(7)?.seq).toBe(2);
  });

  it('sessions are per client', () => {
    const machine = new KvStateMachine();
    machine.apply(append, 1);
    machine.apply({ ...append, clientId: 8 }, 2);
    expect(machine.read('k')).toBe('xx');
  });
});

describe('KvStateMachine snapshots', () => {
  function build(order: 'forward' | 'backward'): KvStateMachine {
    const machine = new KvStateMachine();
    const commands: KvCommand[] = [
      { clientId: 3, seq: 1, op: { f: 'put', key: 'b', value: '2' } },
      { clientId: 1, seq: 1, op: { f: 'put', key: 'a', value: '1' } },
      { clientId: 2, seq: 1, op: { f: 'put', key: 'c', value: '' } },
      { clientId: 10, seq: 1, op: { f: 'cas', key: 'd', expected: null, value: '4' } },
    ];
    const ordered = order === 'forward' ? commands : [...commands].reverse();
    ordered.forEach((command, i) => machine.apply(command, i + 1));
    return machine;
  }

  it('restore(snapshot()) round-trips state, sessions and index', () => {
    const source = build('forward');
    const target = new KvStateMachine();
    target.restore(source.snapshot());
    expect(target.snapshot()).toEqual(source.snapshot());
    expect(target.read('c')).toBe('');
    expect(target.read('z')).toBeNull();
    expect(target.session(10)).toEqual({ seq: 1, output: { ok: true }, lastActiveMs: 0 });
    expect(target.lastAppliedIndex).toBe(4);
  });

  it('keeps keys sorted whatever the insertion order, and sessions in activity order', () => {
    const forward = build('forward').snapshot();
    const backward = build('backward').snapshot();
    expect(backward.entries).toEqual(forward.entries);
    expect(forward.entries.map(([key]) => key)).toEqual(['a', 'b', 'c', 'd']);
    // Sessions expire and are evicted least recently active first: that order is state too.
    expect(forward.sessions.map(([clientId]) => clientId)).toEqual([3, 1, 2, 10]);
    expect(backward.sessions.map(([clientId]) => clientId)).toEqual([10, 2, 1, 3]);
  });

  it('a restored machine still detects duplicates', () => {
    const source = new KvStateMachine();
    const append: KvCommand = { clientId: 1, seq: 1, op: { f: 'append', key: 'k', value: 'x' } };
    source.apply(append, 1);
    const target = new KvStateMachine();
    target.restore(source.snapshot());
    target.apply(append, 2);
    expect(target.read('k')).toBe('x');
  });

  it('restore replaces any previous state', () => {
    const target = build('forward');
    target.restore({ lastAppliedIndex: 9, entries: [['z', 'last']], sessions: [] });
    expect(target.snapshot())
      .toEqual({ lastAppliedIndex: 9, entries: [['z', 'last']], sessions: [], clockMs: 0 });
  });
});
