/**
 * Membership changes on real processes: a 3-node cluster with a spare (serve --voters n1,n2,n3)
 * grows to 4 (add-learner, promote; the learner starts from a snapshot sent in chunks, made before
 * it was a member), serves writes and reads through the new member, then removes
 * its own leader, which steps down once that commits; the other three elect a leader and go on.
 * Restarts keep the configuration: the removed node from its WAL, the new member from a snapshot.
 */
import { describe, expect, it } from 'vitest';
import { memberCommand } from '../../../src/cli/member.js';
import { UsageError } from '../../../src/cli/errors.js';
import { http, raftsimAsync, scaled, TestCluster, waitFor } from '../helpers.js';

interface Configuration { voters: string[]; learners: string[]; index: number; committed: boolean }
interface MemberStatus { role: string; leader: string | null; member: string; configuration: Configuration; snapshotIndex: number; lastApplied: number; keys: number }

describe('membership changes of a real cluster', () => {
  it('grows 3 to 4 through a spare, removes the leader, and keeps the configuration across restarts', async () => {
    // Snapshots every 20 entries: the writes below make one that covers every configuration entry.
    const cluster = await TestCluster.forThisTest(4, ['--voters', 'n1,n2,n3', '--snapshot-every', '20']);
    const status = async (name: string): Promise<MemberStatus> => (await cluster.status(name)) as unknown as MemberStatus;
    const first = await cluster.currentLeader(['n1', 'n2', 'n3']);
    expect(await status('n4')).toMatchObject({ member: 'none', role: 'follower', leader: null });
    expect((await status(first)).configuration).toMatchObject({ voters: ['n1', 'n2', 'n3'], learners: [], committed: true });
    // Past a snapshot first: the learner then starts from one (sent in chunks) that does not name it.
    const c = cluster.client();
    for (let i = 0; i < 25; i++) expect(await c.call({ f: 'put', key: `before${i}`, value: 'b' })).toMatchObject({ kind: 'ok' });
    await waitFor(`${first} to snapshot`, () => status(first), (s) => s.snapshotIndex > 0);

    // `member add` (add-learner) through the CLI, asked of a follower: it redirects to the leader.
    const add = await raftsimAsync(['member', 'add', 'n4', '--cluster', cluster.address(cluster.follower(first))]);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(/^n4 added as a learner: voters=\[n1,n2,n3\] learners=\[n4\] \(index \d+, term \d+\)\n$/);
    // Refusals: promote of a voter, a node outside the cluster file. Asked of any node with the
    // redirect followed, so that a change of leader under a loaded machine does not matter.
    expect(await http('POST', cluster.url('n1', '/members/promote?node=n1'), { follow: true })).toMatchObject({ status: 409, json: { error: 'no-such-change' } });
    expect((await http('POST', cluster.url('n1', '/members/add-learner?node=n9'), { follow: true })).status).toBe(400);
    const now = await cluster.currentLeader(['n1', 'n2', 'n3']);
    expect((await http('POST', cluster.url(cluster.follower(now), '/members/promote?node=n1'))).status).toBe(307);
    const promoted = await http('POST', cluster.url('n2', '/members/promote?node=n4'), { follow: true });
    expect(promoted).toMatchObject({ status: 200, json: { voters: ['n1', 'n2', 'n3', 'n4'], learners: [] } });

    // Writes and reads through the new member (it knows the leader now and redirects to it).
    for (let i = 0; i < 5; i++) {
      expect((await http('PUT', cluster.url('n4', `/kv/grown${i}`), { body: `v${i}`, follow: true })).status).toBe(200);
    }
    const read = await http('GET', cluster.url('n4', '/kv/grown4'), { follow: true });
    expect(read).toMatchObject({ status: 200 });
    expect(read.text).toContain('v4');
    await waitFor('n4 to apply the writes', () => status('n4'), (s) => s.member === 'voter' && s.keys === 30);
    // n4 started from a snapshot (whoever led then sent it).
    const sent = await Promise.all(['n1', 'n2', 'n3'].map(async (n) =>
      (await cluster.status(n) as unknown as { peers: Record<string, { snapshots: { completed: number } }> }).peers.n4!.snapshots.completed));
    expect(sent.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);

    // Remove the leader itself: it answers once the removal commits, then steps down.
    const leader = await cluster.currentLeader(['n1', 'n2', 'n3', 'n4']);
    const removed = await http('POST', cluster.url(leader, `/members/remove?node=${leader}`), { follow: true });
    const rest = ['n1', 'n2', 'n3', 'n4'].filter((n) => n !== leader);
    expect(removed).toMatchObject({ status: 200, json: { voters: rest, learners: [] } });
    const next = await cluster.currentLeader(rest);
    expect(next).not.toBe(leader);
    for (let i = 0; i < 25; i++) expect(await c.call({ f: 'put', key: `after${i}`, value: 'x' })).toMatchObject({ kind: 'ok' });
    const final = await waitFor('the final configuration committed', () => status(next), (s) => s.configuration.committed);
    expect(final.configuration).toMatchObject({ voters: rest, learners: [] });
    const list = await raftsimAsync(['member', 'list', '--cluster', rest.map((n) => cluster.address(n)).join(',')]);
    expect(list.stdout).toMatch(new RegExp(`^voters=\\[${rest.join(',')}\\] learners=\\[\\] \\(index ${final.configuration.index}, committed; from leader n\\d\\)\n$`));

    // The removed node, restarted, still knows it is out: the configuration entry is in its WAL.
    await cluster.kill(leader);
    await cluster.startNode(leader);
    const out = await status(leader);
    expect(out).toMatchObject({ member: 'none', configuration: { voters: rest } });
    expect(out.configuration.index).toBeGreaterThan(out.snapshotIndex);

    // The new member, restarted after a snapshot covered every configuration entry: from the snapshot.
    const before = await waitFor('n4 to snapshot past the removal', () => status('n4'), (s) => s.snapshotIndex >= final.configuration.index);
    await cluster.kill('n4');
    await cluster.startNode('n4');
    const back = await status('n4');
    expect(back).toMatchObject({ member: 'voter', configuration: { voters: rest, learners: [] } });
    expect(back.snapshotIndex).toBeGreaterThanOrEqual(before.snapshotIndex);
    expect(back.configuration.index).toBe(0); // no configuration entry left in its log: the snapshot's
    const metrics = await http('GET', cluster.url('n4', '/metrics'));
    expect(metrics.text).toMatch(/^raft_config_voters 3$/m);
    expect(metrics.text).toMatch(/^raft_config_learners 0$/m);
    expect(await c.call({ f: 'get', key: 'after24' })).toMatchObject({ kind: 'ok', output: { value: 'x' } });
  }, scaled(90_000));

  it('raftsim member refuses bad usage with exit 2 and one line', async () => {
    // The handler's own checks, in process (a spawn each would cost half a second)...
    const handler = memberCommand.handler as (args: Record<string, unknown>) => Promise<void>;
    for (const args of [{ action: 'add-learner' }, { action: 'promote', node: 'x4' }, { action: 'list', node: 'n4' },
      { action: 'remove', node: 'n4', cluster: '127.0.0.1:1', config: 'c.json' }, { action: 'remove', node: 'n4', cluster: '0.0.0.0:1' }]) {
      await expect(handler({ 'timeout-ms': 1000, ...args }), JSON.stringify(args)).rejects.toThrow(UsageError);
    }
    // ...and one through the real CLI: yargs' own refusal of an unknown action.
    const run = await raftsimAsync(['member', 'grow', 'n4']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  }, scaled(30_000));
});
