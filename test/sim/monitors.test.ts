/**
 * The safety monitors on hand-made facts: each invariant fires on a state only a broken node can
 * reach, and stays quiet on the legal states that look alike (the false alarms of issue 8).
 */
import { describe, expect, it } from 'vitest';
import type { RaftNodeApi } from '../../src/raft/node.js';
import type { PersistRequest } from '../../src/raft/ready.js';
import type { LogEntry } from '../../src/raft/types.js';
import { SafetyMonitor } from '../../src/sim/monitors.js';

/** A node as the monitor sees it: an id, its current term, a log of terms, a snapshot index. */
function fakeNode(id: number, terms: number[], snapshotIndex = 0, term = terms[terms.length - 1] ?? 0): RaftNodeApi {
  return {
    id, term, lastIndex: terms.length, firstIndex: snapshotIndex + 1,
    termAt: (index: number) => (index === 0 ? 0 : index <= snapshotIndex ? null : terms[index - 1] ?? null),
  } as unknown as RaftNodeApi;
}

const entry = (index: number, term: number, command: unknown): LogEntry => ({ index, term, command });
let nextId = 1;
const write = (entries: LogEntry[], term?: number): PersistRequest => ({
  id: nextId++, hardState: term === undefined ? null : { term, votedFor: null }, snapshot: null, entries,
});

describe('election safety (§5.2): at most one leader per term', () => {
  it('fires on two leaders in one term', () => {
    const monitor = new SafetyMonitor(3);
    monitor.onLeader(fakeNode(1, [1]), 1);
    expect(monitor.violation).toBeNull();
    monitor.onLeader(fakeNode(2, [1]), 1);
    expect(monitor.violation?.invariant).toBe('election-safety');
    expect(monitor.violation?.nodes).toEqual([1, 2]);
  });

  it('allows one leader per term across terms', () => {
    const monitor = new SafetyMonitor(3);
    monitor.onLeader(fakeNode(1, [1]), 1);
    monitor.onLeader(fakeNode(2, [1, 2]), 2);
    expect(monitor.violation).toBeNull();
  });
});

describe('log matching (§5.3), on durable logs', () => {
  it('fires on different durable commands at one index and term', () => {
    const monitor = new SafetyMonitor(3);
    monitor.onDurable(1, write([entry(1, 1, 'a')], 1));
    monitor.onDurable(2, write([entry(1, 1, 'a')], 1));
    expect(monitor.violation).toBeNull();
    monitor.onDurable(3, write([entry(1, 1, 'b')], 1));
    expect(monitor.violation?.invariant).toBe('log-matching');
  });

  it('fires on equal durable entries whose predecessors differ', () => {
    const monitor = new SafetyMonitor(3);
    const x = {};
    monitor.onDurable(1, write([entry(1, 1, 'a'), entry(2, 3, x)], 3));
    monitor.onDurable(2, write([entry(1, 2, 'b'), entry(2, 3, x)], 3));
    expect(monitor.violation?.invariant).toBe('log-matching');
  });

  it('never sees a write that was not durable: a crash discards it (the 1-node false alarm)', () => {
    // n1 wrote (1, 1, 'a') and crashed before the fsync; its next life writes (1, 1, 'b') durably.
    const monitor = new SafetyMonitor(1);
    monitor.onCrash(1);
    monitor.onDurable(1, write([entry(1, 1, 'b')], 1));
    expect(monitor.violation).toBeNull();
  });
});

