/** The runtime's small pure parts: frames, peer message checks, HTTP route and identity parsing, addresses. */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { parseAddress } from '../../src/runtime/addresses.js';
import { membersFromFile, membersFromPeers } from '../../src/runtime/clusterConfig.js';
import { encodeFrame, FrameDecoder, FrameError, MAX_FRAME_BYTES } from '../../src/runtime/framing.js';
import { clientIdentity, ONE_SHOT_ID_BASE } from '../../src/runtime/http/clientIdentity.js';
import { HttpError } from '../../src/runtime/http/httpError.js';
import { kvOperation, kvRoute } from '../../src/runtime/http/kvRoute.js';
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
  });
  it.each([
    ['unknown type', { ...vote, type: 'Hello' }],
    ['not addressed to us', { ...vote, to: 3 }],
    ['from a stranger', { ...vote, from: 9 }],
    ['negative term', { ...vote, term: -1 }],
    ['missing field', { ...vote, lastLogIndex: undefined }],
    ['bad entries', { type: 'AppendEntries', from: 3, to: 2, term: 1, prevLogIndex: 0, prevLogTerm: 0, leaderCommit: 0, entries: [{ index: 'x' }] }],
    ['not an object', 'RequestVote'],
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
});
