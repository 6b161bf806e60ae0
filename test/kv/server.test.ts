import { describe, expect, it } from 'vitest';
import { AssertionError } from '../../src/raft/assert.js';
import { KvServer } from '../../src/kv/server.js';
import type { KvCommand, KvRequest, KvSnapshotData } from '../../src/kv/types.js';
import type { LogEntry } from '../../src/raft/types.js';
import { FakeRaftNode, readyWith } from './fakeNode.js';

const put = (clientId: number, seq: number, value: string): KvRequest =>
  ({ clientId, seq, op: { f: 'put', key: 'k', value } });

function leaderServer(snapshotEveryEntries = 0): { node: FakeRaftNode; server: KvServer } {
  const node = new FakeRaftNode(1);
  node.becomeLeader(2);
  return { node, server: new KvServer({ node, snapshotEveryEntries, clockMs: () => 0 }) };
}

/** Commits every entry the fake node's log holds beyond what the server has applied. */
function commitAll(node: FakeRaftNode, server: KvServer) {
  return server.applyReady(readyWith(node.log.slice(server.stateMachine.lastAppliedIndex)));
}

describe('KvServer', () => {
  it('answers not-leader with the leader hint on a follower', () => {
    const node = new FakeRaftNode(2);
    node.becomeFollower(3, 1);
    const server = new KvServer({ node, snapshotEveryEntries: 0, clockMs: () => 0 });
    expect(server.handleRequest(put(5, 1, 'v')))
      .toEqual({ status: 'not-leader', clientId: 5, seq: 1, leaderHint: 1 });
    expect(node.log).toEqual([]);
    expect(server.pendingCount).toBe(0);
  });

  it('answers overloaded, with nothing pending, when the leader refuses past its uncommitted bound', () => {
    const { node, server } = leaderServer();
    node.overUncommittedLimit = true;
    expect(server.handleRequest(put(5, 1, 'v'))).toEqual({ status: 'overloaded', clientId: 5, seq: 1 });
    expect(node.log).toEqual([]);
    expect(server.pendingCount).toBe(0);
    // Once the backlog commits the same seq is taken, and applied once.
    node.overUncommittedLimit = false;
    expect(server.handleRequest(put(5, 1, 'v'))).toBeNull();
    expect(commitAll(node, server)).toEqual([{ status: 'ok', clientId: 5, seq: 1, output: expect.anything() }]);
  });

  it('proposes, then answers ok with the output when the entry is applied', () => {
    const { node, server } = leaderServer();
    expect(server.handleRequest(put(5, 1, 'v'))).toBeNull();
    expect(server.handleRequest({ clientId: 5, seq: 2, op: { f: 'get', key: 'k' } })).toBeNull();
    expect(server.pendingCount).toBe(1);
    expect(commitAll(node, server)).toEqual([
      { status: 'ok', clientId: 5, seq: 2, output: { value: 'v' } },
    ]);
    expect(server.pendingCount).toBe(0);
  });

  it('applies no-op entries, answering nothing', () => {
    const { server } = leaderServer();
    const noop: LogEntry<KvCommand> = { index: 1, term: 2, command: null };
    expect(server.applyReady(readyWith([noop]))).toEqual([]);
    expect(server.stateMachine.lastAppliedIndex).toBe(1);
  });

  it('keeps one pending request for a duplicate (clientId, seq)', () => {
    const { node, server } = leaderServer();
    expect(server.handleRequest(put(5, 1, 'v'))).toBeNull();
    expect(server.handleRequest(put(5, 1, 'v'))).toBeNull();
    expect(node.log).toHaveLength(1);
    expect(commitAll(node, server)).toEqual([{ status: 'ok', clientId: 5, seq: 1, output: {} }]);
  });

  it('answers a request already applied from the session cache without proposing', () => {
    const { node, server } = leaderServer();
    const op = { f: 'cas', key: 'k', expected: null, value: 'v' } as const;
    const cas: KvRequest = { clientId: 5, seq: 1, op };
    server.handleRequest(cas);
    commitAll(node, server);
    expect(server.handleRequest(cas))
      .toEqual({ status: 'ok', clientId: 5, seq: 1, output: { ok: true } });
    expect(node.log).toHaveLength(1);
    // A stale copy of an even older seq gets no answer at all.
    server.handleRequest(put(5, 2, 'w'));
    commitAll(node, server);
    expect(server.handleRequest(put(5, 1, 'v'))).toBeNull();
    expect(node.log).toHaveLength(2);
  });

  it('answers retry when another entry takes the pending index', () => {
    const { server } = leaderServer();
    server.handleRequest(put(5, 1, 'mine'));
    // A new leader overwrote index 1 with its no-op, then another client's command.
    const responses = server.applyReady(readyWith([
      { index: 1, term: 3, command: null },
      { index: 2, term: 3, command: { ...put(6, 1, 'theirs') } },
    ]));
    expect(responses).toEqual([{ status: 'retry', clientId: 5, seq: 1 }]);
    expect(server.pendingCount).toBe(0);
  });

  it('answers retry for every pending request on leadership loss or a term change', () => {
    const { node, server } = leaderServer();
    server.handleRequest(put(5, 1, 'a'));
    server.handleRequest(put(6, 1, 'b'));
    expect(server.checkLeadership()).toEqual([]);
    node.becomeFollower(3, 2);
    expect(server.checkLeadership()).toEqual([
      { status: 'retry', clientId: 5, seq: 1 },
      { status: 'retry', clientId: 6, seq: 1 },
    ]);
    expect(server.pendingCount).toBe(0);

    server.applyReady(readyWith([]));
    node.becomeLeader(4);
    server.handleRequest(put(7, 1, 'c'));
    node.becomeLeader(5); // Re-elected: still leader, but the entry of term 4 may be lost.
    expect(server.checkLeadership()).toEqual([{ status: 'retry', clientId: 7, seq: 1 }]);
  });

  it('answers retry to pending requests covered by an installed snapshot', () => {
    const { node, server } = leaderServer();
    server.handleRequest(put(5, 1, 'a'));
    node.becomeFollower(3, 2);
    const data: KvSnapshotData = { lastAppliedIndex: 4, entries: [['k', 'z']], sessions: [] };
    const responses = server.applyReady(
      readyWith([], { lastIncludedIndex: 4, lastIncludedTerm: 3, data }));
    expect(responses).toEqual([{ status: 'retry', clientId: 5, seq: 1 }]);
    expect(server.stateMachine.read('k')).toBe('z');
    expect(server.stateMachine.lastAppliedIndex).toBe(4);
  });

  it('compacts when the applied index reaches the threshold', () => {
    const { node, server } = leaderServer(3);
    for (let seq = 1; seq <= 7; seq++) {
      server.handleRequest(put(5, seq, `v${seq}`));
      commitAll(node, server);
    }
    expect(node.compactions.map((c) => c.index)).toEqual([3, 6]);
    expect(node.compactions[1]?.data).toEqual({
      lastAppliedIndex: 6,
      entries: [['k', 'v6']],
      sessions: [[5, 6, {}, 0]],
      clockMs: 0,
    });
  });

  it('never compacts with snapshotEveryEntries 0', () => {
    const { node, server } = leaderServer(0);
    for (let seq = 1; seq <= 5; seq++) {
      server.handleRequest(put(5, seq, 'v'));
      commitAll(node, server);
    }
    expect(node.compactions).toEqual([]);
  });

  it('rejects a negative snapshotEveryEntries', () => {
    const node = new FakeRaftNode(1);
    expect(() => new KvServer({ node, snapshotEveryEntries: -1, clockMs: () => 0 })).toThrow(AssertionError);
  });
});
