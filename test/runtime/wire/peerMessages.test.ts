/**
 * Past a valid handshake, every message is still checked field by field: a bad one closes the
 * connection (counted under "message" in /metrics) and never reaches the node, which stays up,
 * keeps its term and keeps committing. The messages are the ones that broke nodes before the
 * check: a term of 2^53−1, a negative index, an entry whose command is `{}` (fatal to apply, and
 * durable), a message naming an unknown node, and more entries than a message may carry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame, MAX_FRAME_BYTES } from '../../../src/runtime/framing.js';
import { MAX_ENTRIES_PER_MESSAGE } from '../../../src/runtime/peerMessages.js';
import { encodeFrame as encodeStorageFrame } from '../../../src/storage/frame.js';
import { SNAPSHOT_MAGIC } from '../../../src/storage/snapshotStream.js';
import { scaled, TestCluster, waitFor } from '../helpers.js';
import { keyOf, RawPeer, refusals } from './rawPeer.js';

const TEST_MS = scaled(120_000);
let cluster: TestCluster;

beforeAll(async () => {
  cluster = await TestCluster.start(3);
}, TEST_MS);

afterAll(async () => {
  await cluster?.destroy();
});

/** Far above any term this test cluster reaches by itself, so a term at or past it was forged. */
const JUMP = 1_000_000;

function append(term: number, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'AppendEntries', from: 3, to: 1, term, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0, ...fields };
}

const cases: Array<[string, (term: number) => unknown]> = [
  ['a heartbeat with term 2^53−1', () => append(Number.MAX_SAFE_INTEGER)],
  ['a heartbeat with a fractional term', (t) => append(t + JUMP + 0.5)],
  ['an AppendEntries with a negative prevLogIndex', (t) => append(t + JUMP, { prevLogIndex: -1 })],
  ['an entry whose command is {}', (t) => append(t + JUMP, { entries: [{ index: 1, term: t + JUMP, command: {} }], leaderCommit: 1 })],
  ['an entry whose op is unknown', (t) => append(t + JUMP, { entries: [{ index: 1, term: t + JUMP, command: { clientId: 1, seq: 1, op: { f: 'drop', key: 'k' } } }], leaderCommit: 1 })],
  ['entries out of order', (t) => append(t + JUMP, { entries: [{ index: 2, term: t + JUMP, command: null }] })],
  ['a vote request from an unknown node', (t) => ({ type: 'RequestVote', from: 9, to: 1, term: t + JUMP, lastLogIndex: 0, lastLogTerm: 0 })],
  ['a vote request naming another node as sender', (t) => ({ type: 'RequestVote', from: 2, to: 1, term: t + JUMP, lastLogIndex: 0, lastLogTerm: 0 })],
  ['an unknown message type', (t) => ({ type: 'TakeOver', from: 3, to: 1, term: t + JUMP })],
  [`${MAX_ENTRIES_PER_MESSAGE + 1} entries`, (t) => append(t + JUMP, {
    entries: Array.from({ length: MAX_ENTRIES_PER_MESSAGE + 1 }, (_, i) => ({ index: i + 1, term: t + JUMP, command: null })),
  })],
  ['a whole InstallSnapshot (snapshots come in chunks)', (t) => ({
    type: 'InstallSnapshot', from: 3, to: 1, term: t + JUMP, snapshot: { lastIncludedIndex: 5, lastIncludedTerm: 1, data: { entries: 'all' } },
  })],
];

