/**
 * Reads without a log entry (Ongaro's thesis §6.4, etcd-raft's ReadOnlySafe and ReadOnlyLeaseBased):
 * a leader answers a read at its commitIndex only once it has committed an entry of its own term,
 * and only after a majority acknowledged a heartbeat it sent after the read arrived; a lease read
 * (§6.4.1) skips the round while a majority acknowledged a heartbeat sent within the lease.
 */
import { describe, expect, it } from 'vitest';
import type { AppendEntries, Message, RaftConfig } from '../../src/raft/index.js';
import { Cluster, ELECTION_MIN, HEARTBEAT } from './harness.js';

/** A cluster of `n` whose n1 leads term 1 and has committed its no-op (index 1). */
function clusterWithLeader(n: number, over: Partial<RaftConfig> = {}): Cluster {
  const cluster = new Cluster(n, over);
  cluster.campaign(1);
  expect(cluster.leaders()).toEqual([1]);
  expect(cluster.node(1).commitIndex).toBe(1);
  return cluster;
}

/** Takes the messages in flight that `keep` selects, leaving the rest. */
function take(cluster: Cluster, keep: (m: Message<string>) => boolean): Message<string>[] {
  const taken = cluster.inFlight.filter(keep);
  cluster.inFlight = cluster.inFlight.filter((m) => !keep(m));
  return taken;
}

/** Delivers `m` and returns what its receiver answers at once. */
function deliver(cluster: Cluster, m: Message<string>): Message<string>[] {
  cluster.node(m.to).step(m);
  cluster.process(m.to);
  return take(cluster, (reply) => reply.from === m.to);
}

const isReadRound = (m: Message<string>): m is AppendEntries<string> =>
  m.type === 'AppendEntries' && m.readSeq !== undefined;

describe('ReadIndex (thesis §6.4)', () => {
  it('a read is not served before the leader commits an entry of its own term (its no-op)', () => {
    const cluster = new Cluster(3);
    // The election runs, but the no-op's AppendEntries are lost: n1 leads with commitIndex 0.
    cluster.drop = (m) => m.type === 'AppendEntries';
    cluster.campaign(1);
    expect(cluster.leaders()).toEqual([1]);
    expect(cluster.node(1).commitIndex).toBe(0);
    expect(cluster.node(1).readIndex(7)).toEqual({ ok: true });
    cluster.process(1);
    expect(cluster.inFlight.filter(isReadRound)).toEqual([]);
    cluster.tickAll(HEARTBEAT);
    expect(cluster.readStatesOf(1)).toEqual([]);
    // Once the no-op commits, the read goes ahead at the new commitIndex, after a round.
    cluster.drop = () => false;
    cluster.tickAll(HEARTBEAT);
    expect(cluster.node(1).commitIndex).toBe(1);
    expect(cluster.readStatesOf(1)).toEqual([{ ctx: 7, index: 1 }]);
  });

  it('a read is served only after a majority acknowledges a heartbeat sent after it arrived', () => {
    const cluster = clusterWithLeader(5);
    expect(cluster.node(1).readIndex(1)).toEqual({ ok: true });
    cluster.process(1);
    const round1 = take(cluster, isReadRound) as AppendEntries<string>[];
    expect(round1.map((m) => m.to)).toEqual([2, 3, 4, 5]);
    const seq1 = round1[0]!.readSeq!;
    // n2 acknowledges round 1: with n1 that is 2 of 5, not a majority.
    const ack2 = deliver(cluster, round1[0]!);
    expect(ack2).toEqual([expect.objectContaining({ type: 'AppendEntriesResponse', readSeq: seq1 })]);
    deliver(cluster, ack2[0]!);
    expect(cluster.readStatesOf(1)).toEqual([]);
    // A second read arrives; n3's answer to round 1 (sent before it) confirms only the first.
    cluster.node(1).readIndex(2);
    cluster.process(1);
    const round2 = take(cluster, isReadRound) as AppendEntries<string>[];
    expect(round2[0]!.readSeq).toBe(seq1 + 1);
    deliver(cluster, deliver(cluster, round1[1]!)[0]!);
    expect(cluster.readStatesOf(1)).toEqual([{ ctx: 1, index: 1 }]);
    // Two answers to round 2 (n2's and n4's) make n1, n2, n4 a majority for the second read.
    deliver(cluster, deliver(cluster, round2[0]!)[0]!);
    expect(cluster.readStatesOf(1)).toHaveLength(1);
    deliver(cluster, deliver(cluster, round2[2]!)[0]!);
    expect(cluster.readStatesOf(1)).toEqual([{ ctx: 1, index: 1 }, { ctx: 2, index: 1 }]);
  });

  it('a deposed leader cut off from the majority never answers a read', () => {
    const cluster = clusterWithLeader(3);
    cluster.drop = (m) => m.from === 1 || m.to === 1;
    // The others elect n2 and commit a write n1 never sees.
    cluster.campaign(2);
    expect(cluster.node(2).role).toBe('leader');
    cluster.node(2).propose('x=2');
    cluster.deliverAll();
    expect(cluster.node(2).commitIndex).toBe(3);
    // n1 still believes it leads: it takes the read, but no round it sends is ever acknowledged.
    expect(cluster.node(1).role).toBe('leader');
    expect(cluster.node(1).readIndex(9)).toEqual({ ok: true });
    cluster.tickAll(3 * ELECTION_MIN);
    expect(cluster.readStatesOf(1)).toEqual([]);
    // When it hears the new term it steps down, and the read is dropped, never answered.
    cluster.drop = () => false;
    cluster.tickAll(HEARTBEAT);
    expect(cluster.node(1).role).toBe('follower');
    expect(cluster.readStatesOf(1)).toEqual([]);
    // A follower's read goes to its leader now (followerReads.test.ts), and is answered there.
    expect(cluster.node(1).readIndex(10)).toEqual({ ok: true });
    cluster.tickAll(HEARTBEAT);
    expect(cluster.readStatesOf(1)).toEqual([{ ctx: 10, index: cluster.node(2).commitIndex }]);
  });

  it('without a pending read, heartbeats carry no readSeq (traces of runs without reads are unchanged)', () => {
    const cluster = clusterWithLeader(3);
    cluster.inFlight = [];
    cluster.node(1).tick();
    cluster.node(1).tick();
    cluster.process(1);
    const beats = cluster.inFlight.filter((m) => m.type === 'AppendEntries');
    expect(beats.length).toBe(2);
    for (const m of beats) expect('readSeq' in m).toBe(false);
  });

  it('a single-voter cluster answers at once', () => {
    const cluster = new Cluster(1);
    cluster.campaign(1);
    cluster.node(1).readIndex(4);
    cluster.process(1);
    expect(cluster.readStatesOf(1)).toEqual([{ ctx: 4, index: 1 }]);
  });
});

