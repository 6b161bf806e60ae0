/** The runtime's small pure parts: frames, peer message checks, HTTP route and identity parsing, addresses. */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { parseAddress } from '../../src/runtime/addresses.js';
import { membersFromFile, membersFromPeers } from '../../src/runtime/clusterConfig.js';
import { encodeFrame, FrameDecoder, FrameError, MAX_FRAME_BYTES } from '../../src/runtime/framing.js';
import { clientIdentity, ONE_SHOT_ID_BASE } from '../../src/runtime/http/clientIdentity.js';
import { HttpError } from '../../src/runtime/http/httpError.js';
import { fromResponse } from '../../src/runtime/http/kvHandler.js';
import { kvOperation, kvRoute } from '../../src/runtime/http/kvRoute.js';
import type { NodeContext } from '../../src/runtime/http/nodeContext.js';
import { checkPeerMessage } from '../../src/runtime/peerMessages.js';
import { RuntimeConfigError } from '../../src/runtime/runtimeConfigError.js';

describe('frames', () => {
  it('decodes values split and joined across chunks in any way', () => {
    const values = [{ a: 1 }, 'x'.repeat(300), [1, 2, 3], null];
    const bytes = Buffer.concat(values.map(encodeFrame));
    for (const size of [1, 3, 7, 64, bytes.length]) {
      const decoder = new FrameDecoder();
      const out: unknown[] = [];
      for (let i = 0; i < bytes.length; i += size) out.push(...decoder.push(bytes.subarray(i, i + size)));
      expect(out).toEqual(values);
    }
  });

  it('refuses oversized and non-JSON frames', () => {
    const big = Buffer.alloc(4);
    big.writeUInt32BE(MAX_FRAME_BYTES + 1);
    expect(() => new FrameDecoder().push(big)).toThrow(FrameError);
    const junk = Buffer.concat([Buffer.from([0, 0, 0, 3]), Buffer.from('{{{')]);
    expect(() => new FrameDecoder().push(junk)).toThrow(FrameError);
  });
});

