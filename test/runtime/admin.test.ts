/**
 * The test-only admin endpoint (serve --test-admin): partitioning the leader away makes the others
 * elect a new one; healing brings the old leader back as a follower of the new term.
 */
import { describe, expect, it } from 'vitest';
import { http, raftsimAsync, scaled, TestCluster } from './helpers.js';

describe('POST /admin/partition and /admin/heal', () => {
  it('isolating the leader elects another; healing reunites them', async () => {
    const cluster = await TestCluster.forThisTest(3, ['--test-admin', '--request-timeout-ms', '1500']);
    const old = await cluster.currentLeader();
    const others = cluster.names.filter((n) => n !== old);
    const bad = await http('POST', cluster.url(old, '/admin/partition'), { body: '{"drop": ["n9"]}' });
    expect(bad.status).toBe(400);
    const cut = await http('POST', cluster.url(old, '/admin/partition'), { body: JSON.stringify({ drop: others }) });
    expect(cut.status).toBe(200);
    expect(cut.json.partitioned).toEqual(others);
    const fresh = await cluster.currentLeader(others);
    expect(fresh).not.toBe(old);
    // Cut off, the old leader hears of no newer term (no check-quorum): it still leads its old term.
    const oldView = await cluster.status(old);
    expect(oldView).toMatchObject({ role: 'leader', leader: old });
    expect(oldView.term).toBeLessThan((await cluster.status(fresh)).term);
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
