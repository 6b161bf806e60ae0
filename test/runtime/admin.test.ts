/**
 * The test-only admin endpoint (serve --test-admin): partitioning the leader away makes the others
 * elect a new one; healing brings the old leader back as a follower of the new term. With
 * CheckQuorum (on by default) the cut-off leader steps down by itself and refuses writes it could
 * not commit; with PreVote (on by default) it never bumps its term, so it rejoins without
 * deposing the new leader.
 */
import { describe, expect, it } from 'vitest';
import { http, raftsimAsync, scaled, TestCluster, waitFor } from './helpers.js';

describe('POST /admin/partition and /admin/heal', () => {
  it('isolating the leader elects another; the old one steps down; healing reunites them', async () => {
    const cluster = await TestCluster.forThisTest(3, ['--test-admin', '--request-timeout-ms', '1500']);
    const old = await cluster.currentLeader();
    const others = cluster.names.filter((n) => n !== old);
    // Gets are ReadIndex reads by default (no log entry), shown in /status and /metrics.
    expect((await cluster.status(old)).readMode).toBe('read-index');
    expect((await http('GET', cluster.url(old, '/metrics'))).text).toContain('raftsim_read_mode{mode="read-index"} 1');
    expect((await http('PUT', cluster.url(old, '/kv/isolated'), { body: 'before' })).status).toBe(200);
    const before = await http('GET', cluster.url(old, '/kv/isolated'));
    expect(before).toMatchObject({ status: 200, json: { value: 'before' } });
    const bad = await http('POST', cluster.url(old, '/admin/partition'), { body: '{"drop": ["n9"]}' });
    expect(bad.status).toBe(400);
    const cut = await http('POST', cluster.url(old, '/admin/partition'), { body: JSON.stringify({ drop: others }) });
    expect(cut.status).toBe(200);
    expect(cut.json.partitioned).toEqual(others);
    const fresh = await cluster.currentLeader(others);
    expect(fresh).not.toBe(old);
    // CheckQuorum: cut off from the majority, the old leader steps down (within an election
    // timeout) and knows no leader; PreVote: it stays in its old term, below the new leader's.
    const oldView = await waitFor(`${old} steps down`, () => cluster.status(old), (s) => s.role !== 'leader');
    expect(oldView.leader).toBeNull();
    expect(oldView.term).toBeLessThan((await cluster.status(fresh)).term);
    // So a write sent to it is refused as not applied (503), not taken and left unknown (504).
    const refused = await http('PUT', cluster.url(old, '/kv/isolated'), { body: 'x' });
    expect(refused.status).toBe(503);
    expect(refused.json).toMatchObject({ error: 'no-leader', outcome: 'not-applied' });

    expect((await http('POST', cluster.url(old, '/admin/heal'))).json.partitioned).toEqual([]);
    // The old leader rejoins as a follower of the new one, which it does not depose.
    await waitFor(`${old} follows ${fresh}`, () => cluster.status(old), (s) => s.leader === fresh);
    expect(await cluster.currentLeader(cluster.names)).toBe(fresh);
    const c = cluster.client();
    expect(await c.call({ f: 'get', key: 'isolated' })).toMatchObject({ kind: 'ok', output: { value: 'before' } });
  }, scaled(90_000));

  it('with --no-check-quorum --no-pre-vote, the cut-off leader leads on and takes writes it cannot commit', async () => {
    const cluster = await TestCluster.forThisTest(3, ['--test-admin', '--request-timeout-ms', '1500', '--no-check-quorum', '--no-pre-vote']);
    const old = await cluster.currentLeader();
    const others = cluster.names.filter((n) => n !== old);
    expect((await http('PUT', cluster.url(old, '/kv/r'), { body: 'old' })).status).toBe(200);
    const cut = await http('POST', cluster.url(old, '/admin/partition'), { body: JSON.stringify({ drop: others }) });
    expect(cut.status).toBe(200);
    expect(cut.json.partitioned).toEqual(others);
    const fresh = await cluster.currentLeader(others);
    expect(fresh).not.toBe(old);
    // Cut off, the old leader hears of no newer term and does not check its quorum: it still leads its old term.
    const oldView = await cluster.status(old);
    expect(oldView).toMatchObject({ role: 'leader', leader: old });
    expect(oldView.term).toBeLessThan((await cluster.status(fresh)).term);
    // The new leader takes a write; the old one, still leading in its own eyes, never answers a
    // read with the value it holds: no majority acknowledges its heartbeat round (thesis §6.4).
    expect((await http('PUT', cluster.url(fresh, '/kv/r'), { body: 'new' })).status).toBe(200);
    const staleRead = await http('GET', cluster.url(old, '/kv/r'));
    expect(staleRead.status).toBe(504);
    expect(staleRead.json).not.toHaveProperty('value');
    // So it takes a write but cannot commit it: the request times out with "outcome unknown" (504),
    // and the client, able to reach only that node, ends with exit 3.
    const stuck = await http('PUT', cluster.url(old, '/kv/isolated'), { body: 'x' });
    expect(stuck.status).toBe(504);
    expect(stuck.json).toMatchObject({ error: 'outcome-unknown', outcome: 'unknown' });
    const run = await raftsimAsync(['client', 'put', 'k', 'v', '--cluster', cluster.address(old), '--timeout-ms', String(scaled(4_000))]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/outcome unknown .*--client-id \d+ --seq 1/);

    expect((await http('POST', cluster.url(old, '/admin/heal'))).json.partitioned).toEqual([]);
    const reunited = await cluster.currentLeader(cluster.names);
    expect(reunited).not.toBe(old);
    // Neither write was ever committed: the old leader dropped them when it joined the new term.
    const c = cluster.client();
    expect(await c.call({ f: 'get', key: 'isolated' })).toMatchObject({ kind: 'ok', output: { value: null } });
    expect(await c.call({ f: 'get', key: 'k' })).toMatchObject({ kind: 'ok', output: { value: null } });
  }, scaled(90_000));
});
