/**
 * The test-only admin endpoint (serve --test-admin): partitioning the leader away makes the others
 * elect a new one; healing brings the old leader back as a follower of the new term.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, raftsimAsync, TestCluster, waitFor } from './helpers.js';

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await TestCluster.create(3, ['--test-admin', '--request-timeout-ms', '1500']);
  await cluster.startAll();
});

afterAll(async () => {
  await cluster?.destroy();
});

describe('POST /admin/partition and /admin/heal', () => {
  it('isolating the leader elects another; healing reunites them', async () => {
    const old = await cluster.waitForLeader();
    const others = cluster.names.filter((n) => n !== old);
    const bad = await http('POST', cluster.url(old, '/admin/partition'), { body: '{"drop": ["n9"]}' });
    expect(bad.status).toBe(400);
    const cut = await http('POST', cluster.url(old, '/admin/partition'), { body: JSON.stringify({ drop: others }) });
    expect(cut.status).toBe(200);
    expect(cut.json.partitioned).toEqual(others);
    const fresh = await cluster.waitForLeader(10_000, others);
    expect(fresh).not.toBe(old);
    // The isolated old leader cannot commit: a write sent to it gets no acknowledgement, and the
    // client, able to reach only that node, ends with "outcome unknown" (exit 3).
    const stuck = await http('PUT', cluster.url(old, '/kv/isolated'), { body: 'x', timeoutMs: 8_000 });
    expect([503, 504, 307]).toContain(stuck.status);
    if (stuck.status !== 307) expect(stuck.json.outcome).toBe('unknown');
    const run = await raftsimAsync(['client', 'put', 'k', 'v', '--cluster', cluster.address(old), '--timeout-ms', '2500']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/outcome unknown .*--client-id \d+ --seq 1/);
    expect((await http('POST', cluster.url(old, '/admin/heal'))).json.partitioned).toEqual([]);
    await waitFor('the old leader to follow the new one', async () => {
      const s = await cluster.status(old);
      return s.role === 'follower' && s.leader !== null ? s : undefined;
    }, 10_000);
    expect(await cluster.waitForLeader(10_000, cluster.names)).not.toBe(old);
  });
});
