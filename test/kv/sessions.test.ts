/**
 * Bounded sessions (issue 10): reads and one-shot requests keep nothing, idle sessions expire by
 * the log's clock at the same index on every replica, the table has a count bound, a client
 * without a session is refused `session-expired` (never applied twice), and a committed entry
 * that is not a command is the same `malformed-command` result everywhere, snapshot or not.
 */
import { describe, expect, it } from 'vitest';
import { KvServer } from '../../src/kv/server.js';
import { KvStateMachine } from '../../src/kv/stateMachine.js';
import type { KvCommand } from '../../src/kv/types.js';
import { FakeRaftNode, readyWith } from './fakeNode.js';

const put = (clientId: number, seq: number, timeMs: number, value = `v${seq}`): KvCommand =>
  ({ clientId, seq, timeMs, op: { f: 'put', key: 'k', value } });
const get = (clientId: number, seq: number, timeMs: number): KvCommand =>
  ({ clientId, seq, timeMs, op: { f: 'get', key: 'k' } });

/** Applies commands at the next indexes; returns the outputs. */
function applyAll(machine: KvStateMachine, commands: readonly unknown[]) {
  return commands.map((command) => machine.apply(command, machine.lastAppliedIndex + 1));
}

describe('what sessions keep', () => {
  it('600 reads of a 1 MB value leave a snapshot of a few KB: a read keeps its seq, not its output', () => {
    const machine = new KvStateMachine();
    applyAll(machine, [put(1, 1, 0, 'x'.repeat(1 << 20))]);
    for (let client = 2; client <= 601; client++) applyAll(machine, [get(client, 1, client)]);
    const sessionBytes = JSON.stringify(machine.snapshot().sessions).length;
    // Each session is about 20 bytes; the outputs (600 MB) were not kept.
    expect(sessionBytes).toBeLessThan(601 * 40);
    expect(machine.session(2)).toEqual({ seq: 1, output: null, lastActiveMs: 2 });
  });

  it('a one-shot request is applied but keeps no session', () => {
    const machine = new KvStateMachine();
    const outputs = applyAll(machine, [
      { ...put(1, 1, 0), oneShot: true },
      { ...get(2, 1, 0), oneShot: true },
    ]);
    expect(outputs).toEqual([{}, { value: 'v1' }]);
    expect(machine.sessionCount).toBe(0);
  });
});