describe('leader completeness (§5.4): a leader of term T holds every entry committed in a term below T', () => {
  it('fires on a leader without an entry committed in an earlier term', () => {
    const monitor = new SafetyMonitor(3);
    monitor.onCommitIndex(fakeNode(1, [1, 1], 0, 1), 2, 0, 0);
    monitor.onLeader(fakeNode(2, [1, 2]), 2);
    expect(monitor.violation?.invariant).toBe('leader-completeness');
    expect(monitor.violation?.index).toBe(2);
  });

  it('fires on a leader whose log ends before an entry committed in an earlier term', () => {
    const monitor = new SafetyMonitor(3);
    monitor.onCommitIndex(fakeNode(1, [1, 1, 1], 0, 1), 3, 0, 0);
    monitor.onLeader(fakeNode(2, [1, 1], 0, 2), 2);
    expect(monitor.violation?.invariant).toBe('leader-completeness');
  });

  it('stays quiet when a leader of an older term lacks an entry committed in a newer term', () => {
    // Term 4 committed index 2; n1 then wins term 3 with vote answers released late. Legal.
    const monitor = new SafetyMonitor(3);
    monitor.onCommitIndex(fakeNode(2, [1, 4], 0, 4), 2, 0, 0);
    monitor.onLeader(fakeNode(1, [1, 3], 0, 3), 3);
    expect(monitor.violation).toBeNull();
  });

  it('counts an entry as committed in the lowest term any node reported it committed', () => {
    const monitor = new SafetyMonitor(3);
    monitor.onCommitIndex(fakeNode(2, [1, 1], 0, 4), 2, 0, 0);
    monitor.onCommitIndex(fakeNode(1, [1, 1], 0, 2), 2, 0, 0);
    monitor.onLeader(fakeNode(3, [1], 0, 3), 3);
    expect(monitor.violation?.invariant).toBe('leader-completeness');
  });
});

describe('state machine safety (§5.4.3)', () => {
  it('fires on two different commands applied at one index', () => {
    const monitor = new SafetyMonitor(3);
    monitor.onApply(1, entry(1, 1, 'a'));
    monitor.onApply(2, entry(1, 1, 'a'));
    expect(monitor.violation).toBeNull();
    monitor.onApply(3, entry(1, 2, 'b'));
    expect(monitor.violation?.invariant).toBe('state-machine-safety');
  });

  it('fires on two terms committed at one index', () => {
    const monitor = new SafetyMonitor(3);
    monitor.onCommitIndex(fakeNode(1, [1]), 1, 0, 0);
    monitor.onCommitIndex(fakeNode(2, [2]), 1, 0, 0);
    expect(monitor.violation?.invariant).toBe('state-machine-safety');
  });
});

describe('commitIndex', () => {
  it('fires when it goes back within one life of a node', () => {
    const monitor = new SafetyMonitor(3);
    const node = fakeNode(1, [1, 1, 1]);
    monitor.onCommitIndex(node, 3, 0, 0);
    monitor.onCommitIndex(node, 2, 0, 0);
    expect(monitor.violation?.invariant).toBe('commit-monotonic');
  });

  it('accepts a lower commit index after a restart resets it', () => {
    const monitor = new SafetyMonitor(3);
    const node = fakeNode(1, [1, 1, 1]);
    monitor.onCommitIndex(node, 3, 0, 0);
    monitor.onCommitReset(1, 0);
    monitor.onCommitIndex(node, 1, 0, 0);
    expect(monitor.violation).toBeNull();
  });

  it('fires when it exceeds the last log index', () => {
    const monitor = new SafetyMonitor(3);
    monitor.onCommitIndex(fakeNode(1, [1, 1]), 3, 0, 0);
    expect(monitor.violation?.invariant).toBe('committed-entry-kept');
  });

  it('fires when a node truncates at or below its commit index, not above it', () => {
    const monitor = new SafetyMonitor(3);
    monitor.onCommitIndex(fakeNode(1, [1, 1, 1, 1]), 2, 0, 0);
    monitor.onTruncation(1, 3, 4);
    expect(monitor.violation).toBeNull();
    monitor.onTruncation(1, 2, 4);
    expect(monitor.violation?.invariant).toBe('committed-entry-kept');
  });
});

