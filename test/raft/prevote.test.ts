/**
 * PreVote (thesis §9.6) and CheckQuorum (thesis §6.2, §4.2.3), after etcd-raft's choices. Each
 * story is told twice: with the switch on, the rule holds; with it off, the disruption it prevents
 * happens, so the test shows what the switch is for. The step-by-step story of a pre-vote is the
 * golden file testdata/prevote.txt.
 */
import { describe, expect, it } from 'vitest';
import type { Message, RaftConfig } from '../../src/raft/index.js';
import { Cluster, ELECTION_MIN, drain, nodeWithLog, rv } from './harness.js';

type Switches = Pick<RaftConfig, 'preVote' | 'checkQuorum'>;

/** A 3-node cluster whose n1 has been elected leader of term 1 and committed its no-op. */
function clusterWithLeader(switches: Switches): Cluster {
  const cluster = new Cluster(3, switches);
  cluster.tickAll(ELECTION_MIN);
  expect(cluster.leaders()).toEqual([1]);
  expect(cluster.node(1).term).toBe(1);
  return cluster;
}

/** Cuts `node` off from everyone (both directions). */
function cutOff(cluster: Cluster, node: number): void {
  cluster.drop = (m) => m.from === node || m.to === node;
}

function heal(cluster: Cluster): void {
  cluster.drop = () => false;
}

function preVote(from: number, to: number, term: number, lastLogIndex: number, lastLogTerm: number): Message<string> {
  return { type: 'PreVote', from, to, term, lastLogIndex, lastLogTerm };
}

describe('PreVote (thesis §9.6)', () => {
  it('a pre-vote changes no term and no vote, on either side', () => {
    const n1 = nodeWithLog(1, [1, 2, 3], 2, [1, 2], { preVote: true });
    n1.step(preVote(2, 1, 3, 2, 2));
    const answers = drain(n1).messages;
    // Granted in the asked term (3), which n1 does not adopt.
    expect(answers).toEqual([{ type: 'PreVoteResponse', from: 1, to: 2, term: 3, granted: true }]);
    expect(n1.status()).toMatchObject({ term: 2, votedFor: null });
  });

  it('refuses a pre-vote to a node whose log is behind, answering in its own term', () => {
    const n1 = nodeWithLog(1, [1, 2, 3], 2, [1, 2], { preVote: true });
    n1.step(preVote(2, 1, 3, 1, 1));
    expect(drain(n1).messages).toEqual([{ type: 'PreVoteResponse', from: 1, to: 2, term: 2, granted: false }]);
  });

  it('a node cut off for many election timeouts keeps its term: it only pre-votes', () => {
    const cluster = clusterWithLeader({ preVote: true });
    cutOff(cluster, 3);
    cluster.tickAll(10 * ELECTION_MIN);
    expect(cluster.node(3).role).toBe('pre-candidate');
    expect(cluster.ids.map((id) => cluster.node(id).term)).toEqual([1, 1, 1]);
  });

  it('without PreVote, the same node bumps its term at every timeout', () => {
    const cluster = clusterWithLeader({});
    cutOff(cluster, 3);
    cluster.tickAll(10 * ELECTION_MIN);
    expect(cluster.node(3).role).toBe('candidate');
    expect(cluster.node(3).term).toBeGreaterThan(5);
  });

  it.each([
    ['on', { preVote: true }, false],
    ['off', {}, true],
  ] as const)('with PreVote %s, a node rejoining after a partition deposes the healthy leader: %s', (_name, switches, deposed) => {
    const cluster = clusterWithLeader(switches);
    cutOff(cluster, 3);
    cluster.tickAll(10 * ELECTION_MIN);
    heal(cluster);
    cluster.tickAll(3 * ELECTION_MIN);
    const stillLeading = cluster.node(1).role === 'leader' && cluster.node(1).term === 1;
    expect(stillLeading).toBe(!deposed);
    // Either way the cluster ends with one leader that n3 follows.
    expect(cluster.leaders()).toHaveLength(1);
    expect(cluster.node(3).leaderId).toBe(cluster.leaders()[0]);
  });

  it('a pre-candidate that wins its pre-vote campaigns for real, and one leader is elected', () => {
    const cluster = new Cluster(3, { preVote: true });
    cluster.tickAll(ELECTION_MIN);
    expect(cluster.leaders()).toEqual([1]);
    expect(cluster.ids.map((id) => cluster.node(id).term)).toEqual([1, 1, 1]);
  });
});

describe('CheckQuorum (thesis §6.2, §4.2.3)', () => {
  /** Ticks until n1 is no longer leader, with n1 cut off from both others; null if it never steps down. */
  function ticksUntilStepDown(cluster: Cluster, limit: number): number | null {
    cutOff(cluster, 1);
    for (let t = 1; t <= limit; t++) {
      cluster.tickAll(1);
      if (cluster.node(1).role !== 'leader') return t;
    }
    return null;
  }

  it('a leader cut off from the majority steps down within an election timeout', () => {
    const cluster = clusterWithLeader({ checkQuorum: true });
    const ticks = ticksUntilStepDown(cluster, 10 * ELECTION_MIN);
    expect(ticks).not.toBeNull();
    expect(ticks!).toBeLessThanOrEqual(ELECTION_MIN);
    // It steps down in its own term (no one told it of a newer one) and knows no leader.
    expect(cluster.node(1).status()).toMatchObject({ role: 'follower', term: 1, leaderId: null });
  });

  it('without CheckQuorum, the cut-off leader goes on leading its term', () => {
    const cluster = clusterWithLeader({});
    expect(ticksUntilStepDown(cluster, 10 * ELECTION_MIN)).toBeNull();
  });

  it('a healthy leader does not step down', () => {
    const cluster = clusterWithLeader({ checkQuorum: true });
    cluster.tickAll(10 * ELECTION_MIN);
    expect(cluster.leaders()).toEqual([1]);
    expect(cluster.node(1).term).toBe(1);
  });

  it.each(['RequestVote', 'PreVote'] as const)('a follower that heard from its leader recently ignores a %s of a higher term', (type) => {
    const cluster = clusterWithLeader({ checkQuorum: true, preVote: true });
    const n2 = cluster.node(2);
    const request = type === 'RequestVote' ? rv(3, 2, 5, 9, 1) : preVote(3, 2, 5, 9, 1);
    n2.step(request);
    expect(drain(n2).messages.filter((m) => m.to === 3)).toEqual([]);
    expect(n2.status()).toMatchObject({ term: 1, votedFor: 1, leaderId: 1 });
  });

  it('once the leader has been silent for an election timeout, the follower answers again', () => {
    const cluster = clusterWithLeader({ checkQuorum: true, preVote: true });
    const n2 = cluster.node(2);
    for (let t = 0; t < ELECTION_MIN; t++) n2.tick();
    drain(n2);
    n2.step(preVote(3, 2, 2, 9, 1));
    expect(drain(n2).messages).toEqual([{ type: 'PreVoteResponse', from: 2, to: 3, term: 2, granted: true }]);
  });

  it('without CheckQuorum, the follower adopts the higher term of a RequestVote at once (§5.1)', () => {
    const cluster = clusterWithLeader({});
    const n2 = cluster.node(2);
    n2.step(rv(3, 2, 5, 9, 1));
    expect(n2.status()).toMatchObject({ term: 5, votedFor: 3 });
  });
});