describe('session expiry by the log clock', () => {
  it('a session idle past the bound expires; its next request is refused, not applied', () => {
    const machine = new KvStateMachine({ sessionExpiryMs: 1000 });
    applyAll(machine, [put(1, 1, 0, 'a'), put(2, 1, 500, 'b'), put(2, 2, 1000, 'c')]);
    expect(machine.session(1)?.seq).toBe(1); // idle exactly 1000: still there
    applyAll(machine, [put(2, 3, 1001, 'd')]);
    expect(machine.session(1)).toBeUndefined();
    expect(machine.sessionsExpired).toBe(1);
    expect(applyAll(machine, [put(1, 2, 1002, 'late')])).toEqual([{ error: 'session-expired' }]);
    expect(machine.read('k')).toBe('d');
    expect(machine.expiredRefusals).toBe(1);
  });

  it('a retry of an applied write after its session expired is refused, never applied twice', () => {
    const machine = new KvStateMachine({ sessionExpiryMs: 100 });
    applyAll(machine, [put(1, 1, 0, 'first'), { clientId: 1, seq: 2, timeMs: 10, op: { f: 'append', key: 'k', value: '+' } }]);
    applyAll(machine, [put(9, 1, 500, 'other')]);
    const retry: KvCommand = { clientId: 1, seq: 2, timeMs: 501, op: { f: 'append', key: 'k', value: '+' } };
    expect(applyAll(machine, [retry])).toEqual([{ error: 'session-expired' }]);
    expect(machine.read('k')).toBe('other');
  });

  it('a retried copy of seq 1 may not open a session: its first copy may have opened one that expired', () => {
    const machine = new KvStateMachine({ sessionExpiryMs: 100 });
    applyAll(machine, [put(1, 1, 0, 'once'), put(2, 1, 500, 'other')]);
    expect(applyAll(machine, [{ ...put(1, 1, 501, 'once'), retried: true }])).toEqual([{ error: 'session-expired' }]);
    expect(machine.read('k')).toBe('other');
    // A first copy opens one as usual.
    expect(applyAll(machine, [put(3, 1, 502, 'new')])).toEqual([{}]);
  });

  it('while no session was ever dropped, a retried seq 1 opens one (its first copy never did)', () => {
    const machine = new KvStateMachine({ sessionExpiryMs: 100 });
    expect(applyAll(machine, [{ ...put(1, 1, 0, 'a'), retried: true }])).toEqual([{}]);
    const restored = new KvStateMachine({ sessionExpiryMs: 100 });
    applyAll(machine, [put(2, 1, 500)]);
    restored.restore(machine.snapshot());
    expect(machine.snapshot().sessionsDropped).toBe(true);
    // The flag travels in the snapshot: the restored replica refuses as the original does.
    expect(applyAll(restored, [{ ...put(3, 1, 501), retried: true }])).toEqual([{ error: 'session-expired' }]);
  });

  it('stamps are made monotonic: a stamp from a slow leader never moves the clock back', () => {
    const machine = new KvStateMachine({ sessionExpiryMs: 100 });
    applyAll(machine, [put(1, 1, 1000), put(2, 1, 5), get(3, 1, 1050)]);
    expect(machine.clockMs).toBe(1050);
    // Client 2 was stamped 5 but applied when the clock read 1000: active at 1000.
    expect(machine.session(2)?.lastActiveMs).toBe(1000);
    applyAll(machine, [put(3, 2, 1101)]);
    expect(machine.session(1)).toBeUndefined();
    expect(machine.session(2)).toBeUndefined();
  });

  it('replicas expire the same sessions at the same index: expiry reads only the stamps in the log', () => {
    const log = [put(1, 1, 0), put(2, 1, 40), put(2, 2, 90), put(3, 1, 200), put(1, 2, 210), put(2, 3, 220)];
    const outputs = [0, 1].map(() => {
      const machine = new KvStateMachine({ sessionExpiryMs: 100 });
      return { outputs: applyAll(machine, log), snapshot: machine.snapshot() };
    });
    expect(outputs[1]).toEqual(outputs[0]);
    expect(outputs[0]!.outputs.slice(4)).toEqual([{ error: 'session-expired' }, { error: 'session-expired' }]);
  });

  it('expiry state travels in the snapshot: a restored replica goes on exactly like the original', () => {
    const before = [put(1, 1, 0), put(2, 1, 50), get(3, 1, 60)];
    const after = [put(4, 1, 120), put(1, 2, 121), put(2, 2, 149), get(3, 2, 161)];
    const original = new KvStateMachine({ sessionExpiryMs: 100 });
    applyAll(original, before);
    const restored = new KvStateMachine({ sessionExpiryMs: 100 });
    restored.restore(original.snapshot());
    expect(restored.clockMs).toBe(60);
    const expected = applyAll(original, after);
    expect(applyAll(restored, after)).toEqual(expected);
    expect(expected).toEqual([{}, { error: 'session-expired' }, {}, { error: 'session-expired' }]);
    expect(restored.snapshot()).toEqual(original.snapshot());
  });

});

describe('the count bound', () => {
  it('past maxSessions the least recently active session is evicted, the same way on every replica', () => {
    const log = [put(1, 1, 0), put(2, 1, 1), put(1, 2, 2), put(3, 1, 3), put(2, 2, 4), put(1, 3, 5)];
    const runs = [1, 2].map(() => {
      const machine = new KvStateMachine({ maxSessions: 2 });
      return { outputs: applyAll(machine, log), machine };
    });
    // Client 2 was least recently active when client 3 opened a session: evicted, then refused.
    expect(runs[0]!.outputs).toEqual([{}, {}, {}, {}, { error: 'session-expired' }, {}]);
    expect(runs[0]!.machine.sessionCount).toBe(2);
    expect(runs[0]!.machine.sessionsEvicted).toBe(1);
    expect(runs[1]!.machine.snapshot()).toEqual(runs[0]!.machine.snapshot());
  });

  it('rejects bounds that are not positive integers', () => {
    expect(() => new KvStateMachine({ maxSessions: 0 })).toThrow(/maxSessions/);
    expect(() => new KvStateMachine({ sessionExpiryMs: -1 })).toThrow(/sessionExpiryMs/);
  });
});

