/**
 * Compaction and InstallSnapshot through the node API. Golden files in testdata/ tell the longer
 * stories: a lagging follower brought up by InstallSnapshot (snapshot_install.txt), a restart from
 * snapshot plus log (snapshot_restart.txt), and a conflicting log discarded (snapshot_conflict.txt).
 */
import { describe, expect, it } from 'vitest';
import { RaftNode } from '../../src/raft/index.js';
import { MemoryStorage, drain, entriesOfTerms, makeConfig, nodeWithLog } from './harness.js';

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
    expect(n2.snapshot()).toEqual({ lastIncludedIndex: 3, lastIncludedTerm: 2, data: 'state@3', config: { voters: [1, 2, 3], learners: [] } });
    expect(r.persist?.snapshot).toEqual(n2.snapshot());
    expect(r.persist?.entries).toEqual([]);
    expect(() => n2.entries(2, 4)).toThrow();
    expect(n2.entries(4, 5).map((e) => e.index)).toEqual([4, 5]);
  });

  it('refuses to compact beyond lastApplied', () => {
    const n2 = nodeWithLog(2, [1, 2, 3], 1, [1, 1]);
    expect(() => n2.compact(1, 'x')).toThrow(/lastApplied/);
  });

  it('keeps the log suffix after the snapshot when it matches (§7)', () => {
    const n2 = nodeWithLog(2, [1, 2, 3], 2, [1, 1, 2, 2, 2, 2]);
    n2.step({ type: 'InstallSnapshot', from: 1, to: 2, term: 2, snapshot: { lastIncludedIndex: 4, lastIncludedTerm: 2, data: 's' } });
    expect(n2.firstIndex).toBe(5);
    expect(n2.lastIndex).toBe(6);
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

});
