import { describe, expect, it } from 'vitest';
import { RaftNode } from '../../src/raft/index.js';
import type { AppendEntriesResponse, Message } from '../../src/raft/index.js';
import { Cluster, ae, drain, entriesOfTerms, makeConfig, nodeWithLog } from './harness.js';

function appendResponses(messages: Message<string>[]): AppendEntriesResponse[] {
  return messages.filter((m): m is AppendEntriesResponse => m.type === 'AppendEntriesResponse');
}

function logTerms(node: RaftNode<string>): number[] {
  const terms: number[] = [];
  for (let i = node.firstIndex; i <= node.lastIndex; i++) terms.push(node.termAt(i)!);
  return terms;
}

describe('AppendEntries, follower side (§5.3, Figure 2)', () => {
  it('accepts entries after a matching prevLog and acks the new matchIndex', () => {
    // Arrange: n2 holds [1,1].
    const n2 = nodeWithLog(2, [1, 2, 3], 1, [1, 1]);
    // Act: the leader of term 2 sends entries 3..4 after (2,1).
    n2.step(ae(1, 2, 2, [2, 1], entriesOfTerms([2, 2], 3), 3));
    const [resp] = appendResponses(drain(n2).messages);
    // Assert
    expect(logTerms(n2)).toEqual([1, 1, 2, 2]);
    expect(resp).toMatchObject({ success: true, matchIndex: 4, term: 2 });
    expect(n2.commitIndex).toBe(3);
  });

  it('learns commit only up to the last new entry: min(leaderCommit, last new index)', () => {
    const n2 = nodeWithLog(2, [1, 2, 3], 1, [1, 1, 1, 1]);
    n2.step(ae(1, 2, 1, [1, 1], [], 4));
    drain(n2);
    expect(n2.commitIndex).toBe(1);
  });

  it('rejects when its log is too short: conflictTerm 0, conflictIndex = lastIndex + 1', () => {
    const n2 = nodeWithLog(2, [1, 2, 3], 1, [1, 1]);
    n2.step(ae(1, 2, 2, [6, 2], entriesOfTerms([2], 7)));
    const [resp] = appendResponses(drain(n2).messages);
    expect(resp).toMatchObject({ success: false, rejectedIndex: 6, conflictTerm: 0, conflictIndex: 3 });
    expect(logTerms(n2)).toEqual([1, 1]);
  });

  it('rejects a term mismatch with the conflicting term and the first index of that term', () => {
    const n2 = nodeWithLog(2, [1, 2, 3], 3, [1, 2, 2, 2, 3]);
    n2.step(ae(1, 2, 4, [4, 4], entriesOfTerms([4], 5)));
    const [resp] = appendResponses(drain(n2).messages);
    expect(resp).toMatchObject({ success: false, rejectedIndex: 4, conflictTerm: 2, conflictIndex: 2 });
  });

  it('truncates conflicting entries and appends the leader\'s (Figure 2, receiver step 3)', () => {
    const n2 = nodeWithLog(2, [1, 2, 3], 2, [1, 2, 2, 2]);
    n2.step(ae(1, 2, 3, [1, 1], entriesOfTerms([3, 3], 2)));
    drain(n2);
    expect(logTerms(n2)).toEqual([1, 3, 3]);
  });

  it('a stale, reordered AppendEntries whose entries all match does not shorten the log', () => {
    // Arrange: n2 got the longer append (entries 1..4) first.
    const n2 = new RaftNode<string>(makeConfig(2, [1, 2, 3]));
    const all = entriesOfTerms([1, 1, 1, 1]);
    n2.step(ae(1, 2, 1, [0, 0], all));
    // Act: the older, shorter one (entries 1..2) arrives late.
    n2.step(ae(1, 2, 1, [0, 0], all.slice(0, 2)));
    const responses = appendResponses(drain(n2).messages);
    // Assert: the log still holds 4 entries; the stale one is acked for what it covered.
    expect(n2.lastIndex).toBe(4);
    expect(responses.map((r) => r.matchIndex)).toEqual([4, 2]);
  });

  it('acks an append only after its entries are persisted', () => {
    // Arrange
    const n2 = new RaftNode<string>(makeConfig(2, [1, 2, 3]));
    n2.step(ae(1, 2, 1, [0, 0], entriesOfTerms([1, 1])));
    // Act
    const first = n2.ready();
    // Assert: the entries are to be written; no ack yet.
    expect(first.persist?.entries.map((e) => e.index)).toEqual([1, 2]);
    expect(first.messages).toEqual([]);
    n2.persisted(first.persist!.id);
    expect(appendResponses([...n2.ready().messages])).toMatchObject([{ success: true, matchIndex: 2 }]);
  });

  it('an ack for already-durable entries waits for the write still in flight that holds them', () => {
    // Arrange: entries 1..2 are written but not yet durable.
    const n2 = new RaftNode<string>(makeConfig(2, [1, 2, 3]));
    n2.step(ae(1, 2, 1, [0, 0], entriesOfTerms([1, 1])));
    const first = n2.ready();
    // Act: a duplicate of the same append arrives (nothing new to write).
    n2.step(ae(1, 2, 1, [0, 0], entriesOfTerms([1, 1])));
    // Assert: neither ack may go out before request 1 is durable.
    expect(n2.hasReady()).toBe(false);
    n2.persisted(first.persist!.id);
    expect(appendResponses([...n2.ready().messages])).toHaveLength(2);
  });

  it('answers an AppendEntries of an older term with its own term so the sender steps down (§5.1)', () => {
    const n2 = nodeWithLog(2, [1, 2, 3], 5, [1]);
    n2.step(ae(1, 2, 3, [1, 1], entriesOfTerms([3], 2)));
    const [resp] = appendResponses(drain(n2).messages);
    expect(resp).toMatchObject({ success: false, term: 5 });
    expect(n2.lastIndex).toBe(1);
  });

  it('hearing from the leader resets the election timer (§5.2)', () => {
    const n2 = nodeWithLog(2, [1, 2, 3], 1, [1]);
    // n2's timeout is 12 ticks (see makeConfig).
    for (let t = 0; t < 11; t++) n2.tick();
    n2.step(ae(1, 2, 1, [1, 1], []));
    for (let t = 0; t < 11; t++) n2.tick();
    expect(n2.role).toBe('follower');
    expect(n2.leaderId).toBe(1);
  });

  it('a candidate receiving an AppendEntries of its term becomes a follower of that leader (§5.2)', () => {
    const n2 = nodeWithLog(2, [1, 2, 3], 1, [1]);
    for (let t = 0; t < 12; t++) n2.tick();
    expect(n2.role).toBe('candidate');
    n2.step(ae(1, 2, 2, [1, 1], entriesOfTerms([2], 2)));
    expect(n2.role).toBe('follower');
    expect(n2.leaderId).toBe(1);
    expect(n2.lastIndex).toBe(2);
  });
});

