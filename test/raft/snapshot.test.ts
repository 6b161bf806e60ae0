import { describe, expect, it } from 'vitest';
import { RaftNode } from '../../src/raft/index.js';
import type { LogEntry, Message } from '../../src/raft/index.js';
import { Cluster, MemoryStorage, drain, entriesOfTerms, makeConfig, nodeWithLog } from './harness.js';

describe('log compaction and InstallSnapshot (§7)', () => {
  it('compact drops the log prefix, keeps the snapshot term, and persists the snapshot', () => {
    // Arrange: a follower with 5 committed, applied entries.
    const n2 = nodeWithLog(2, [1, 2, 3], 2, [1, 1, 2, 2, 2]);
    n2.step({ type: 'AppendEntries', from: 1, to: 2, term: 2, prevLogIndex: 5, prevLogTerm: 2, entries: [], leaderCommit: 5 });
    const storage = new MemoryStorage();
    drain(n2, storage);
    expect(n2.lastApplied).toBe(5);
    // Act
    n2.compact(3, 'state@3');
    const r = n2.ready();
    // Assert
    expect(n2.firstIndex).toBe(4);
    expect(n2.termAt(3)).toBe(2);
    expect(n2.termAt(2)).toBeNull();
    expect(n2.entryAt(3)).toBeNull();
    expect(n2.snapshot()).toEqual({ lastIncludedIndex: 3, lastIncludedTerm: 2, data: 'state@3' });
    expect(r.persist?.snapshot).toEqual(n2.snapshot());
    expect(r.persist?.entries).toEqual([]);
    expect(() => n2.entries(2, 4)).toThrow();
    expect(n2.entries(4, 5).map((e) => e.index)).toEqual([4, 5]);
  });

  it('refuses to compact beyond lastApplied', () => {
    const n2 = nodeWithLog(2, [1, 2, 3], 1, [1, 1]);
    expect(() => n2.compact(1, 'x')).toThrow(/lastApplied/);
  });

  it('a follower behind the leader\'s first index gets InstallSnapshot, restores, then catches up', () => {
    // Arrange: n3 is cut off while n1 commits 6 entries and compacts through 5.
    const cluster = new Cluster(3);
    cluster.campaign(1);
    cluster.drop = (m) => m.to === 3 || m.from === 3;
    for (let k = 2; k <= 6; k++) cluster.node(1).propose(`v${k}`);
    cluster.tickAll(2);
    const n1 = cluster.node(1);
    expect(n1.lastApplied).toBe(6);
    n1.compact(5, cluster.app(1).slice(0, 5));
    cluster.process(1);
    // Act: n3 is reachable again.
    const sent: Message<string>[] = [];
    cluster.drop = (m) => {
      sent.push(m);
      return false;
    };
    cluster.tickAll(6);
    // Assert
    expect(sent.some((m) => m.type === 'InstallSnapshot' && m.to === 3)).toBe(true);
    const n3 = cluster.node(3);
    expect(n3.snapshot()?.lastIncludedIndex).toBe(5);
    expect(n3.lastIndex).toBe(6);
    expect(n3.commitIndex).toBe(6);
    expect(cluster.app(3).map((e) => e.command)).toEqual([null, 'v2', 'v3', 'v4', 'v5', 'v6']);
    expect(n1.progressOf(3)).toMatchObject({ matchIndex: 6, nextIndex: 7, state: 'replicate' });
  });

  it('an installed snapshot is restored in the next Ready, persisted, and acked only once durable', () => {
    // Arrange: n2 has an empty log.
    const n2 = new RaftNode<string>(makeConfig(2, [1, 2, 3]));
    const snapshot = { lastIncludedIndex: 4, lastIncludedTerm: 2, data: 'state@4' };
    // Act
    n2.step({ type: 'InstallSnapshot', from: 1, to: 2, term: 2, snapshot });
    const first = n2.ready();
    // Assert
    expect(first.snapshotToApply).toBe(snapshot);
    expect(first.persist?.snapshot).toBe(snapshot);
    expect(first.messages).toEqual([]);
    expect(n2.status()).toMatchObject({ commitIndex: 4, lastApplied: 4, snapshotIndex: 4, lastIndex: 4 });
    n2.persisted(first.persist!.id);
    expect(n2.ready().messages).toMatchObject([{ type: 'InstallSnapshotResponse', matchIndex: 4, term: 2 }]);
  });

  it('keeps the log suffix after the snapshot when it matches (§7)', () => {
    const n2 = nodeWithLog(2, [1, 2, 3], 2, [1, 1, 2, 2, 2, 2]);
    n2.step({ type: 'InstallSnapshot', from: 1, to: 2, term: 2, snapshot: { lastIncludedIndex: 4, lastIncludedTerm: 2, data: 's' } });
    expect(n2.firstIndex).toBe(5);
    expect(n2.lastIndex).toBe(6);
  });

  it('discards the whole log when the snapshot conflicts with it (§7)', () => {
    const n2 = nodeWithLog(2, [1, 2, 3], 2, [1, 1, 1, 1, 1, 1]);
    n2.step({ type: 'InstallSnapshot', from: 1, to: 2, term: 3, snapshot: { lastIncludedIndex: 4, lastIncludedTerm: 3, data: 's' } });
    const storage = new MemoryStorage();
    storage.entries = entriesOfTerms([1, 1, 1, 1, 1, 1]);
    drain(n2, storage);
    expect(n2.lastIndex).toBe(4);
    expect(n2.termAt(4)).toBe(3);
    // Storage, following the same rule, holds no entries either.
    expect(storage.entries).toEqual([]);
  });

  it('a stale InstallSnapshot (≤ commitIndex) is acked with its index and changes nothing', () => {
    const n2 = nodeWithLog(2, [1, 2, 3], 2, [1, 1, 2, 2]);
    n2.step({ type: 'AppendEntries', from: 1, to: 2, term: 2, prevLogIndex: 4, prevLogTerm: 2, entries: [], leaderCommit: 4 });
    drain(n2);
    n2.step({ type: 'InstallSnapshot', from: 1, to: 2, term: 2, snapshot: { lastIncludedIndex: 3, lastIncludedTerm: 2, data: 's' } });
    const out = drain(n2);
    expect(out.restored).toBeNull();
    expect(n2.snapshot()).toBeNull();
    expect(n2.lastIndex).toBe(4);
    expect(out.messages).toMatchObject([{ type: 'InstallSnapshotResponse', matchIndex: 3 }]);
  });

  it('an AppendEntries reaching below the follower\'s snapshot is treated as matching there', () => {
    // Arrange: n2 has a snapshot through 4 (term 2).
    const n2 = new RaftNode<string>(makeConfig(2, [1, 2, 3]), {
      hardState: { term: 2, votedFor: null },
      snapshot: { lastIncludedIndex: 4, lastIncludedTerm: 2, data: 's' },
      entries: [],
    });
    drain(n2);
    // Act: the leader sends entries 3..6 after (2, 1).
    n2.step({ type: 'AppendEntries', from: 1, to: 2, term: 2, prevLogIndex: 2, prevLogTerm: 1, entries: entriesOfTerms([2, 2, 2, 2], 3), leaderCommit: 0 });
    const out = drain(n2);
    // Assert: 5..6 appended, acked through 6.
    expect(n2.lastIndex).toBe(6);
    expect(out.messages).toMatchObject([{ type: 'AppendEntriesResponse', success: true, matchIndex: 6 }]);
  });

  it('restart from snapshot plus log recovers commit and applied at the snapshot index, and the log', () => {
    // Arrange: storage built from the persist requests of a node that compacted through 3.
    const storage = new MemoryStorage();
    const before = nodeWithLog(2, [1, 2, 3], 2, [1, 1, 2, 2, 2]);
    before.step({ type: 'AppendEntries', from: 1, to: 2, term: 2, prevLogIndex: 5, prevLogTerm: 2, entries: [], leaderCommit: 5 });
    storage.entries = entriesOfTerms([1, 1, 2, 2, 2]);
    storage.hardState = { term: 2, votedFor: null };
    drain(before, storage);
    before.compact(3, 'state@3');
    drain(before, storage);
    // Act
    const after = new RaftNode<string>(makeConfig(2, [1, 2, 3]), storage.durable());
    const first = after.ready();
    // Assert
    expect(after.status()).toMatchObject({ term: 2, commitIndex: 3, lastApplied: 3, snapshotIndex: 3, firstIndex: 4, lastIndex: 5 });
    expect(first.snapshotToApply).toEqual({ lastIncludedIndex: 3, lastIncludedTerm: 2, data: 'state@3' });
    expect(first.committed).toEqual([]);
    expect(after.entries(4, 5).map((e: LogEntry<string>) => e.term)).toEqual([2, 2]);
  });
});
