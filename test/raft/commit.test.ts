/**
 * Commit through the node API. Figure 8 (§5.4.2) and the leader's durable self-count (thesis
 * §10.2.1) are golden files in testdata/ (figure8_*.txt, commit_leader_durable.txt).
 */
import { describe, expect, it } from 'vitest';
import type { RaftNode } from '../../src/raft/index.js';
import { Cluster, aeOk, drain, nodeWithLog, voteFor } from './harness.js';

/** Makes `node` (whose timeout is 10 ticks) campaign and win with votes from `voters`. */
function electWith(node: RaftNode<string>, voters: number[]): void {
  for (let t = 0; t < 10; t++) node.tick();
  drain(node);
  for (const v of voters) node.step(voteFor(v, node.id, node.term));
  expect(node.role).toBe('leader');
}

describe('commit (§5.3, §5.4.2)', () => {
  it('the leader commits an entry of its term once a majority holds it', () => {
    // Arrange: n1 leads term 1 of 5 nodes; its no-op is index 1 and durable.
    const n1 = nodeWithLog(1, [1, 2, 3, 4, 5], 0, []);
    electWith(n1, [2, 3]);
    drain(n1);
    // Act / Assert: one follower ack is not a majority of 5, two are.
    n1.step(aeOk(2, 1, 1, 1));
    expect(n1.commitIndex).toBe(0);
    n1.step(aeOk(3, 1, 1, 1));
    expect(n1.commitIndex).toBe(1);
  });

  it('hands out committed entries in order, each exactly once', () => {
    // Arrange: the harness throws if a Ready hands out an entry twice or out of order.
    const cluster = new Cluster(3);
    cluster.campaign(1);
    // Act: proposals interleaved with deliveries and heartbeats.
    for (let k = 0; k < 5; k++) {
      cluster.node(1).propose(`p${k}`);
      if (k % 2 === 0) cluster.deliverAll();
      else cluster.tickAll(1);
    }
    cluster.tickAll(2);
    // Assert
    for (const id of cluster.ids) {
      expect(cluster.app(id).map((e) => e.index)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(cluster.node(id).lastApplied).toBe(6);
    }
  });

  it('proposals replicate to and commit on every node', () => {
    // Arrange
    const cluster = new Cluster(5);
    cluster.campaign(1);
    // Act
    const results = ['a', 'b', 'c'].map((c) => cluster.node(1).propose(c));
    cluster.deliverAll();
    cluster.tickAll(2);
    // Assert
    expect(results).toEqual([
      { ok: true, index: 2, term: 1 },
      { ok: true, index: 3, term: 1 },
      { ok: true, index: 4, term: 1 },
    ]);
    for (const id of cluster.ids) {
      expect(cluster.node(id).commitIndex).toBe(4);
      expect(cluster.app(id).map((e) => e.command)).toEqual([null, 'a', 'b', 'c']);
    }
  });

  it('a follower refuses proposals and names the leader it knows (§8)', () => {
    const cluster = new Cluster(3);
    cluster.campaign(1);
    expect(cluster.node(2).propose('x')).toEqual({ ok: false, reason: 'not-leader', leaderHint: 1 });
    expect(new Cluster(3).node(2).propose('x')).toEqual({ ok: false, reason: 'not-leader', leaderHint: null });
  });

  it('a single-node cluster elects itself and commits once its own write is durable', () => {
    const cluster = new Cluster(1);
    cluster.campaign(1);
    expect(cluster.node(1).role).toBe('leader');
    cluster.node(1).propose('solo');
    cluster.process(1);
    expect(cluster.app(1).map((e) => e.command)).toEqual([null, 'solo']);
  });
});
