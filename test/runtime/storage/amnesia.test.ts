/**
 * End to end: a node whose WAL lost acknowledged writes (its segment deleted, or cut to a third)
 * refuses to start, exit 2 with one line naming what is missing, instead of rejoining the
 * cluster with amnesia (where, with another node making a majority, acknowledged writes are lost).
 */
import { cpSync, readdirSync, rmSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TestCluster } from '../../support/testCluster.js';
import { scaled } from '../../support/timeFactor.js';
import { tempDir, waitForDurableMark, walDataEnd } from './helpers.js';

const TEST_MS = scaled(120_000);
const WRITES = 30;

function restore(backup: string, dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  cpSync(backup, dir, { recursive: true });
}

/**
 * Why `name` did not start: its exit and the error lines it printed. A stale-lock notice (the node
 * was SIGKILLed) may come first; it is not the error.
 */
async function startError(cluster: TestCluster, name: string): Promise<{ exit: string; errors: string[] }> {
  const message = await cluster.startNode(name).then(() => 'it started', (error: Error) => error.message);
  const [exit, output = ''] = message.split(' before listening: ');
  const errors = output.trim().split('\n').filter((line) => !/^raftsim: storage: data directory .*: taking over the lock of pid \d+/.test(line));
  return { exit: exit!, errors };
}

describe('a node that lost part of its WAL', () => {
  it('refuses to start (exit 2, one line) rather than rejoin with amnesia; restored, it rejoins', async () => {
    const cluster = await TestCluster.forThisTest(3);
    const client = cluster.client();
    for (let i = 0; i < WRITES; i++) {
      expect(await client.call({ f: 'put', key: `k${i}`, value: `v${i}` }), `put k${i}`).toMatchObject({ kind: 'ok' });
    }
    // The leader holds every acknowledged write on its disk. Its durable mark claims them up to
    // MARK_INTERVAL_MS later (by design, it lags): wait until it does, so that what the cuts below
    // take is known to have been durable (a cut past a lagging mark is a torn tail, and rightly accepted).
    const victim = await cluster.currentLeader();
    const dir = join(cluster.dataRoot, victim);
    await waitForDurableMark(dir, (await cluster.status(victim)).log.last);
    await cluster.kill(victim, 'SIGKILL');
    const backup = join(tempDir('raftsim-amnesia-'), victim);
    cpSync(dir, backup, { recursive: true });
    const segments = readdirSync(dir).filter((n) => n.startsWith('wal-')).sort();
    const newest = join(dir, segments.at(-1)!);

    rmSync(newest);
    const deleted = await startError(cluster, victim);
    expect(deleted.exit).toBe(`${victim} exited (2)`);
    expect(deleted.errors).toEqual([expect.stringMatching(new RegExp(`^raftsim: ${victim}: (every )?WAL segment.* is missing .*\\(data dir ${dir}\\)`))]);

    restore(backup, dir);
    // A third of its records (the file is longer: zeros written ahead of the appends).
    truncateSync(newest, Math.floor(walDataEnd(newest) / 3));
    const truncated = await startError(cluster, victim);
    expect(truncated.exit).toBe(`${victim} exited (2)`);
    expect(truncated.errors).toEqual([expect.stringMatching(
      new RegExp(`^raftsim: ${victim}: WAL segment .* ends at byte \\d+ but was durable up to byte \\d+: indexes \\d+\\.\\.\\d+ are missing`))]);

    // The control: with its files back whole, the same node starts and every write is there.
    restore(backup, dir);
    await cluster.startNode(victim);
    await cluster.currentLeader();
    for (let i = 0; i < WRITES; i++) {
      expect(await client.call({ f: 'get', key: `k${i}` }), `get k${i}`).toMatchObject({ kind: 'ok', output: { value: `v${i}` } });
    }
  }, TEST_MS);
});