describe('messages from an authenticated peer', () => {
  it.each(cases)('%s: refused, the node stays up with its term, the cluster commits', async (what, make) => {
    await cluster.currentLeader();
    const port = cluster.port('n1');
    const before = { refused: await refusals(port, 'message'), term: (await cluster.status('n1')).term };
    const peer = await RawPeer.connect(port);
    await peer.handshake(3, 1, keyOf(cluster.secret), [encodeFrame(make(before.term))]);
    await peer.waitClosed(what);
    expect(await refusals(port, 'message')).toBe(before.refused + 1);
    expect(cluster.logs.get('n1')).toMatch(/refused a peer connection \(message\): n3: /);
    const after = await cluster.status('n1');
    expect(after.term, 'the forged term did not reach the node').toBeLessThan(before.term + JUMP);
    const c = cluster.client();
    expect(await c.call({ f: 'put', key: 'still', value: what })).toMatchObject({ kind: 'ok' });
    expect(cluster.running).toEqual(['n1', 'n2', 'n3']);
  }, TEST_MS);

  it(`a frame over ${MAX_FRAME_BYTES} bytes is refused from its length alone`, async () => {
    const port = cluster.port('n1');
    const before = await refusals(port, 'frame');
    const header = Buffer.alloc(4);
    header.writeUInt32BE(MAX_FRAME_BYTES + 1);
    const peer = await RawPeer.connect(port);
    await peer.handshake(3, 1, keyOf(cluster.secret), [header]);
    await peer.waitClosed('a frame header over the limit');
    expect(await refusals(port, 'frame')).toBe(before + 1);
  }, TEST_MS);

  it('a valid message is accepted: the connection stays open for the next one', async () => {
    const port = cluster.port('n1');
    const before = await refusals(port, 'message');
    const term = (await cluster.status('n1')).term;
    const peer = await RawPeer.connect(port);
    // A stale vote response: well formed, and harmless to the node.
    const vote = encodeFrame({ type: 'RequestVoteResponse', from: 3, to: 1, term: Math.max(0, term - 1), granted: false });
    await peer.handshake(3, 1, keyOf(cluster.secret), [vote]);
    peer.send({ type: 'RequestVoteResponse', from: 3, to: 1, term: Math.max(0, term - 1), granted: false });
    peer.send(append(Number.MAX_SAFE_INTEGER));
    await peer.waitClosed('a valid message, then a forged one');
    // Only the forged one was refused: the first two passed.
    expect(await refusals(port, 'message')).toBe(before + 1);
  }, TEST_MS);
});

/** A snapshot stream of hand-made pieces, framed as the real encoder frames them. */
function forgedStream(index: number, term: number, pieces: unknown[]): Buffer {
  const frame = (kind: string, value: unknown) => encodeStorageFrame(Buffer.concat([Buffer.from(kind), Buffer.from(JSON.stringify(value))]));
  return Buffer.concat([SNAPSHOT_MAGIC, frame('H', { index, term }), ...pieces.map((p) => frame('P', p)), frame('E', { pieces: pieces.length })]);
}

describe('a forged snapshot stream from an authenticated peer', () => {
  it.each([
    ['a session with seq 0 (the KV restore asserts on it)', [{ meta: { lastAppliedIndex: 9_000, entries: 0, sessions: 1 } }, { sessions: [[5, 0, null, 1]] }]],
    ['a value that is not a string', [{ meta: { lastAppliedIndex: 9_000, entries: 1, sessions: 0 } }, { entries: [['k', { evil: true }]] }]],
    ['fewer entries than it announced', [{ meta: { lastAppliedIndex: 9_000, entries: 5, sessions: 0 } }]],
  ])('%s: refused, never installed; the node stays up and the cluster commits', async (what, pieces) => {
    await cluster.currentLeader();
    const port = cluster.port('n1');
    const before = { refused: await refusals(port, 'snapshot'), status: await cluster.status('n1') };
    const term = before.status.term + JUMP;
    const stream = forgedStream(9_000, term, pieces);
    const chunk = { type: 'SnapshotChunk', from: 3, to: 1, term, transfer: 77, index: 9_000, snapshotTerm: term, offset: 0, data: stream.toString('base64'), done: true };
    const peer = await RawPeer.connect(port);
    await peer.handshake(3, 1, keyOf(cluster.secret), [encodeFrame(chunk)]);
    await waitFor(`n1 to refuse ${what}`, () => refusals(port, 'snapshot'), (n) => n === before.refused + 1);
    const after = await cluster.status('n1');
    expect(after.snapshotIndex, 'the forged snapshot was not installed').toBeLessThan(9_000);
    expect(after.term).toBeLessThan(term);
    expect(cluster.logs.get('n1')).toMatch(/refused a peer connection \(snapshot\): n3: snapshot 9000\/\d+ transfer: a bad snapshot stream/);
    expect(await cluster.client().call({ f: 'put', key: 'after-forged-snapshot', value: what })).toMatchObject({ kind: 'ok' });
  }, TEST_MS);
});
