/**
 * Leadership transfer (Ongaro's thesis §3.10; etcd-raft's MsgTransferLeader and MsgTimeoutNow).
 * The thesis's steps: the leader stops accepting client requests, brings the target's log up to
 * date, sends it TimeoutNow; the target starts an election at once and, its log being complete,
 * wins in the next term; if that has not happened within an election timeout, the leader aborts.
 */
import { describe, expect, it } from 'vitest';
import { describeMessage } from '../../src/raft/index.js';
import type { Message, RaftConfig } from '../../src/raft/index.js';
import { Cluster, ELECTION_MIN, HEARTBEAT, drain, nodeWithLog, rv } from './harness.js';

type Switches = Pick<RaftConfig, 'preVote' | 'checkQuorum'>;

/** A 3-node cluster whose n1 leads term 1 and has committed `commands` besides its no-op. */
function clusterWithLeader(switches: Switches = {}, commands = 2): Cluster {
  const cluster = new Cluster(3, switches);
  cluster.tickAll(ELECTION_MIN);
  expect(cluster.leaders()).toEqual([1]);
  for (let k = 0; k < commands; k++) cluster.node(1).propose(`x${k}`);
  cluster.deliverAll();
  expect(cluster.node(1).commitIndex).toBe(1 + commands);
  return cluster;
}

/** Records every message the cluster carries (delivered or not) into `seen`, dropping those `lost` says. */
function watch(cluster: Cluster, lost: (m: Message<string>) => boolean = () => false): Message<string>[] {
  const seen: Message<string>[] = [];
  cluster.drop = (m) => {
    seen.push(m);
    return lost(m);
  };
  return seen;
}

describe('leadership transfer (thesis §3.10)', () => {
  it('to an up-to-date follower: it wins the next term with no election timeout waited', () => {
    const cluster = clusterWithLeader();
    const seen = watch(cluster);
    expect(cluster.node(1).transferLeadership(2)).toEqual({ ok: true, to: 2 });
    cluster.deliverAll(); // no tick at all: nobody's election timer fires
    expect(cluster.leaders()).toEqual([2]);
    expect(cluster.node(2).term).toBe(2);
    expect(cluster.node(1)).toMatchObject({ role: 'follower', term: 2, leaderId: 2 });
    // Exactly one election: one TimeoutNow, then n2's vote requests, marked as a transfer.
    expect(seen.filter((m) => m.type === 'TimeoutNow').map(describeMessage)).toEqual(['n1->n2 TimeoutNow t1']);
    const requests = seen.filter((m) => m.type === 'RequestVote');
    expect(requests.map(describeMessage)).toEqual(['n2->n1 RequestVote t2 last=3/1 transfer', 'n2->n3 RequestVote t2 last=3/1 transfer']);
    // The new leader commits its no-op, and everything before it, everywhere.
    cluster.tickAll(HEARTBEAT);
    expect(cluster.ids.map((id) => cluster.node(id).commitIndex)).toEqual([4, 4, 4]);
  });

  it('a lagging target is caught up first: TimeoutNow only once it holds the whole log', () => {
    const cluster = clusterWithLeader();
    watch(cluster, (m) => m.to === 3); // n3 hears nothing while n1 and n2 commit more
    for (let k = 0; k < 6; k++) cluster.node(1).propose(`late${k}`);
    cluster.deliverAll();
    const last = cluster.node(1).lastIndex;
    expect(cluster.node(3).lastIndex).toBeLessThan(last);
    const seen = watch(cluster);
    expect(cluster.node(1).transferLeadership(3).ok).toBe(true);
    // n3's window is stalled by the losses: the next heartbeat rounds resume it.
    cluster.tickAll(3 * HEARTBEAT);
    const timeoutNow = seen.findIndex((m) => m.type === 'TimeoutNow');
    expect(timeoutNow).toBeGreaterThan(0);
    // Before TimeoutNow left, n3 had acknowledged the leader's last entry.
    const caughtUp = seen.slice(0, timeoutNow).some((m) => m.type === 'AppendEntriesResponse' && m.from === 3 && m.matchIndex === last);
    expect(caughtUp).toBe(true);
    expect(cluster.leaders()).toEqual([3]);
    expect(cluster.node(3).term).toBe(2);
  });

  it('refuses proposals during the transfer, pointing at the target', () => {
    const cluster = clusterWithLeader();
    watch(cluster, (m) => m.to === 3 || m.from === 3);
    cluster.node(1).transferLeadership(3);
    const before = cluster.node(1).lastIndex;
    expect(cluster.node(1).propose('during')).toEqual({ ok: false, reason: 'transferring', leaderHint: 3 });
    expect(cluster.node(1).lastIndex).toBe(before);
  });

  it('aborts after an election timeout if the target is dead, and accepts proposals again', () => {
    const cluster = clusterWithLeader();
    watch(cluster, (m) => m.to === 3 || m.from === 3);
    cluster.node(1).transferLeadership(3);
    cluster.tickAll(ELECTION_MIN - 1);
    expect(cluster.node(1).propose('still-refused')).toMatchObject({ ok: false, reason: 'transferring' });
    cluster.tickAll(1);
    expect(cluster.node(1).propose('accepted')).toMatchObject({ ok: true, term: 1 });
    expect(cluster.leaders()).toEqual([1]);
  });

  it('works with PreVote and CheckQuorum on: no pre-vote, and voters inside the lease still vote', () => {
    const cluster = clusterWithLeader({ preVote: true, checkQuorum: true });
    cluster.tickAll(1); // n3 has just heard from the leader: it is inside CheckQuorum's lease
    const seen = watch(cluster);
    cluster.node(1).transferLeadership(3);
    cluster.deliverAll();
    expect(seen.some((m) => m.type === 'PreVote')).toBe(false);
    expect(cluster.leaders()).toEqual([3]);
    expect(cluster.node(3).term).toBe(2);
  });

  it('inside the lease, only a transfer vote request is answered', () => {
    const cluster = clusterWithLeader({ checkQuorum: true });
    cluster.tickAll(1);
    const n2 = cluster.node(2);
    n2.step(rv(3, 2, 2, 3, 1));
    expect(n2.hasReady()).toBe(false);
    expect(n2.term).toBe(1);
    n2.step({ type: 'RequestVote', from: 3, to: 2, term: 2, lastLogIndex: 3, lastLogTerm: 1, transfer: true });
    expect(n2.term).toBe(2);
    expect(drain(n2).messages).toEqual([{ type: 'RequestVoteResponse', from: 2, to: 3, term: 2, granted: true }]);
  });

  it('refuses a transfer to itself, to a non-voter, and on a follower', () => {
    const cluster = clusterWithLeader();
    expect(cluster.node(1).transferLeadership(1)).toEqual({ ok: false, reason: 'self' });
    expect(cluster.node(1).transferLeadership(9)).toEqual({ ok: false, reason: 'not-a-voter' });
    expect(cluster.node(2).transferLeadership(3)).toEqual({ ok: false, reason: 'not-leader', leaderHint: 1 });
    // None of these stopped the leader from taking proposals.
    expect(cluster.node(1).propose('after').ok).toBe(true);
  });

  it('a stale TimeoutNow (of an older term) is ignored', () => {
    const n2 = nodeWithLog(2, [1, 2, 3], 3, [1, 2]);
    n2.step({ type: 'TimeoutNow', from: 1, to: 2, term: 2 });
    expect(n2.role).toBe('follower');
    expect(drain(n2).messages).toEqual([]);
  });
});
