/**
 * The KV server as a follower serving gets (followerReads, thesis §6.4): the node forwards the
 * read to its leader, and the server answers from its own state once it has applied through the
 * leader's read index; a read whose leader or term changes before it is confirmed is answered
 * not-leader, and a retry of an unconfirmed one asks again.
 */
import { describe, expect, it } from 'vitest';
import { KvServer } from '../../src/kv/server.js';
import type { KvCommand, KvRequest } from '../../src/kv/types.js';
import type { LogEntry } from '../../src/raft/types.js';
import { FakeRaftNode, readyWith } from './fakeNode.js';

const get = (clientId: number, seq: number): KvRequest => ({ clientId, seq, op: { f: 'get', key: 'k' } });
const putEntry = (index: number, value: string): LogEntry<KvCommand> =>
  ({ index, term: 2, command: { clientId: 99, seq: index - 1, op: { f: 'put', key: 'k', value }, timeMs: 0 } });

/** A follower whose replica holds client 6's session (its put at seq 1 applied at index 1). */
function followerServer(followerReads = true): { node: FakeRaftNode; server: KvServer } {
  const node = new FakeRaftNode(2);
  node.becomeFollower(2, 1);
  const server = new KvServer({ node, snapshotEveryEntries: 0, clockMs: () => 0, readMode: 'read-index', followerReads });
  server.applyReady(readyWith([{ index: 1, term: 2, command: { clientId: 6, seq: 1, op: { f: 'put', key: 'k', value: 'open' }, timeMs: 0 } }]));
  return { node, server };
}

describe('KvServer follower reads', () => {
  it('serves a get once applied through the leader’s read index, not before', () => {
    const { node, server } = followerServer();
    expect(server.handleRequest(get(6, 2))).toBeNull();
    const ctx = node.readRequests[0]!;
    expect(server.applyReady({ ...readyWith([putEntry(2, 'a')]), readStates: [{ ctx, index: 3 }] })).toEqual([]);
    expect(server.applyReady(readyWith([putEntry(3, 'b')]))).toEqual([{ status: 'ok', clientId: 6, seq: 2, output: { value: 'b' } }]);
  });

  it("a client whose session this replica does not hold is redirected: its first get opens the session on the leader", () => {
    const { node, server } = followerServer();
    expect(server.handleRequest(get(8, 1))).toEqual({ status: 'not-leader', clientId: 8, seq: 1, leaderHint: 1 });
    expect(node.readRequests).toEqual([]);
  });

  it('without followerReads a follower redirects to its leader', () => {
    const { node, server } = followerServer(false);
    expect(server.handleRequest(get(6, 2))).toEqual({ status: 'not-leader', clientId: 6, seq: 2, leaderHint: 1 });
    expect(node.readRequests).toEqual([]);
  });

  it('a new term or leader before confirmation answers not-leader; a retry of an unconfirmed read asks again', () => {
    const { node, server } = followerServer();
    expect(server.handleRequest(get(6, 2))).toBeNull();
    expect(server.handleRequest(get(6, 2))).toBeNull();
    expect(node.readRequests).toHaveLength(2);
    expect(server.checkLeadership()).toEqual([]);
    node.becomeFollower(3, 3);
    expect(server.checkLeadership()).toEqual([{ status: 'not-leader', clientId: 6, seq: 2, leaderHint: 3 }]);
  });

  it('a confirmed read is not asked again on retry, and stays across a leader change', () => {
    const { node, server } = followerServer();
    server.handleRequest(get(6, 2));
    const ctx = node.readRequests[0]!;
    server.applyReady({ ...readyWith([]), readStates: [{ ctx, index: 2 }] });
    expect(server.handleRequest(get(6, 2))).toBeNull();
    expect(node.readRequests).toHaveLength(1);
    node.becomeFollower(3, 3);
    expect(server.checkLeadership()).toEqual([]);
    expect(server.applyReady(readyWith([putEntry(2, 'a')]))).toEqual([{ status: 'ok', clientId: 6, seq: 2, output: { value: 'a' } }]);
  });

  it('needs readMode read-index', () => {
    const node = new FakeRaftNode(2);
    expect(() => new KvServer({ node, snapshotEveryEntries: 0, clockMs: () => 0, followerReads: true })).toThrow(/read-index/);
  });
});