describe('peer messages', () => {
  const ctx = (from: number) => ({ self: 2, from });
  const vote = { type: 'RequestVote', from: 3, to: 2, term: 4, lastLogIndex: 7, lastLogTerm: 3 };
  it('accepts a well-formed message from the authenticated peer to us', () => {
    expect(checkPeerMessage(vote, ctx(3))).toEqual({ message: vote });
    const append = { type: 'AppendEntries', from: 1, to: 2, term: 4, prevLogIndex: 0, prevLogTerm: 0, leaderCommit: 0, entries: [{ index: 1, term: 4, command: null }] };
    expect(checkPeerMessage(append, ctx(1))).toEqual({ message: append });
    const chunk = { type: 'SnapshotChunk', from: 3, to: 2, term: 4, transfer: 9, index: 2, snapshotTerm: 1, offset: 0, data: 'AAEC', done: false };
    expect(checkPeerMessage(chunk, ctx(3))).toEqual({ transfer: { ...chunk, data: Buffer.from([0, 1, 2]) } });
    const ack = { type: 'SnapshotAck', from: 3, to: 2, transfer: 9, offset: 3, ok: true };
    expect(checkPeerMessage(ack, ctx(3))).toEqual({ transfer: ack });
    const cas = { clientId: 1, seq: 2, op: { f: 'cas', key: 'k', expected: null, value: 'v' } };
    const withCas = { ...append, entries: [{ index: 1, term: 4, command: cas }], extra: 'dropped' };
    expect(checkPeerMessage(withCas, ctx(1))).toEqual({ message: { ...append, entries: [{ index: 1, term: 4, command: cas }] } });
  });
  it('accepts PreVote and PreVoteResponse, field by field like their RequestVote twins', () => {
    const preVote = { type: 'PreVote', from: 3, to: 2, term: 5, lastLogIndex: 7, lastLogTerm: 4 };
    expect(checkPeerMessage(preVote, ctx(3))).toEqual({ message: preVote });
    const answer = { type: 'PreVoteResponse', from: 3, to: 2, term: 5, granted: true };
    expect(checkPeerMessage(answer, ctx(3))).toEqual({ message: answer });
    expect(checkPeerMessage({ ...preVote, lastLogTerm: 6 }, ctx(3))).toHaveProperty('error');
    expect(checkPeerMessage({ ...preVote, lastLogIndex: -1 }, ctx(3))).toHaveProperty('error');
    expect(checkPeerMessage({ ...answer, granted: 'yes' }, ctx(3))).toHaveProperty('error');
    expect(checkPeerMessage({ ...answer, from: 1 }, ctx(3))).toHaveProperty('error');
  });
  it('accepts the readSeq that confirms reads on AppendEntries and its answer, bounded; absent stays absent', () => {
    const beat = { type: 'AppendEntries', from: 1, to: 2, term: 4, prevLogIndex: 0, prevLogTerm: 0, leaderCommit: 0, entries: [] };
    expect(checkPeerMessage(beat, ctx(1))).toEqual({ message: beat });
    expect(checkPeerMessage({ ...beat, readSeq: 7 }, ctx(1))).toEqual({ message: { ...beat, readSeq: 7 } });
    const answer = { type: 'AppendEntriesResponse', from: 3, to: 2, term: 4, success: true, matchIndex: 3, rejectedIndex: 0, conflictTerm: 0, conflictIndex: 0 };
    expect(checkPeerMessage(answer, ctx(3))).toEqual({ message: answer });
    expect(checkPeerMessage({ ...answer, readSeq: 7 }, ctx(3))).toEqual({ message: { ...answer, readSeq: 7 } });
    for (const bad of [-1, 1.5, 'x', 2 ** 48 + 1]) {
      expect(checkPeerMessage({ ...beat, readSeq: bad }, ctx(1))).toHaveProperty('error');
      expect(checkPeerMessage({ ...answer, readSeq: bad }, ctx(3))).toHaveProperty('error');
    }
  });
  it('keeps the fields bounded sessions replicate: the leader\'s stamp, the one-shot and retried flags', () => {
    const append = { type: 'AppendEntries', from: 1, to: 2, term: 4, prevLogIndex: 0, prevLogTerm: 0, leaderCommit: 0 };
    const command = { clientId: 1, seq: 2, op: { f: 'get', key: 'k' }, timeMs: 1_764_000_000_000, oneShot: false, retried: true };
    const message = { ...append, entries: [{ index: 1, term: 4, command }] };
    expect(checkPeerMessage(message, ctx(1))).toEqual({ message });
    expect(checkPeerMessage({ ...message, entries: [{ index: 1, term: 4, command: { ...command, timeMs: -1 } }] }, ctx(1))).toHaveProperty('error');
    expect(checkPeerMessage({ ...message, entries: [{ index: 1, term: 4, command: { ...command, retried: 'yes' } }] }, ctx(1))).toHaveProperty('error');
  });
  it.each([
    ['unknown type', { ...vote, type: 'Hello' }],
    ['not addressed to us', { ...vote, to: 3 }],
    ['from a stranger', { ...vote, from: 9 }],
    ['negative term', { ...vote, term: -1 }],
    ['missing field', { ...vote, lastLogIndex: undefined }],
    ['bad entries', { type: 'AppendEntries', from: 3, to: 2, term: 1, prevLogIndex: 0, prevLogTerm: 0, leaderCommit: 0, entries: [{ index: 'x' }] }],
    ['not an object', 'RequestVote'],
    ['a term past 2^40', { ...vote, term: 2 ** 40 + 1 }],
    ['a last log term above the term', { ...vote, lastLogTerm: 5 }],
    ['a command that is {}', { type: 'AppendEntries', from: 3, to: 2, term: 1, prevLogIndex: 0, prevLogTerm: 0, leaderCommit: 1, entries: [{ index: 1, term: 1, command: {} }] }],
    ['a cas without expected', { type: 'AppendEntries', from: 3, to: 2, term: 1, prevLogIndex: 0, prevLogTerm: 0, leaderCommit: 1, entries: [{ index: 1, term: 1, command: { clientId: 1, seq: 1, op: { f: 'cas', key: 'k', value: 'v' } } }] }],
    ['a whole InstallSnapshot (snapshots come in chunks)', { type: 'InstallSnapshot', from: 3, to: 2, term: 1, snapshot: { lastIncludedIndex: 2, lastIncludedTerm: 1, data: { lastAppliedIndex: 2, entries: [], sessions: [] } } }],
    ['a chunk whose data is not base64', { type: 'SnapshotChunk', from: 3, to: 2, term: 1, transfer: 1, index: 2, snapshotTerm: 1, offset: 0, data: 'not base64!', done: false }],
    ['a chunk over 1 MiB', { type: 'SnapshotChunk', from: 3, to: 2, term: 1, transfer: 1, index: 2, snapshotTerm: 1, offset: 0, data: 'A'.repeat(1_500_000), done: false }],
    ['a chunk whose snapshot term passes its term', { type: 'SnapshotChunk', from: 3, to: 2, term: 1, transfer: 1, index: 2, snapshotTerm: 2, offset: 0, data: 'AA==', done: false }],
    ['an ack without ok', { type: 'SnapshotAck', from: 3, to: 2, transfer: 1, offset: 0 }],
  ])('refuses %s', (_, value) => {
    expect(checkPeerMessage(value, ctx(3))).toHaveProperty('error');
  });
});