describe('lease reads (thesis §6.4.1)', () => {
  const LEASE = { checkQuorum: true, leaseReads: true, clockDriftBoundTicks: 3 } as const;

  it('served at once while the lease holds, and by a heartbeat round once it has lapsed', () => {
    const cluster = clusterWithLeader(3, LEASE);
    // A heartbeat round (stamped, with leases on) acknowledged by both followers starts the lease.
    cluster.tickAll(HEARTBEAT);
    cluster.node(1).readIndex(1);
    cluster.process(1);
    expect(cluster.inFlight.filter(isReadRound)).toEqual([]);
    expect(cluster.readStatesOf(1)).toEqual([{ ctx: 1, index: 1 }]);
    // Cut off: the lease lapses after electionTicksMin − clockDriftBoundTicks ticks from the last
    // acknowledged round's sending, before CheckQuorum deposes the leader.
    cluster.drop = (m) => m.from === 1 || m.to === 1;
    cluster.tickAll(ELECTION_MIN - LEASE.clockDriftBoundTicks);
    expect(cluster.node(1).role).toBe('leader');
    cluster.node(1).readIndex(2);
    cluster.process(1);
    expect(cluster.readStatesOf(1)).toHaveLength(1);
    expect(cluster.inFlight.some(isReadRound)).toBe(true);
  });

  it('needs CheckQuorum and a drift bound below the election timeout', async () => {
    const { validateRaftConfig } = await import('../../src/raft/index.js');
    const { makeConfig } = await import('./harness.js');
    expect(validateRaftConfig(makeConfig(1, [1, 2, 3], { leaseReads: true }))).toBe('leaseReads needs checkQuorum');
    expect(validateRaftConfig(makeConfig(1, [1, 2, 3], { ...LEASE, clockDriftBoundTicks: ELECTION_MIN })))
      .toMatch(/clockDriftBoundTicks/);
  });
});
