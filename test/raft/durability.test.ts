import { describe, expect, it } from 'vitest';
import { RaftNode } from '../../src/raft/index.js';
import type { Message, Ready } from '../../src/raft/index.js';
import { Cluster, ae, entriesOfTerms, makeConfig, rv } from './harness.js';

/** The entries a Ready asks storage to write, as index/term. */
function entriesToWrite(ready: Ready<string>): string[] {
  return (ready.persist?.entries ?? []).map((e) => `${e.index}/${e.term}`);
}

describe('durability through the node API (Figure 2: respond only after stable storage is updated)', () => {
  it('restart pairing: a node rebuilt from its storage has the log and term it had', () => {
    // Arrange: a 3-node cluster commits some entries; storage follows the PersistRequests.
    const cluster = new Cluster(3);
    cluster.campaign(1);
    for (const c of ['a', 'b']) cluster.node(1).propose(c);
    cluster.tickAll(2);
    const before = cluster.node(2).status();
    // Act
    cluster.restart(2);
    // Assert: same term, vote and log; commit restarts at the snapshot (0) and is relearned.
    const after = cluster.node(2).status();
    expect([after.term, after.votedFor, after.lastIndex]).toEqual([before.term, before.votedFor, before.lastIndex]);
    expect(after.commitIndex).toBe(0);
    cluster.tickAll(2);
    expect(cluster.node(2).commitIndex).toBe(before.commitIndex);
    expect(cluster.app(2).map((e) => e.command)).toEqual([null, 'a', 'b']);
  });

  it('a follower that crashes before persisting loses the entries and never acked them', () => {
    // Arrange: n2 does not persist on its own.
    const cluster = new Cluster(3);
    cluster.campaign(1);
    cluster.autoPersist = false;
    cluster.flush(1);
    cluster.flush(3);
    cluster.node(1).propose('x');
    cluster.process(1);
    cluster.flush(1);
    const acks: Message<string>[] = [];
    cluster.drop = (m) => {
      if (m.type === 'AppendEntriesResponse' && m.from === 2 && m.success) acks.push(m);
      return m.to === 3 || m.from === 3;
    };
    cluster.deliverAll();
    // Assert: n2 holds the entry in memory but acknowledged nothing, so nothing committed.
    expect(cluster.node(2).lastIndex).toBe(2);
    expect(acks.filter((m) => m.type === 'AppendEntriesResponse' && m.matchIndex === 2)).toEqual([]);
    expect(cluster.node(1).commitIndex).toBe(1);
    // Act: n2 crashes with its write pending, and restarts.
    cluster.restart(2);
    // Assert
    expect(cluster.node(2).lastIndex).toBe(1);
  });

  it('a reply that reveals nothing new still waits for the write already in flight', () => {
    // Arrange: n1 grants n2 in term 1; the write holding the vote (#1) is issued, not durable.
    const n1 = new RaftNode<string>(makeConfig(1, [1, 2, 3]));
    n1.step(rv(2, 1, 1, 0, 0));
    const first = n1.ready();
    // Act: n2 retries; granting again changes nothing, so there is nothing new to write.
    n1.step(rv(2, 1, 1, 0, 0));
    // Assert: the retry's answer also waits for #1, then both go out together.
    expect(n1.hasReady()).toBe(false);
    n1.persisted(first.persist!.id);
    expect(n1.ready().messages.map((m) => m.type)).toEqual(['RequestVoteResponse', 'RequestVoteResponse']);
    // With everything durable, the next answer goes out at once, without a write.
    n1.step(rv(2, 1, 1, 0, 0));
    const third = n1.ready();
    expect([third.persist, third.messages.length]).toEqual([null, 1]);
  });

  it('each PersistRequest carries only the entries written since the last one, from the lowest rewritten index', () => {
    // Arrange: n2 takes [1,1,1] from the leader of term 1.
    const n2 = new RaftNode<string>(makeConfig(2, [1, 2, 3]));
    n2.step(ae(1, 2, 1, [0, 0], entriesOfTerms([1, 1, 1])));
    const first = n2.ready();
    expect(entriesToWrite(first)).toEqual(['1/1', '2/1', '3/1']);
    n2.persisted(first.persist!.id);
    n2.ready();
    // Act: the leader of term 2 overwrites index 2 (2..3 are truncated, 2/2 appended).
    n2.step(ae(3, 2, 2, [1, 1], entriesOfTerms([2], 2)));
    // Assert: the request starts at the rewritten index; storage truncates from there.
    expect(entriesToWrite(n2.ready())).toEqual(['2/2']);
  });

  it('persisted() rejects an id never issued and ignores a repeat', () => {
    const n1 = new RaftNode<string>(makeConfig(1, [1, 2, 3]));
    expect(() => n1.persisted(1)).toThrow(/never issued/);
    n1.step(rv(2, 1, 1, 0, 0));
    const id = n1.ready().persist!.id;
    n1.persisted(id);
    expect(n1.ready().messages).toHaveLength(1);
    // A repeat releases nothing twice.
    n1.persisted(id);
    expect(n1.hasReady()).toBe(false);
  });
});
