/**
 * The abuse suite: one real 3-node cluster with acknowledged writes, then every attack and operator
 * mistake of issue 10 in turn: a forged frame, an absurd term, a malformed entry, a giant frame,
 * slowloris, a second process on a data directory, a deleted and a truncated WAL segment. Each
 * must end in a clear refusal, the cluster must keep committing, and at the end every
 * acknowledged write must still be there. (Each defence has its own detailed tests: wire/,
 * limits/, storage/; this file shows them together against one cluster, as an attacker would.)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, truncateSync } from 'node:fs';
import { waitForDurableMark, walDataEnd } from './storage/helpers.js';
import net from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeFrame, PEER_MAGIC } from '../../src/runtime/framing.js';
import { cliEntry } from '../support/cli.js';
import { TestCluster } from '../support/testCluster.js';
import { scaled } from '../support/timeFactor.js';
import { waitFor } from '../support/wait.js';
import { keyOf, RawPeer } from './wire/rawPeer.js';

const TEST_MS = scaled(300_000);

/** Writes `count` keys through the cluster and returns what was acknowledged. */
async function writeAcknowledged(cluster: TestCluster, prefix: string, count: number, acked: Map<string, string>): Promise<void> {
  const client = cluster.client();
  for (let i = 0; i < count; i++) {
    const key = `${prefix}${i}`;
    const answer = await client.call({ f: 'put', key, value: `v-${key}` });
    expect(answer, `put ${key}`).toMatchObject({ kind: 'ok' });
    acked.set(key, `v-${key}`);
  }
}

/** A peer message an attacker would send as n3 to n1. */
function append(term: number, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'AppendEntries', from: 3, to: 1, term, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0, ...fields };
}

async function termOf(cluster: TestCluster, name: string): Promise<number> {
  return (await cluster.status(name)).term;
}

/** Opens `count` HTTP connections that send their request line one byte at a time and never finish. */
function slowloris(port: number, count: number): { closed: () => number; stop: () => void } {
  let closed = 0;
  const sockets = Array.from({ length: count }, () => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.on('close', () => closed++);
    return socket;
  });
  const line = 'GET /status HTTP/1.1\r\nHost: x\r\n';
  let at = 0;
  const drip = setInterval(() => {
    for (const socket of sockets) if (!socket.destroyed) socket.write(line[at % line.length]!);
    at++;
  }, 500);
  return { closed: () => closed, stop: () => { clearInterval(drip); for (const s of sockets) s.destroy(); } };
}

describe('the abuse suite: one cluster, every attack, no acknowledged write lost', () => {
  it('refuses each attack clearly and keeps every acknowledged write', async () => {
    const cluster = await TestCluster.forThisTest(3);
    const acked = new Map<string, string>();
    await writeAcknowledged(cluster, 'before-', 20, acked);
    const n1 = cluster.port('n1');
    const termBefore = await termOf(cluster, 'n1');

    // 1. A forged frame with no handshake: closed, no answer.
    const forger = await RawPeer.connect(n1);
    forger.write(Buffer.concat([PEER_MAGIC, encodeFrame(append(termBefore + 1))]));
    await forger.waitClosed('a frame with no handshake');
    expect(forger.frames).toEqual([]);

    // 2-3. An insider with the secret: an absurd term, then an entry the KV cannot understand.
    for (const [what, message] of [['term 2^53−1', append(Number.MAX_SAFE_INTEGER)],
      ['an entry whose command is {}', append(termBefore + 1_000_000, { entries: [{ index: 1, term: termBefore + 1_000_000, command: {} }], leaderCommit: 1 })]] as const) {
      const insider = await RawPeer.connect(n1);
      await insider.handshake(3, 1, keyOf(cluster.secret), [encodeFrame(message)]);
      await insider.waitClosed(what);
    }
    expect(await termOf(cluster, 'n1'), 'no forged term reached the core').toBeLessThan(termBefore + 1_000);

    // 4. A frame that declares 200 MB: refused from its length prefix.
    const giant = await RawPeer.connect(n1);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(200 * 1024 * 1024);
    giant.write(Buffer.concat([PEER_MAGIC, header, Buffer.alloc(64 * 1024)]));
    await giant.waitClosed('a 200 MB frame header');

    // 5. Slowloris: every connection is closed by the header deadline while the node still answers.
    const attack = slowloris(n1, 50);
    try {
      expect((await cluster.status('n1')).id).toBe('n1');
      await waitFor('the header deadline to close 50 slowloris connections', () => attack.closed(), (closed) => closed === 50, { baseLimitMs: 60_000 });
    } finally {
      attack.stop();
    }
    await writeAcknowledged(cluster, 'after-attacks-', 10, acked);

    // 6. A second process on a running node's data directory: exit 2, naming the owner's pid.
    const leader = await cluster.currentLeader();
    const follower = cluster.follower(leader);
    const second = spawnSync(process.execPath, [cliEntry(), 'serve', '--id', follower, '--data', join(cluster.dataRoot, follower),
      '--listen', '127.0.0.1:1', '--insecure-peers'], { encoding: 'utf8', timeout: scaled(30_000) });
    expect(second.status).toBe(2);
    expect(second.stderr.trim()).toMatch(new RegExp(`^raftsim: ${follower}: data directory .* in use by pid ${cluster.children.get(follower)!.pid}`));

    // 7. A follower whose WAL lost its newest segment, then had it cut to a third: it refuses to start.
    const dir = join(cluster.dataRoot, follower);
    await waitForDurableMark(dir, (await cluster.status(follower)).log.last);
    await cluster.kill(follower, 'SIGKILL');
    const backup = `${dir}.backup`;
    cpSync(dir, backup, { recursive: true });
    const newest = join(dir, readdirSync(dir).filter((n) => n.startsWith('wal-')).sort().at(-1)!);
    for (const damage of [() => rmSync(newest), () => truncateSync(newest, Math.floor(walDataEnd(newest) / 3))]) {
      rmSync(dir, { recursive: true, force: true });
      cpSync(backup, dir, { recursive: true });
      damage();
      const refused = await cluster.startNode(follower).then(() => 'it started', (error: Error) => error.message);
      expect(refused).toMatch(new RegExp(`^${follower} exited \\(2\\) before listening: [^]*WAL segment`));
    }
    // Restored whole, it rejoins; the cluster kept committing meanwhile.
    await writeAcknowledged(cluster, 'while-down-', 10, acked);
    rmSync(dir, { recursive: true, force: true });
    cpSync(backup, dir, { recursive: true });
    await cluster.startNode(follower);

    // Every acknowledged write is there, read through the leader.
    await cluster.currentLeader();
    const client = cluster.client();
    for (const [key, value] of acked) {
      expect(await client.call({ f: 'get', key }), `get ${key}`).toMatchObject({ kind: 'ok', output: { value } });
    }
    expect(acked.size).toBe(40);
  }, TEST_MS);
});
