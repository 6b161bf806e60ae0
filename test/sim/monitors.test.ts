import { describe, expect, it } from 'vitest';
import type { RaftNodeApi, RaftStatus } from '../../src/raft/node.js';
import type { LogEntry } from '../../src/raft/types.js';
import { SafetyMonitor } from '../../src/sim/monitors.js';

/** A node as the monitor sees it: an id, a log of terms, a snapshot index. */
function fakeNode(id: number, terms: number[], snapshotIndex = 0): RaftNodeApi {
  const status: RaftStatus = {
    id, role: 'follower', term: terms[terms.length - 1] ?? 0, votedFor: null, leaderId: null,
    commitIndex: 0, lastApplied: 0, firstIndex: snapshotIndex + 1, lastIndex: terms.length, snapshotIndex,
  };
  return {
    id,
    status: () => status,
    termAt: (index: number) => (index === 0 ? 0 : index <= snapshotIndex ? null : terms[index - 1] ?? null),
  } as unknown as RaftNodeApi;
}

const entry = (index: number, term: number, command: unknown): LogEntry => ({ index, term, command });

describe('SafetyMonitor', () => {
  it('catches two leaders in one term (election safety)', () => {
    const monitor = new SafetyMonitor();
    monitor.onLeader(fakeNode(1, [1]), 1);
    expect(monitor.violation).toBeNull();
    monitor.onLeader(fakeNode(2, [1]), 1);
    expect(monitor.violation?.invariant).toBe('election-safety');
    expect(monitor.violation?.nodes).toEqual([1, 2]);
  });

  it('allows one leader per term across terms', () => {
    const monitor = new SafetyMonitor();
    monitor.onLeader(fakeNode(1, [1]), 1);
    monitor.onLeader(fakeNode(2, [1, 2]), 2);
    expect(monitor.violation).toBeNull();
  });

  it('catches different commands at one index and term (log matching)', () => {
    const monitor = new SafetyMonitor();
    monitor.onEntries(fakeNode(1, [1]), [entry(1, 1, 'a')]);
    monitor.onEntries(fakeNode(2, [1]), [entry(1, 1, 'a')]);
    expect(monitor.violation).toBeNull();
    monitor.onEntries(fakeNode(3, [1]), [entry(1, 1, 'b')]);
    expect(monitor.violation?.invariant).toBe('log-matching');
  });

  it('catches equal entries whose predecessors differ (log matching)', () => {
    const monitor = new SafetyMonitor();
    const x = {};
    monitor.onEntries(fakeNode(1, [1, 3]), [entry(2, 3, x)]);
    monitor.onEntries(fakeNode(2, [2, 3]), [entry(2, 3, x)]);
    expect(monitor.violation?.invariant).toBe('log-matching');
  });

  it('catches a leader without a committed entry (leader completeness)', () => {
    const monitor = new SafetyMonitor();
    monitor.onCommitIndex(fakeNode(1, [1, 1]), 2, 0, 0);
    monitor.onLeader(fakeNode(2, [1, 2]), 2);
    expect(monitor.violation?.invariant).toBe('leader-completeness');
    expect(monitor.violation?.index).toBe(2);
  });

  it('catches a leader whose log is shorter than the commit index (leader completeness)', () => {
    const monitor = new SafetyMonitor();
    monitor.onCommitIndex(fakeNode(1, [1, 1, 1]), 3, 0, 0);
    monitor.onLeader(fakeNode(2, [1, 1]), 2);
    expect(monitor.violation?.invariant).toBe('leader-completeness');
  });

  it('catches two different commands applied at one index (state machine safety)', () => {
    const monitor = new SafetyMonitor();
    monitor.onApply(1, entry(1, 1, 'a'));
    monitor.onApply(2, entry(1, 1, 'a'));
    expect(monitor.violation).toBeNull();
    monitor.onApply(3, entry(1, 2, 'b'));
    expect(monitor.violation?.invariant).toBe('state-machine-safety');
  });

  it('catches two terms committed at one index', () => {
    const monitor = new SafetyMonitor();
    monitor.onCommitIndex(fakeNode(1, [1]), 1, 0, 0);
    monitor.onCommitIndex(fakeNode(2, [2]), 1, 0, 0);
    expect(monitor.violation?.invariant).toBe('state-machine-safety');
  });

  it('catches a commit index going back within one life of a node', () => {
    const monitor = new SafetyMonitor();
    const node = fakeNode(1, [1, 1, 1]);
    monitor.onCommitIndex(node, 3, 0, 0);
    monitor.onCommitIndex(node, 2, 0, 0);
    expect(monitor.violation?.invariant).toBe('commit-monotonic');
  });

  it('accepts a lower commit index after a restart resets it', () => {
    const monitor = new SafetyMonitor();
    const node = fakeNode(1, [1, 1, 1]);
    monitor.onCommitIndex(node, 3, 0, 0);
    monitor.onCommitReset(1, 0);
    monitor.onCommitIndex(node, 1, 0, 0);
    expect(monitor.violation).toBeNull();
  });

  it('catches an acknowledged write that is not committed', () => {
    const monitor = new SafetyMonitor();
    monitor.onAcknowledgedWrite(1, 4, 1, 'client 1 seq 1 put k0');
    expect(monitor.violation?.invariant).toBe('acknowledged-write-lost');
  });

  it('catches an acknowledged write that a majority no longer holds', () => {
    const monitor = new SafetyMonitor();
    monitor.onCommitIndex(fakeNode(1, [1, 1]), 2, 0, 0);
    monitor.onAcknowledgedWrite(1, 2, 1, 'client 1 seq 1 put k0');
    expect(monitor.violation).toBeNull();
    monitor.checkAcknowledgedWritesKept([fakeNode(1, [1, 1]), fakeNode(2, [1, 2]), fakeNode(3, [1])], 2);
    expect(monitor.violation?.invariant).toBe('acknowledged-write-lost');
  });

  it('keeps an acknowledged write held by a majority, also inside a snapshot', () => {
    const monitor = new SafetyMonitor();
    monitor.onCommitIndex(fakeNode(1, [1, 1]), 2, 0, 0);
    monitor.onAcknowledgedWrite(1, 2, 1, 'client 1 seq 1 put k0');
    monitor.checkAcknowledgedWritesKept([fakeNode(1, [1, 1]), fakeNode(2, [1, 1, 1], 3), fakeNode(3, [1])], 2);
    expect(monitor.violation).toBeNull();
  });
});
