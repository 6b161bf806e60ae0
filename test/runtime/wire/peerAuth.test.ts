/**
 * Peers must prove the cluster secret before anything they send reaches a node; unauthenticated
 * and stalled connections are closed within their deadlines and their number is capped. Each
 * refusal is seen three ways: the server closes the connection, /metrics counts it under its
 * reason, and the node's Raft state (its term) did not move.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame, PEER_MAGIC } from '../../../src/runtime/framing.js';
import { MAX_HANDSHAKING } from '../../../src/runtime/transport.js';
import { scaled, TestCluster, waitFor } from '../helpers.js';
import { keyOf, RawPeer, refusals } from './rawPeer.js';

const TEST_MS = scaled(120_000);
const HUGE_TERM = Number.MAX_SAFE_INTEGER;
let cluster: TestCluster;

beforeAll(async () => {
  cluster = await TestCluster.start(3);
}, TEST_MS);

afterAll(async () => {
  await cluster?.destroy();
});

async function expectCommits(key: string, value: string): Promise<void> {
  const c = cluster.client();
  expect(await c.call({ f: 'put', key, value })).toMatchObject({ kind: 'ok' });
  expect(await c.call({ f: 'get', key })).toMatchObject({ kind: 'ok', output: { value } });
}

/** A heartbeat from n3 to n1 with a term no real cluster reaches. */
const hugeHeartbeat = encodeFrame({ type: 'AppendEntries', from: 3, to: 1, term: HUGE_TERM, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0 });

describe('peers without the secret', () => {
  it('a forged frame with no handshake is refused and the cluster still commits', async () => {
    await cluster.currentLeader();
    const port = cluster.port('n1');
    const before = await refusals(port, 'hello');
    const peer = await RawPeer.connect(port);
    peer.write(Buffer.concat([PEER_MAGIC, encodeFrame({ hello: 3 }), hugeHeartbeat]));
    await peer.waitClosed('an old-style hello and a forged heartbeat');
    expect(peer.frames).toEqual([]);
    expect(await refusals(port, 'hello')).toBe(before + 1);
    expect((await cluster.status('n1')).term).toBeLessThan(2 ** 40);
    await expectCommits('after-forged-frame', 'ok');
  }, TEST_MS);

  it('a wrong secret is refused (closed, counted, one log line)', async () => {
    const port = cluster.port('n1');
    const before = await refusals(port, 'auth');
    const peer = await RawPeer.connect(port);
    await peer.handshake(3, 1, keyOf('not-the-cluster-secret-at-all'), [hugeHeartbeat], false);
    await peer.waitClosed('a proof made with the wrong secret');
    expect(await refusals(port, 'auth')).toBe(before + 1);
    expect(cluster.logs.get('n1')).toMatch(/refused a peer connection \(auth\): .*wrong proof/);
    expect((await cluster.status('n1')).term).toBeLessThan(2 ** 40);
  }, TEST_MS);

  it('a recorded handshake replayed on a new connection is refused', async () => {
    const port = cluster.port('n2');
    const key = keyOf(cluster.secret);
    const first = await RawPeer.connect(port);
    await first.handshake(3, 2, key);
    first.destroy();
    const before = await refusals(port, 'auth');
    const replay = await RawPeer.connect(port);
    replay.write(Buffer.concat([...first.written, hugeHeartbeat]));
    await replay.waitClosed('a replayed hello and proof');
    expect(await refusals(port, 'auth')).toBe(before + 1);
    expect((await cluster.status('n2')).term).toBeLessThan(2 ** 40);
  }, TEST_MS);

  it('a declared 200 MB frame before authentication is refused at once, not buffered', async () => {
    const port = cluster.port('n1');
    const before = await refusals(port, 'frame');
    const header = Buffer.alloc(4);
    header.writeUInt32BE(200 * 1024 * 1024);
    const peer = await RawPeer.connect(port);
    peer.write(Buffer.concat([PEER_MAGIC, header, Buffer.alloc(64 * 1024)]));
    await peer.waitClosed('a 200 MB frame header');
    expect(await refusals(port, 'frame')).toBe(before + 1);
  }, TEST_MS);
});

describe('deadlines and caps', () => {
  it('a hello that stalls after the marker is closed by the handshake deadline', async () => {
    const port = cluster.port('n1');
    const before = await refusals(port, 'timeout');
    const peer = await RawPeer.connect(port);
    peer.write(Buffer.concat([PEER_MAGIC, encodeFrame({ hello: 3, to: 1, nonce: '0'.repeat(32) }).subarray(0, 10)]));
    await peer.waitClosed('half a hello', 20_000);
    expect(await refusals(port, 'timeout')).toBe(before + 1);
  }, TEST_MS);

  it('a frame that stalls after a valid handshake is closed by the frame deadline', async () => {
    const port = cluster.port('n1');
    const before = await refusals(port, 'timeout');
    const peer = await RawPeer.connect(port);
    await peer.handshake(3, 1, keyOf(cluster.secret), [hugeHeartbeat.subarray(0, 20)]);
    await peer.waitClosed('20 bytes of a frame', 30_000);
    expect(await refusals(port, 'timeout')).toBe(before + 1);
    expect((await cluster.status('n1')).term).toBeLessThan(2 ** 40);
  }, TEST_MS);

  it(`at most ${MAX_HANDSHAKING} connections wait in handshake: more evict the oldest`, async () => {
    const port = cluster.port('n3');
    const before = await refusals(port, 'limit');
    const extra = 4;
    const peers: RawPeer[] = [];
    for (let i = 0; i < MAX_HANDSHAKING + extra; i++) {
      const peer = await RawPeer.connect(port);
      peer.write(PEER_MAGIC);
      peers.push(peer);
      // Each must be past the marker before the next, so the eviction order is the opening order.
      await waitFor(`connection ${i} to be counted`, () => refusals(port, 'limit'), (n) => n >= before + Math.max(0, i + 1 - MAX_HANDSHAKING), { baseLimitMs: 10_000 });
    }
    expect(await refusals(port, 'limit')).toBe(before + extra);
    await waitFor('the oldest connections to be closed', () => peers.slice(0, extra).every((p) => p.closedByServer), (all) => all, { baseLimitMs: 10_000 });
    for (const peer of peers) peer.destroy();
    await expectCommits('after-many-connections', 'ok');
  }, TEST_MS);
});