describe('AppendEntries, leader side: fast backtracking (§5.3)', () => {
  it('backs up over a long conflicting log in a few rounds, one per term, not one per entry', () => {
    // Arrange: n1 will lead term 5 with log [1, 4×10]; n2 holds [1, 2×10, 3×10] from old leaders.
    const n1Log = [1, ...Array<number>(10).fill(4)];
    const n2Log = [1, ...Array<number>(10).fill(2), ...Array<number>(10).fill(3)];
    const cluster = new Cluster(3, { maxEntriesPerAppend: 64 });
    cluster.nodes.set(1, nodeWithLog(1, [1, 2, 3], 4, n1Log, { maxEntriesPerAppend: 64 }));
    cluster.nodes.set(2, nodeWithLog(2, [1, 2, 3], 4, n2Log, { maxEntriesPerAppend: 64 }));
    cluster.nodes.set(3, nodeWithLog(3, [1, 2, 3], 4, n1Log, { maxEntriesPerAppend: 64 }));
    let rejections = 0;
    cluster.drop = (m) => {
      if (m.type === 'AppendEntriesResponse' && !m.success && m.from === 2) rejections++;
      return false;
    };
    // Act
    cluster.campaign(1);
    // Assert: n2 now holds the leader's log (plus the no-op), after at most 3 rejections.
    expect(cluster.leaders()).toEqual([1]);
    expect(logTerms(cluster.node(2))).toEqual([...n1Log, 5]);
    expect(rejections).toBeLessThanOrEqual(3);
  });

  it('jumps nextIndex past the leader\'s last entry of the conflict term when it has that term', () => {
    // Arrange: leader n1 [1,1,1,4,4] in term 5 (after winning), follower n2 [1,1,1,1,1,1].
    const cluster = new Cluster(2);
    cluster.nodes.set(1, nodeWithLog(1, [1, 2], 4, [1, 1, 1, 4, 4]));
    cluster.nodes.set(2, nodeWithLog(2, [1, 2], 4, [1, 1, 1, 1, 1, 1]));
    const rejected: AppendEntriesResponse[] = [];
    cluster.drop = (m) => {
      if (m.type === 'AppendEntriesResponse' && !m.success) rejected.push(m);
      return false;
    };
    // Act
    cluster.campaign(1);
    // Assert: one rejection (conflictTerm 1), then the leader resends from index 4.
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ rejectedIndex: 5, conflictTerm: 1, conflictIndex: 1 });
    expect(logTerms(cluster.node(2))).toEqual([1, 1, 1, 4, 4, 5]);
  });
});