describe('a node never loses from its durable log an entry it acknowledged in its current term', () => {
  it('fires when a node acknowledges an entry its storage does not hold yet (ack before fsync)', () => {
    const monitor = new SafetyMonitor(3);
    monitor.onDurable(2, write([entry(1, 1, 'a')], 2));
    // n2 acknowledges index 2 of term 2 while only index 1 is durable: the ack itself is a lie.
    monitor.onAcknowledged(2, 2, 2, 2);
    expect(monitor.violation?.invariant).toBe('acknowledged-entry-kept');
  });

  it('fires when a node acknowledges in a term its storage has not reached', () => {
    const monitor = new SafetyMonitor(3);
    monitor.onDurable(2, write([entry(1, 1, 'a')], 1));
    monitor.onAcknowledged(2, 2, 1, 2);
    expect(monitor.violation?.invariant).toBe('acknowledged-entry-kept');
  });

  it('stays quiet on an answer released after the node durably moved to a later term (held by the barrier, stale)', () => {
    const monitor = new SafetyMonitor(3);
    monitor.onDurable(2, write([entry(1, 5, 'a'), entry(2, 8, 'b')], 8));
    monitor.onAcknowledged(2, 5, 2, 8);
    monitor.onCrash(2);
    expect(monitor.violation).toBeNull();
    expect(monitor.rareSituations().staleAcknowledgements).toBe(1);
  });

  it('fires when a durable write of the same term removes an acknowledged entry', () => {
    const monitor = new SafetyMonitor(3);
    monitor.onDurable(2, write([entry(1, 1, 'a'), entry(2, 2, 'b')], 2));
    monitor.onAcknowledged(2, 2, 2, 2);
    expect(monitor.violation).toBeNull();
    monitor.onDurable(2, write([entry(2, 1, 'c')]));
    expect(monitor.violation?.invariant).toBe('acknowledged-entry-kept');
  });

  it('judges a late answer against storage, not memory: memory may already hold a later term there', () => {
    // n2 answered in term 5 for index 2; the answer went out once that was durable, while memory
    // already held a term-8 entry at index 2 (not durable yet). Storage still holds term 5: fine.
    const monitor = new SafetyMonitor(3);
    monitor.onDurable(2, write([entry(1, 5, 'a'), entry(2, 5, 'b')], 5));
    monitor.onAcknowledged(2, 5, 2, 8);
    expect(monitor.violation).toBeNull();
    // The term-8 write becomes durable with its term: the promise of term 5 is over.
    monitor.onDurable(2, write([entry(2, 8, 'c')], 8));
    expect(monitor.violation).toBeNull();
  });

  it('stays quiet when the entry is replaced in a later term', () => {
    const monitor = new SafetyMonitor(3);
    monitor.onDurable(2, write([entry(1, 1, 'a'), entry(2, 2, 'b')], 2));
    monitor.onAcknowledged(2, 2, 2, 2);
    monitor.onDurable(2, write([entry(2, 3, 'c')], 3));
    monitor.onCrash(2);
    expect(monitor.violation).toBeNull();
  });
});

describe('acknowledged writes', () => {
  it('fires on an acknowledged write that is not committed', () => {
    const monitor = new SafetyMonitor(3);
    monitor.onAcknowledgedWrite(1, 4, 1, 'client 1 seq 1 put k0');
    expect(monitor.violation?.invariant).toBe('acknowledged-write-lost');
  });

  it('fires on an acknowledged write that a majority no longer holds durably', () => {
    const monitor = new SafetyMonitor(3);
    monitor.onCommitIndex(fakeNode(1, [1, 1]), 2, 0, 0);
    monitor.onAcknowledgedWrite(1, 2, 1, 'client 1 seq 1 put k0');
    expect(monitor.violation).toBeNull();
    monitor.onDurable(1, write([entry(1, 1, 'a'), entry(2, 1, 'b')], 1));
    monitor.onDurable(2, write([entry(1, 1, 'a'), entry(2, 2, 'x')], 2));
    monitor.checkAcknowledgedWritesKept([1, 2, 3], 2);
    expect(monitor.violation?.invariant).toBe('acknowledged-write-lost');
  });

  it('keeps an acknowledged write held durably by a majority, also inside a snapshot', () => {
    const monitor = new SafetyMonitor(3);
    monitor.onCommitIndex(fakeNode(1, [1, 1]), 2, 0, 0);
    monitor.onAcknowledgedWrite(1, 2, 1, 'client 1 seq 1 put k0');
    monitor.onDurable(1, write([entry(1, 1, 'a'), entry(2, 1, 'b')], 1));
    monitor.onDurable(2, { id: nextId++, hardState: { term: 1, votedFor: null }, snapshot: { lastIncludedIndex: 3, lastIncludedTerm: 1, data: null }, entries: [] });
    monitor.checkAcknowledgedWritesKept([1, 2, 3], 2);
    expect(monitor.violation).toBeNull();
  });
});
