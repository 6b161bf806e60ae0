/**
 * Followers serving reads (Ongaro's thesis §6.4: "followers could also help serve read-only
 * queries": the follower asks the leader for a read index, the leader confirms its leadership as
 * for a read of its own, and the follower serves once it has applied through that index;
 * etcd-raft's MsgReadIndex / MsgReadIndexResp).
 */
import { describe, expect, it } from 'vitest';
import { MAX_REMOTE_READS, ReadIndexTracker } from '../../src/raft/index.js';
import type { Message } from '../../src/raft/index.js';
import { Cluster, HEARTBEAT } from './harness.js';

function clusterWithLeader(n: number): Cluster {
  const cluster = new Cluster(n);
  cluster.campaign(1);
  expect(cluster.leaders()).toEqual([1]);
  cluster.deliverAll();
  return cluster;
}

describe('follower reads through ReadIndex (thesis §6.4)', () => {
  it('the follower gets the leader’s commitIndex, confirmed by a heartbeat round a majority answered', () => {
    const cluster = clusterWithLeader(3);
    cluster.node(1).propose('a');
    cluster.deliverAll();
    const seen: Message<string>[] = [];
    cluster.drop = (m) => (seen.push(m), false);
    expect(cluster.node(2).readIndex(7)).toEqual({ ok: true });
    cluster.deliverAll();
    const kinds = seen.map((m) => m.type);
    expect(kinds[0]).toBe('ReadIndex');
    // The leader answered only after a round stamped with a readSeq came back.
    const answer = kinds.indexOf('ReadIndexResponse');
    const round = seen.findIndex((m) => m.type === 'AppendEntriesResponse' && m.readSeq !== undefined);
    expect(round).toBeGreaterThan(0);
    expect(answer).toBeGreaterThan(round);
    expect(cluster.readStatesOf(2)).toEqual([{ ctx: 7, index: cluster.node(1).commitIndex }]);
    expect(cluster.readStatesOf(1)).toEqual([]);
  });

  it('a leader cut off from the majority never answers a follower’s read', () => {
    const cluster = clusterWithLeader(5);
    cluster.drop = (m) => m.to !== 2 && m.from !== 2 && (m.from === 1 || m.to === 1);
    cluster.node(2).readIndex(1);
    cluster.tickAll(HEARTBEAT * 3);
    expect(cluster.readStatesOf(2)).toEqual([]);
  });

  it('a follower that changes term drops its forwarded reads: a late answer is not taken', () => {
    const cluster = clusterWithLeader(3);
    cluster.drop = (m) => m.type === 'ReadIndexResponse';
    cluster.node(2).readIndex(3);
    cluster.deliverAll();
    const held: Message<string>[] = [];
    cluster.drop = (m) => (m.type === 'ReadIndexResponse' ? (held.push(m), true) : false);
    cluster.node(2).readIndex(4);
    cluster.deliverAll();
    expect(held).toHaveLength(1);
    cluster.drop = () => false;
    cluster.campaign(3);
    expect(cluster.node(2).term).toBe(2);
    cluster.node(2).step({ ...held[0]!, term: 2 });
    cluster.process(2);
    expect(cluster.readStatesOf(2)).toEqual([]);
  });

  it('a follower without a known leader refuses; a candidate too', () => {
    const cluster = new Cluster(3);
    expect(cluster.node(2).readIndex(1)).toEqual({ ok: false, reason: 'not-leader', leaderHint: null });
  });

  it('bounds the reads a leader holds for followers', () => {
    const tracker = new ReadIndexTracker(1, () => [1, 2, 3], null);
    tracker.becameLeader();
    const leader = { commitIndex: 5, ownTermCommitted: false };
    for (let k = 0; k < MAX_REMOTE_READS; k++) tracker.request(k, leader, 2);
    expect(tracker.request(-1, { commitIndex: 5, ownTermCommitted: true }, 2)).toBe(false);
    tracker.committed({ commitIndex: 5, ownTermCommitted: true });
    expect(tracker.request(-2, { commitIndex: 5, ownTermCommitted: true }, 2)).toBe(false);
  });
});
