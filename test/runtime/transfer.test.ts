/**
 * Leadership transfer in the real runtime (thesis §3.10): `raftsim transfer-leader` moves
 * leadership to the named node in the next term, and SIGTERM to a leader hands leadership over
 * before the process exits, so the cluster elects exactly once (the term goes up by one) instead of
 * waiting for an election timeout and maybe splitting votes. Peers' TimeoutNow and the transfer
 * flag of RequestVote pass the field-by-field check, bounded like every other message.
 */
import { describe, expect, it } from 'vitest';
import { checkPeerMessage } from '../../src/runtime/peerMessages.js';
import { http, raftsimAsync, scaled, TestCluster, waitFor } from './helpers.js';

describe('leadership transfer over the wire', () => {
  const ctx = { self: 2, from: 1 };
  it('accepts TimeoutNow and a RequestVote marked transfer, and nothing looser', () => {
    const timeoutNow = { type: 'TimeoutNow', from: 1, to: 2, term: 4 };
    expect(checkPeerMessage(timeoutNow, ctx)).toEqual({ message: timeoutNow });
    expect(checkPeerMessage({ ...timeoutNow, term: 2 ** 41 }, ctx)).toHaveProperty('error');
    expect(checkPeerMessage({ ...timeoutNow, from: 3 }, ctx)).toHaveProperty('error');
    const vote = { type: 'RequestVote', from: 1, to: 2, term: 5, lastLogIndex: 7, lastLogTerm: 4 };
    expect(checkPeerMessage({ ...vote, transfer: true }, ctx)).toEqual({ message: { ...vote, transfer: true } });
    expect(checkPeerMessage(vote, ctx)).toEqual({ message: vote });
    expect(checkPeerMessage({ ...vote, transfer: false }, ctx)).toHaveProperty('error');
    expect(checkPeerMessage({ ...vote, transfer: 'yes' }, ctx)).toHaveProperty('error');
  });
});

describe('raftsim transfer-leader and a graceful leader shutdown', () => {
  it('moves leadership on request, then SIGTERM to the new leader hands it on with one election', async () => {
    const cluster = await TestCluster.forThisTest(3);
    const first = await cluster.currentLeader();
    const { term } = await cluster.status(first);
    const target = cluster.follower(first);
    // Asked through a follower that is not the target: it redirects to the leader.
    const via = cluster.names.find((n) => n !== first && n !== target)!;
    expect((await http('POST', cluster.url(via, `/transfer-leader?to=${target}`))).status).toBe(307);
    expect((await http('POST', cluster.url(first, '/transfer-leader?to=n9'))).status).toBe(400);
    const run = await raftsimAsync(['transfer-leader', '--to', target, '--cluster', cluster.address(via)]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${target} leads term ${term + 1} (was ${first})`);
    expect(await cluster.currentLeader()).toBe(target);
    expect((await cluster.status(target)).term).toBe(term + 1);

    // SIGTERM to the leader: it hands over to a follower before exiting; the others agree on that
    // follower in the very next term, so there was one election and no election timeout to wait.
    expect(await cluster.kill(target, 'SIGTERM')).toBe(0);
    const log = cluster.logs.get(target) ?? '';
    const handedTo = /handed leadership to (n\d) \(term (\d+)\)/.exec(log);
    expect(handedTo, log).not.toBeNull();
    const next = await cluster.currentLeader();
    expect(next).toBe(handedTo![1]);
    const after = await waitFor(`${next} leads`, () => cluster.status(next), (s) => s.role === 'leader');
    expect(after.term).toBe(term + 2);
    expect(Number(handedTo![2])).toBe(term + 2);
    const c = cluster.client();
    expect(await c.call({ f: 'put', key: 'after-handoff', value: 'v' })).toMatchObject({ kind: 'ok' });
  }, scaled(60_000));
});
