/**
 * Vote rules through the node API. The stories told as golden files live in testdata/: one vote
 * per term (vote_one_per_term.txt), the up-to-date check (vote_up_to_date.txt), stepping down on a
 * higher term (vote_step_down.txt), and votes held until durable and kept across a crash
 * (election.txt, vote_durable.txt, vote_crash_before_fsync.txt).
 */
import { describe, expect, it } from 'vitest';
import { RaftNode } from '../../src/raft/index.js';
import type { Message } from '../../src/raft/index.js';
import { Cluster, MemoryStorage, drain, makeConfig, nodeWithLog, rv, voteFor } from './harness.js';

function votesIn(messages: Message<string>[]): Array<[number, boolean, number]> {
  return messages.flatMap((m) => (m.type === 'RequestVoteResponse' ? [[m.to, m.granted, m.term] as [number, boolean, number]] : []));
}

describe('RequestVote (§5.2, §5.4.1)', () => {
  it('grants again to the same candidate (a retried RequestVote) in the same term', () => {
    const n1 = nodeWithLog(1, [1, 2, 3], 1, [1]);
    n1.step(rv(2, 1, 2, 1, 1));
    n1.step(rv(2, 1, 2, 1, 1));
    expect(votesIn(drain(n1).messages)).toEqual([[2, true, 2], [2, true, 2]]);
  });

  it('answers a RequestVote of an older term with a refusal carrying its own term (§5.1)', () => {
    const n1 = nodeWithLog(1, [1, 2, 3], 5, [1]);
    n1.step(rv(2, 1, 3, 9, 4));
    expect(votesIn(drain(n1).messages)).toEqual([[2, false, 5]]);
    expect(n1.term).toBe(5);
  });

  it('ignores vote responses of an older term (§5.1)', () => {
    const n1 = nodeWithLog(1, [1, 2, 3], 1, [1]);
    for (let t = 0; t < 10; t++) n1.tick();
    n1.tick(); // still candidate, term 2
    drain(n1);
    expect(n1.role).toBe('candidate');
    n1.step(voteFor(2, 1, 1, true));
    expect(n1.role).toBe('candidate');
  });

  it('granting a vote resets the election timer (§5.2)', () => {
    // Arrange: n1's timeout is 10 ticks; 9 pass.
    const n1 = nodeWithLog(1, [1, 2, 3], 1, [1]);
    for (let t = 0; t < 9; t++) n1.tick();
    // Act: grant a vote, then 9 more ticks.
    n1.step(rv(2, 1, 2, 1, 1));
    for (let t = 0; t < 9; t++) n1.tick();
    // Assert: no election was started.
    expect(n1.role).toBe('follower');
    expect(n1.term).toBe(2);
  });
});

describe('elections end to end (§5.2)', () => {
  it.each([1, 3, 5])('a %i-node cluster elects exactly one leader, which commits its no-op', (n) => {
    // Arrange
    const cluster = new Cluster(n);
    // Act: node 1 times out first.
    cluster.tickAll(ELECTION_TICKS);
    // Assert
    expect(cluster.leaders()).toEqual([1]);
    const leader = cluster.node(1);
    expect(leader.entryAt(1)).toEqual({ index: 1, term: 1, command: null });
    cluster.tickAll(2);
    for (const id of cluster.ids) {
      expect(cluster.node(id).commitIndex).toBe(1);
      expect(cluster.node(id).leaderId).toBe(1);
      expect(cluster.app(id).map((e) => e.command)).toEqual([null]);
    }
  });
});

const ELECTION_TICKS = 10;

describe('a candidate counts its own vote only once it is durable (§5.2, Figure 2)', () => {
  function timeOut(node: RaftNode<string>): void {
    for (let guard = 0; node.role === 'follower'; guard++) {
      if (guard > 100) throw new Error('never timed out');
      node.tick();
    }
  }

  it('a single voter stays candidate until its term and vote are durable, then leads', () => {
    const n1 = new RaftNode<string>(makeConfig(1, [1]));
    timeOut(n1);
    expect(n1.role).toBe('candidate');
    const request = n1.ready().persist!;
    expect(request.hardState).toEqual({ term: 1, votedFor: 1 });
    expect(n1.role).toBe('candidate');
    n1.persisted(request.id);
    expect(n1.role).toBe('leader');
  });

  it('a crash before that fsync cannot make one node lead the same term twice', () => {
    // The first life campaigns and crashes with nothing durable: storage still holds term 0.
    const storage = new MemoryStorage();
    const first = new RaftNode<string>(makeConfig(1, [1]));
    timeOut(first);
    first.ready();
    expect(first.role).toBe('candidate');
    // The second life campaigns for term 1 again; only now, with its vote durable, does it lead.
    const second = new RaftNode<string>(makeConfig(1, [1]), { hardState: storage.hardState, snapshot: null, entries: [] });
    timeOut(second);
    expect(second.term).toBe(1);
    drain(second, storage);
    expect(second.role).toBe('leader');
    expect(storage.hardState).toEqual({ term: 1, votedFor: 1 });
  });
});