describe('KV routes', () => {
  it('maps methods and paths to operations', () => {
    expect(kvRoute('GET', ['a%2Fb'])).toEqual({ verb: 'get', key: 'a/b' });
    expect(kvRoute('POST', ['k', 'cas'])).toEqual({ verb: 'cas', key: 'k' });
    expect(kvRoute('GET', ['k', 'other'])).toBeNull();
    expect(() => kvRoute('POST', ['k'])).toThrow(HttpError);
    const put = kvOperation({ verb: 'put', key: 'k' }, Buffer.from('{"value":"v"}'), 'application/json');
    expect(put).toEqual({ f: 'put', key: 'k', value: 'v' });
    expect(kvOperation({ verb: 'put', key: 'k' }, Buffer.from('{"value":"v"}'), 'text/plain')).toEqual({ f: 'put', key: 'k', value: '{"value":"v"}' });
    expect(kvOperation({ verb: 'cas', key: 'k' }, Buffer.from('{"expected":null,"value":"v"}'), undefined))
      .toEqual({ f: 'cas', key: 'k', expected: null, value: 'v' });
    expect(() => kvOperation({ verb: 'put', key: 'k' }, Buffer.from([0xff, 0xfe]), undefined)).toThrow(HttpError);
  });

  it('reads the client identity from headers or query, or makes a one-shot one', () => {
    const req = (headers: Record<string, string>): IncomingMessage => ({ headers } as unknown as IncomingMessage);
    expect(clientIdentity(req({ 'x-client-id': '5', 'x-seq': '9' }), new URLSearchParams())).toEqual({ clientId: 5, seq: 9, supplied: true });
    expect(clientIdentity(req({}), new URLSearchParams('client=5&seq=9'))).toEqual({ clientId: 5, seq: 9, supplied: true });
    const oneShot = clientIdentity(req({}), new URLSearchParams());
    expect(oneShot.supplied).toBe(false);
    expect(oneShot.clientId).toBeGreaterThanOrEqual(ONE_SHOT_ID_BASE);
    expect(() => clientIdentity(req({ 'x-seq': '1' }), new URLSearchParams())).toThrow(HttpError);
    expect(() => clientIdentity(req({ 'x-client-id': '0', 'x-seq': '1' }), new URLSearchParams())).toThrow(HttpError);
  });
});

describe('addresses and members', () => {
  it('accepts loopback only and builds members from --peers or a file', () => {
    expect(parseAddress('localhost:80')).toEqual({ host: '127.0.0.1', port: 80 });
    expect(() => parseAddress('0.0.0.0:80')).toThrow(RuntimeConfigError);
    expect(() => parseAddress('127.0.0.1:70000')).toThrow(RuntimeConfigError);
    const members = membersFromPeers(1, parseAddress('127.0.0.1:7001'), 'n2=127.0.0.1:7002,n3=127.0.0.1:7003');
    expect([...members.addresses.keys()]).toEqual([1, 2, 3]);
    const file = { nodes: [{ id: 'n1', address: '127.0.0.1:7001' }, { id: 'n2', address: '127.0.0.1:7002' }] };
    expect(membersFromFile(2, file, null).addresses.get(2)).toEqual({ host: '127.0.0.1', port: 7002 });
    expect(() => membersFromFile(3, file, null)).toThrow(RuntimeConfigError);
    expect(() => membersFromPeers(1, parseAddress('127.0.0.1:7001'), 'n2=127.0.0.1:7001')).toThrow(RuntimeConfigError);
  });

  it('reads peer addresses of their own from --peers (CLIENT/PEER), --peer-listen and the file', () => {
    const members = membersFromPeers(1, parseAddress('127.0.0.1:7001'), 'n2=127.0.0.1:7002/127.0.0.1:8002,n3=127.0.0.1:7003', parseAddress('127.0.0.1:8001'));
    expect(members.peerAddresses.get(1)).toEqual({ host: '127.0.0.1', port: 8001 });
    expect(members.peerAddresses.get(2)).toEqual({ host: '127.0.0.1', port: 8002 });
    expect(members.peerAddresses.get(3)).toEqual({ host: '127.0.0.1', port: 7003 });
    const file = { nodes: [{ id: 'n1', address: '127.0.0.1:7001', peerAddress: '127.0.0.1:8001' }, { id: 'n2', address: '127.0.0.1:7002' }] };
    expect(membersFromFile(2, file, null).peerAddresses.get(1)).toEqual({ host: '127.0.0.1', port: 8001 });
    expect(() => membersFromPeers(1, parseAddress('127.0.0.1:7001'), 'n2=127.0.0.1:7002/127.0.0.1:7003,n3=127.0.0.1:7003')).toThrow(/share the address/);
    expect(() => membersFromPeers(1, parseAddress('127.0.0.1:7001'), 'n2=127.0.0.1:7002/')).toThrow(RuntimeConfigError);
    expect(() => membersFromFile(1, { nodes: [{ id: 'n1', address: '127.0.0.1:7001', peerAddress: 8001 }] }, null)).toThrow(/peerAddress/);
  });
});

describe('KV answers over HTTP', () => {
  it('maps a leader refusing past its uncommitted bound to 503 overloaded, not applied, retry later', () => {
    const who = { clientId: 7, seq: 3, supplied: true };
    const url = new URL('http://127.0.0.1/kv/k');
    const [status, body, headers] = fromResponse({} as NodeContext, { status: 'overloaded', clientId: 7, seq: 3 }, who, { f: 'get', key: 'k' }, url);
    expect(status).toBe(503);
    expect(body).toMatchObject({ error: 'overloaded', outcome: 'not-applied', clientId: 7, seq: 3 });
    expect(headers).toMatchObject({ 'Retry-After': '1' });
  });
});
