/**
 * The KV server's gets without a log entry (readMode 'read-index' or 'lease'; thesis §6.4 steps 3
 * and 4): a get asks the node for a ReadState, and is answered from local state once the state
 * machine has applied through the read's index; a read the node never confirms is answered
 * not-leader when this server stops leading its term.
 */
import { describe, expect, it } from 'vitest';
import { KvServer } from '../../src/kv/server.js';
import type { KvRequest } from '../../src/kv/types.js';
import type { Ready } from '../../src/raft/ready.js';
import type { KvCommand } from '../../src/kv/types.js';
import { FakeRaftNode, readyWith } from './fakeNode.js';

const put = (clientId: number, seq: number, value: string): KvRequest => ({ clientId, seq, op: { f: 'put', key: 'k', value } });
const get = (clientId: number, seq: number): KvRequest => ({ clientId, seq, op: { f: 'get', key: 'k' } });

function readIndexServer(): { node: FakeRaftNode; server: KvServer } {
  const node = new FakeRaftNode(1);
  node.becomeLeader(2);
  return { node, server: new KvServer({ node, snapshotEveryEntries: 0, clockMs: () => 0, readMode: 'read-index' }) };
}

function withReadStates(ready: Ready<KvCommand>, readStates: { ctx: number; index: number }[]): Ready<KvCommand> {
  return { ...ready, readStates };
}

describe('KvServer reads without a log entry', () => {
  /** Client `clientId` opens its session with a put at seq 1, applied. */
  function openSession(node: FakeRaftNode, server: KvServer, clientId: number): void {
    server.handleRequest(put(clientId, 1, 'open'));
    server.applyReady(readyWith(node.log.slice(-1)));
  }

  it("a client's first get goes through the log, opening its session; later gets do not", () => {
    const { node, server } = readIndexServer();
    expect(server.handleRequest(get(6, 1))).toBeNull();
    expect(node.log).toHaveLength(1);
    expect(node.readRequests).toEqual([]);
    expect(server.applyReady(readyWith(node.log))).toEqual([{ status: 'ok', clientId: 6, seq: 1, output: { value: null } }]);
    expect(server.handleRequest(get(6, 2))).toBeNull();
    expect(node.log).toHaveLength(1);
    expect(node.readRequests).toHaveLength(1);
    // A one-shot get has no session to open: it never needs the log.
    expect(server.handleRequest({ ...get(7, 1), oneShot: true })).toBeNull();
    expect(node.readRequests).toHaveLength(2);
  });

  it('a get puts nothing in the log, and is answered once its ReadState index is applied', () => {
    const { node, server } = readIndexServer();
    openSession(node, server, 6);
    expect(server.handleRequest(put(5, 1, 'v'))).toBeNull();
    expect(server.handleRequest(get(6, 2))).toBeNull();
    expect(node.log).toHaveLength(2);
    expect(node.readRequests).toHaveLength(1);
    const ctx = node.readRequests[0]!;
    // Confirmed at index 2, which is not applied yet: no answer.
    expect(server.applyReady(withReadStates(readyWith([]), [{ ctx, index: 2 }]))).toEqual([]);
    // Index 2 applies: the put is answered, then the read, with the value it wrote.
    expect(server.applyReady(readyWith(node.log.slice(1)))).toEqual([
      { status: 'ok', clientId: 5, seq: 1, output: expect.anything() },
      { status: 'ok', clientId: 6, seq: 2, output: { value: 'v' } },
    ]);
  });

  it('a read never confirmed is answered not-leader when the server stops leading its term', () => {
    const { node, server } = readIndexServer();
    openSession(node, server, 6);
    expect(server.handleRequest(get(6, 2))).toBeNull();
    expect(server.checkLeadership()).toEqual([]);
    node.becomeFollower(3, 2);
    expect(server.checkLeadership()).toEqual([{ status: 'not-leader', clientId: 6, seq: 2, leaderHint: 2 }]);
    // A late ReadState for it answers nothing: it was already answered.
    expect(server.applyReady(withReadStates(readyWith([]), [{ ctx: node.readRequests[0]!, index: 0 }]))).toEqual([]);
  });

  it('a retried get waits for the pending one; a newer seq replaces it', () => {
    const { node, server } = readIndexServer();
    openSession(node, server, 6);
    expect(server.handleRequest(get(6, 2))).toBeNull();
    expect(server.handleRequest(get(6, 2))).toBeNull();
    expect(node.readRequests).toHaveLength(1);
    expect(server.handleRequest(get(6, 3))).toBeNull();
    const [first, second] = node.readRequests;
    expect(server.applyReady(withReadStates(readyWith([]), [{ ctx: first!, index: 0 }, { ctx: second!, index: 0 }])))
      .toEqual([{ status: 'ok', clientId: 6, seq: 3, output: { value: 'open' } }]);
  });

  it("readMode 'log' (the default) still puts a get in the log", () => {
    const node = new FakeRaftNode(1);
    node.becomeLeader(2);
    const server = new KvServer({ node, snapshotEveryEntries: 0, clockMs: () => 0 });
    expect(server.handleRequest(get(6, 1))).toBeNull();
    expect(node.log).toHaveLength(1);
    expect(node.readRequests).toEqual([]);
  });
});
