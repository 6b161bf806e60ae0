/**
 * Membership changes, one server at a time, with learners (Ongaro's thesis ch. 4; etcd-raft's
 * learners; the fix from Ongaro's raft-dev post of 2015). The tests follow the thesis: a
 * configuration takes effect on append (§4.1), new servers catch up as learners first (§4.2.1),
 * a removed leader steps down once its removal commits (§4.2.2), snapshots carry the
 * configuration (§5.1), and the leader waits for its own term's entry before any change (the fix).
 */
import { describe, expect, it } from 'vitest';
import type { RaftNode } from '../../src/raft/index.js';
import { Cluster, ELECTION_MAX, ELECTION_MIN, HEARTBEAT } from './harness.js';

/** n nodes, the first `voters` of them the bootstrap configuration, n1 leading term 1 with its no-op committed. */
function clusterLedBy1(n: number, voters: number): Cluster {
  const cluster = new Cluster(n, {}, voters);
  cluster.campaign(1);
  expect(cluster.leaders()).toEqual([1]);
  cluster.deliverAll();
  expect(cluster.node(1).commitIndex).toBe(1);
  return cluster;
}

function config(node: RaftNode<string>): { voters: readonly number[]; learners: readonly number[] } {
  return node.configuration;
}

/** Runs a change on the leader and delivers everything; returns the entry's index. */
function change(cluster: Cluster, leader: number, type: 'add-learner' | 'promote' | 'remove', node: number): number {
  const result = cluster.node(leader).proposeConfigChange({ type, node });
  if (!result.ok) throw new Error(`change refused: ${result.reason}`);
  cluster.deliverAll();
  return result.index;
}