describe('malformed committed entries', () => {
  const malformed: unknown[] = [
    {}, 42, 'put', [], undefined,
    { clientId: 1, seq: 1 },
    { clientId: 'a', seq: 1, op: { f: 'get', key: 'k' } },
    { clientId: 1, seq: 0, op: { f: 'get', key: 'k' } },
    { clientId: 1, seq: 1, op: { f: 'launch', key: 'k' } },
    { clientId: 1, seq: 1, op: { f: 'put', key: 'k' } },
    { clientId: 1, seq: 1, op: { f: 'cas', key: 'k', expected: 3, value: 'v' } },
    { clientId: 1, seq: 1, op: { f: 'get', key: 'k' }, timeMs: 'late' },
    { clientId: 1, seq: 1, op: { f: 'get', key: 'k' }, oneShot: 'yes' },
  ];

  it.each(malformed.map((command) => [JSON.stringify(command) ?? 'undefined', command]))(
    '%s is applied as malformed-command on every replica, changing nothing', (_, command) => {
      const machine = new KvStateMachine();
      applyAll(machine, [put(1, 1, 7)]);
      const before = machine.snapshot();
      expect(applyAll(machine, [command])).toEqual([{ error: 'malformed-command' }]);
      expect(machine.lastAppliedIndex).toBe(2);
      expect(machine.snapshot()).toEqual({ ...before, lastAppliedIndex: 2 });
      expect(machine.malformedCommands).toBe(1);
    });

  it('a server applying one does not crash, before or after a snapshot, and answers the request that lost its index retry', () => {
    const node = new FakeRaftNode(1);
    node.becomeLeader(2);
    const server = new KvServer({ node, snapshotEveryEntries: 2, clockMs: () => 5 });
    expect(server.handleRequest({ clientId: 3, seq: 1, op: { f: 'put', key: 'k', value: 'v' } })).toBeNull();
    // A forged leader's entry took index 1 instead: a command shaped `{}`.
    const forged = { index: 1, term: 2, command: {} as KvCommand };
    const good = { index: 2, term: 2, command: put(4, 1, 5) };
    expect(server.applyReady(readyWith([forged, good]))).toEqual([{ status: 'retry', clientId: 3, seq: 1 }]);
    expect(node.compactions).toHaveLength(1);
    // A replica restarting from that snapshot, then applying the same bad entry again, agrees.
    const restarted = new KvStateMachine();
    restarted.restore(node.compactions[0]!.data as never);
    const replay = new KvStateMachine();
    applyAll(replay, [{}, put(4, 1, 5)]);
    expect(restarted.snapshot()).toEqual(replay.snapshot());
  });
});

describe('the server', () => {
  it('stamps each proposal with its clock, and sends a retried read through the log again', () => {
    const node = new FakeRaftNode(1);
    node.becomeLeader(2);
    let now = 100;
    const server = new KvServer({ node, snapshotEveryEntries: 0, clockMs: () => now });
    const read = { clientId: 5, seq: 1, op: { f: 'get' as const, key: 'k' } };
    server.handleRequest(read);
    server.applyReady(readyWith(node.log.slice(0)));
    expect(node.log[0]!.command).toEqual({ ...read, timeMs: 100 });
    now = 130;
    // The same seq again (its answer was lost): not answered from the table, proposed again.
    expect(server.handleRequest(read)).toBeNull();
    expect(node.log).toHaveLength(2);
    expect(node.log[1]!.command?.timeMs).toBe(130);
    expect(server.sessionHits).toBe(0);
  });

  it('answers session-expired when the entry is applied without a session', () => {
    const node = new FakeRaftNode(1);
    node.becomeLeader(2);
    const server = new KvServer({ node, snapshotEveryEntries: 0, clockMs: () => 0 });
    server.handleRequest({ clientId: 5, seq: 4, op: { f: 'put', key: 'k', value: 'v' } });
    expect(server.applyReady(readyWith(node.log.slice(0)))).toEqual([{ status: 'session-expired', clientId: 5, seq: 4 }]);
    expect(server.stateMachine.read('k')).toBeNull();
  });
});
