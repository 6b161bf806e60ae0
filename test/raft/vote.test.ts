import { describe, expect, it } from 'vitest';
import { RaftNode } from '../../src/raft/index.js';
import type { Message } from '../../src/raft/index.js';
import { Cluster, MemoryStorage, aeOk, drain, makeConfig, nodeWithLog, rv, voteFor } from './harness.js';

function votesIn(messages: Message<string>[]): Array<[number, boolean, number]> {
  return messages.flatMap((m) => (m.type === 'RequestVoteResponse' ? [[m.to, m.granted, m.term] as [number, boolean, number]] : []));
}

describe('RequestVote (§5.2, §5.4.1)', () => {
  it('grants a vote to a candidate whose log is as up-to-date', () => {
    // Arrange: n1 has log terms [1,1] in term 1.
    const n1 = nodeWithLog(1, [1, 2, 3], 1, [1, 1]);
    // Act: n2 asks in term 2 with an equal log.
    n1.step(rv(2, 1, 2, 2, 1));
    // Assert
    expect(votesIn(drain(n1).messages)).toEqual([[2, true, 2]]);
    expect(n1.status().votedFor).toBe(2);
  });

  it('grants a vote to a candidate with a longer log of the same last term', () => {
    const n1 = nodeWithLog(1, [1, 2, 3], 1, [1, 1]);
    n1.step(rv(2, 1, 2, 5, 1));
    expect(votesIn(drain(n1).messages)).toEqual([[2, true, 2]]);
  });

  it('refuses a candidate whose last log term is older, even if its log is longer (§5.4.1)', () => {
    const n1 = nodeWithLog(1, [1, 2, 3], 3, [1, 3]);
    n1.step(rv(2, 1, 4, 9, 2));
    expect(votesIn(drain(n1).messages)).toEqual([[2, false, 4]]);
    expect(n1.status().votedFor).toBeNull();
  });

  it('refuses a candidate with the same last term but a shorter log (§5.4.1)', () => {
    const n1 = nodeWithLog(1, [1, 2, 3], 2, [1, 2, 2]);
    n1.step(rv(2, 1, 3, 2, 2));
    expect(votesIn(drain(n1).messages)).toEqual([[2, false, 3]]);
  });

  it('votes at most once per term: a second candidate of the same term is refused (§5.2)', () => {
    const n1 = nodeWithLog(1, [1, 2, 3], 1, [1]);
    n1.step(rv(2, 1, 2, 1, 1));
    n1.step(rv(3, 1, 2, 1, 1));
    expect(votesIn(drain(n1).messages)).toEqual([[2, true, 2], [3, false, 2]]);
  });

  it('grants again to the same candidate (a retried RequestVote) in the same term', () => {
    const n1 = nodeWithLog(1, [1, 2, 3], 1, [1]);
    n1.step(rv(2, 1, 2, 1, 1));
    n1.step(rv(2, 1, 2, 1, 1));
    expect(votesIn(drain(n1).messages)).toEqual([[2, true, 2], [2, true, 2]]);
  });

  it('votedFor survives a restart: after it, a second candidate of the same term is refused (Figure 2)', () => {
    // Arrange: n1 votes for n2 in term 2 and persists.
    const storage = new MemoryStorage();
    const before = new RaftNode<string>(makeConfig(1, [1, 2, 3]));
    before.step(rv(2, 1, 2, 0, 0));
    drain(before, storage);
    // Act: restart from what storage holds, then n3 asks in term 2.
    const after = new RaftNode<string>(makeConfig(1, [1, 2, 3]), storage.durable());
    after.step(rv(3, 1, 2, 0, 0));
    // Assert
    expect(after.status().votedFor).toBe(2);
    expect(votesIn(drain(after).messages)).toEqual([[3, false, 2]]);
  });

  it('a higher term makes a leader step down and clears its vote (§5.1)', () => {
    // Arrange: a single-voter-majority leader in term 2: n1 with votes from n2.
    const n1 = nodeWithLog(1, [1, 2, 3], 1, [1]);
    for (let t = 0; t < 10; t++) n1.tick();
    drain(n1);
    n1.step(voteFor(2, 1, 2));
    expect(n1.role).toBe('leader');
    // Act: a response from n3 carrying term 5.
    n1.step(aeOk(3, 1, 5, 0));
    // Assert
    expect(n1.role).toBe('follower');
    expect(n1.term).toBe(5);
    expect(n1.status().votedFor).toBeNull();
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

  it('a candidate with a majority of refusals returns to follower (§5.2)', () => {
    const n1 = nodeWithLog(1, [1, 2, 3], 1, [1]);
    for (let t = 0; t < 10; t++) n1.tick();
    drain(n1);
    n1.step(voteFor(2, 1, 2, false));
    n1.step(voteFor(3, 1, 2, false));
    expect(n1.role).toBe('follower');
    expect(n1.term).toBe(2);
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

describe('the vote waits for durability (Figure 2: persist before responding)', () => {
  it('holds the granted vote until its PersistRequest is persisted', () => {
    // Arrange
    const n1 = new RaftNode<string>(makeConfig(1, [1, 2, 3]));
    n1.step(rv(2, 1, 1, 0, 0));
    // Act: the first Ready carries the persist request but no vote.
    const first = n1.ready();
    // Assert
    expect(first.persist?.hardState).toEqual({ term: 1, votedFor: 2 });
    expect(first.messages).toEqual([]);
    expect(n1.hasReady()).toBe(false);
    // Act: storage reports it durable.
    n1.persisted(first.persist!.id);
    // Assert: the vote comes out in the next Ready.
    expect(n1.hasReady()).toBe(true);
    expect(votesIn([...n1.ready().messages])).toEqual([[2, true, 1]]);
  });

  it('holds a candidate\'s RequestVotes until its term and self-vote are durable', () => {
    const n1 = new RaftNode<string>(makeConfig(1, [1, 2, 3]));
    for (let t = 0; t < 10; t++) n1.tick();
    const first = n1.ready();
    expect(first.persist?.hardState).toEqual({ term: 1, votedFor: 1 });
    expect(first.messages).toEqual([]);
    n1.persisted(first.persist!.id);
    expect(n1.ready().messages.map((m) => `${m.type}->${m.to}`)).toEqual(['RequestVote->2', 'RequestVote->3']);
  });

  it('holds a refusal that reveals a new term until that term is durable', () => {
    const n1 = nodeWithLog(1, [1, 2, 3], 1, [1, 1]);
    n1.step(rv(2, 1, 3, 0, 0));
    const first = n1.ready();
    expect(first.persist?.hardState).toEqual({ term: 3, votedFor: null });
    expect(first.messages).toEqual([]);
    n1.persisted(first.persist!.id);
    expect(votesIn([...n1.ready().messages])).toEqual([[2, false, 3]]);
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