describe('membership changes (thesis ch. 4)', () => {
  it('§4.2.1: a learner receives the log but neither votes nor counts toward commitment', () => {
    const cluster = clusterLedBy1(4, 3);
    const index = change(cluster, 1, 'add-learner', 4);
    cluster.tickAll(HEARTBEAT);
    expect(config(cluster.node(1))).toEqual({ voters: [1, 2, 3], learners: [4] });
    expect(cluster.node(4).commitIndex).toBe(index);
    expect(config(cluster.node(4))).toEqual({ voters: [1, 2, 3], learners: [4] });
    // Cut off n2 and n3: n1 and the learner alone are no majority of three voters.
    cluster.drop = (m) => m.to === 2 || m.to === 3;
    cluster.node(1).propose('x');
    cluster.deliverAll();
    expect(cluster.node(4).lastIndex).toBe(index + 1);
    expect(cluster.node(1).commitIndex).toBe(index);
    // A learner never campaigns, however long it hears nothing.
    for (let t = 0; t < ELECTION_MAX * 3; t++) cluster.node(4).tick();
    expect(cluster.node(4).role).toBe('follower');
  });

  it('a promoted learner counts: with it, two of four voters plus the leader commit', () => {
    const cluster = clusterLedBy1(4, 3);
    change(cluster, 1, 'add-learner', 4);
    change(cluster, 1, 'promote', 4);
    expect(config(cluster.node(1))).toEqual({ voters: [1, 2, 3, 4], learners: [] });
    cluster.drop = (m) => m.to === 3;
    const r = cluster.node(1).propose('y');
    cluster.deliverAll();
    expect(r.ok && cluster.node(1).commitIndex).toBe(r.ok ? r.index : -1);
  });

  it('§4.1: a configuration takes effect on append, before it commits, and a truncation reverts it', () => {
    const cluster = clusterLedBy1(4, 3);
    cluster.drop = (m) => m.from === 1 || m.to === 1; // n1 is cut off as it appends the change
    cluster.node(1).proposeConfigChange({ type: 'add-learner', node: 4 });
    expect(config(cluster.node(1))).toEqual({ voters: [1, 2, 3], learners: [4] });
    expect(cluster.node(1).configurationIndex).toBe(2);
    expect(cluster.node(1).commitIndex).toBe(1);
    // n2 leads term 2 without the entry; n1 rejoins, its uncommitted entry is cut, and its configuration with it.
    cluster.campaign(2);
    cluster.node(2).propose('z');
    cluster.deliverAll();
    cluster.drop = () => false;
    cluster.tickAll(HEARTBEAT);
    expect(cluster.node(1).role).toBe('follower');
    expect(cluster.node(1).entryAt(2)?.command).toBe(null);
    expect(cluster.node(1).entryAt(2)?.config).toBeUndefined();
    expect(config(cluster.node(1))).toEqual({ voters: [1, 2, 3], learners: [] });
    expect(cluster.node(1).configurationIndex).toBe(0);
  });

  it('the fix: no change before the leader commits an entry of its term, and one change at a time', () => {
    const cluster = new Cluster(4, {}, 3);
    cluster.drop = (m) => m.type === 'AppendEntriesResponse';
    cluster.campaign(1);
    expect(cluster.node(1).role).toBe('leader');
    expect(cluster.node(1).proposeConfigChange({ type: 'add-learner', node: 4 })).toEqual({ ok: false, reason: 'change-pending' });
    cluster.drop = () => false;
    cluster.tickAll(HEARTBEAT);
    expect(cluster.node(1).commitIndex).toBe(1);
    cluster.drop = (m) => m.type === 'AppendEntriesResponse';
    expect(cluster.node(1).proposeConfigChange({ type: 'add-learner', node: 4 }).ok).toBe(true);
    expect(cluster.node(1).proposeConfigChange({ type: 'remove', node: 3 })).toEqual({ ok: false, reason: 'change-pending' });
    cluster.drop = () => false;
    cluster.tickAll(HEARTBEAT);
    expect(cluster.node(1).proposeConfigChange({ type: 'remove', node: 3 }).ok).toBe(true);
  });

  it('refuses what is no single-server change', () => {
    const cluster = clusterLedBy1(3, 3);
    const leader = cluster.node(1);
    expect(leader.proposeConfigChange({ type: 'add-learner', node: 2 })).toEqual({ ok: false, reason: 'no-such-change' });
    expect(leader.proposeConfigChange({ type: 'promote', node: 2 })).toEqual({ ok: false, reason: 'no-such-change' });
    expect(leader.proposeConfigChange({ type: 'remove', node: 9 })).toEqual({ ok: false, reason: 'no-such-change' });
    expect(cluster.node(2).proposeConfigChange({ type: 'remove', node: 3 })).toEqual({ ok: false, reason: 'not-leader', leaderHint: 1 });
    const single = clusterLedBy1(1, 1);
    expect(single.node(1).proposeConfigChange({ type: 'remove', node: 1 })).toEqual({ ok: false, reason: 'would-break-cluster' });
  });

  it('§4.2.2: a leader that removes itself commits without counting itself, then steps down and never campaigns', () => {
    const cluster = clusterLedBy1(3, 3);
    const index = change(cluster, 1, 'remove', 1);
    expect(cluster.node(2).commitIndex).toBeGreaterThanOrEqual(index - 1);
    cluster.tickAll(HEARTBEAT);
    expect(cluster.node(1).role).toBe('follower');
    expect(config(cluster.node(2))).toEqual({ voters: [2, 3], learners: [] });
    cluster.tickAll(ELECTION_MAX * 2);
    const leaders = cluster.leaders();
    expect(leaders.length).toBe(1);
    expect([2, 3]).toContain(leaders[0]);
    expect(cluster.node(1).role).toBe('follower');
    // The new leader commits with the two voters alone.
    const r = cluster.node(leaders[0]!).propose('after');
    cluster.drop = (m) => m.to === 1;
    cluster.deliverAll();
    expect(r.ok && cluster.node(leaders[0]!).commitIndex).toBe(r.ok ? r.index : -1);
  });

  it('§4.2.2: a leader that removed itself and lost leadership before the entry spread campaigns again (not counting itself), so the cluster is not stuck', () => {
    const cluster = new Cluster(2, { checkQuorum: true }, 2);
    cluster.campaign(1);
    cluster.deliverAll();
    expect(cluster.node(1).commitIndex).toBe(1);
    // n1 removes itself while cut off from n2; CheckQuorum makes it step down with the entry uncommitted.
    cluster.drop = (m) => m.from === 1 || m.to === 1;
    const r = cluster.node(1).proposeConfigChange({ type: 'remove', node: 1 });
    expect(r.ok).toBe(true);
    for (let t = 0; t < ELECTION_MAX && cluster.node(1).role === 'leader'; t++) cluster.node(1).tick();
    expect(cluster.node(1).role).toBe('follower');
    expect(config(cluster.node(1))).toEqual({ voters: [2], learners: [] });
    cluster.deliverAll(); // what n1 sent is lost
    expect(cluster.node(2).lastIndex).toBe(1);
    // n2 lacks the entry, so it needs n1's vote, which n1 refuses (n2's log is behind); n1 must campaign.
    cluster.drop = () => false;
    cluster.tickAll(ELECTION_MAX * 6);
    expect(cluster.node(2).configuration).toEqual({ voters: [2], learners: [] });
    expect(cluster.node(2).commitIndex).toBeGreaterThanOrEqual(r.ok ? r.index : Infinity);
    expect(cluster.leaders()).toEqual([2]);
  });

  it('a removed follower is sent nothing more, and the rest commit without it', () => {
    const cluster = clusterLedBy1(3, 3);
    change(cluster, 1, 'remove', 3);
    cluster.tickAll(HEARTBEAT);
    const sent: number[] = [];
    cluster.drop = (m) => (sent.push(m.to), false);
    cluster.node(1).propose('w');
    cluster.tickAll(HEARTBEAT);
    expect(sent).not.toContain(3);
    expect(cluster.node(1).commitIndex).toBe(cluster.node(1).lastIndex);
  });

  it('§5.1: a snapshot carries the configuration, and a new node learns it from the snapshot alone', () => {
    const cluster = clusterLedBy1(4, 3);
    change(cluster, 1, 'remove', 3);
    cluster.node(1).propose('a');
    cluster.tickAll(HEARTBEAT);
    const leader = cluster.node(1);
    leader.compact(leader.lastApplied, [...cluster.app(1)]);
    expect(leader.snapshot()!.config).toEqual({ voters: [1, 2], learners: [] });
    change(cluster, 1, 'add-learner', 4);
    cluster.tickAll(HEARTBEAT);
    // n4 joined after the compaction: it got the snapshot, then the entry that added it.
    expect(cluster.node(4).snapshot()?.config).toEqual({ voters: [1, 2], learners: [] });
    expect(config(cluster.node(4))).toEqual({ voters: [1, 2], learners: [4] });
    // After a restart it comes back with the same configuration (snapshot + log).
    cluster.restart(4);
    expect(config(cluster.node(4))).toEqual({ voters: [1, 2], learners: [4] });
  });

  it('grow 3→5 one server at a time, then shrink back to 3, committing throughout', () => {
    const cluster = clusterLedBy1(5, 3);
    for (const node of [4, 5]) {
      change(cluster, 1, 'add-learner', node);
      cluster.tickAll(HEARTBEAT);
      change(cluster, 1, 'promote', node);
      cluster.tickAll(HEARTBEAT);
    }
    expect(config(cluster.node(5))).toEqual({ voters: [1, 2, 3, 4, 5], learners: [] });
    for (const node of [1, 2]) {
      const leader = cluster.leaders()[0]!;
      change(cluster, leader, 'remove', node);
      cluster.tickAll(ELECTION_MAX * 2);
    }
    const leader = cluster.leaders();
    expect(leader.length).toBe(1);
    expect(config(cluster.node(leader[0]!))).toEqual({ voters: [3, 4, 5], learners: [] });
    const r = cluster.node(leader[0]!).propose('end');
    cluster.tickAll(HEARTBEAT);
    expect(r.ok).toBe(true);
    for (const id of [3, 4, 5]) expect(cluster.node(id).commitIndex).toBe(cluster.node(leader[0]!).lastIndex);
    expect(ELECTION_MIN).toBeLessThan(ELECTION_MAX);
  });
});
