import { describe, expect, it } from 'vitest';
import { KvClient } from '../../src/kv/client.js';
import type { KvOperation } from '../../src/kv/types.js';

const get: KvOperation = { f: 'get', key: 'k' };
const servers = [1, 2, 3];

describe('KvClient', () => {
  it('numbers operations 1, 2, … and goes back to the server that answered ok', () => {
    const client = new KvClient({ clientId: 9, servers, firstServer: 2 });
    const first = client.begin(get);
    expect(first).toEqual({ to: 2, request: { clientId: 9, seq: 1, op: get } });
    expect(client.outstanding).toEqual({ seq: 1, op: get, to: 2 });
    expect(client.onResponse(2, { status: 'ok', clientId: 9, seq: 1, output: { value: null } }))
      .toEqual({ kind: 'done', output: { value: null } });
    expect(client.outstanding).toBeNull();
    expect(client.knownLeader).toBe(2);
    expect(client.begin(get)).toEqual({ to: 2, request: { clientId: 9, seq: 2, op: get } });
  });

  it('follows a leader hint with the same seq', () => {
    const client = new KvClient({ clientId: 9, servers });
    client.begin(get);
    expect(client.onResponse(1, { status: 'not-leader', clientId: 9, seq: 1, leaderHint: 3 }))
      .toEqual({ kind: 'send', to: 3, request: { clientId: 9, seq: 1, op: get } });
    expect(client.knownLeader).toBe(3);
  });

  it('tries the next server on not-leader without a usable hint', () => {
    const client = new KvClient({ clientId: 9, servers });
    client.begin(get);
    expect(client.onResponse(1, { status: 'not-leader', clientId: 9, seq: 1, leaderHint: null }))
      .toMatchObject({ kind: 'send', to: 2 });
    // A hint naming the server that just refused is useless.
    expect(client.onResponse(2, { status: 'not-leader', clientId: 9, seq: 1, leaderHint: 2 }))
      .toMatchObject({ kind: 'send', to: 3, request: { seq: 1 } });
    expect(client.knownLeader).toBeNull();
  });

  it('retries the same seq at the next server on retry', () => {
    const client = new KvClient({ clientId: 9, servers, firstServer: 3 });
    client.begin(get);
    expect(client.onResponse(3, { status: 'retry', clientId: 9, seq: 1 }))
      .toEqual({ kind: 'send', to: 1, request: { clientId: 9, seq: 1, op: get, retried: true } });
  });

  it('waits for its timeout after an overloaded answer (the command was not logged), then resends the same seq', () => {
    const client = new KvClient({ clientId: 9, servers, firstServer: 2 });
    client.begin(get);
    expect(client.onResponse(2, { status: 'overloaded', clientId: 9, seq: 1 })).toEqual({ kind: 'ignore' });
    expect(client.outstanding).toEqual({ seq: 1, op: get, to: 2 });
    expect(client.onTimeout()).toMatchObject({ request: { seq: 1 } });
  });

  it('round-robins the same seq on timeouts and forgets the leader', () => {
    const client = new KvClient({ clientId: 9, servers });
    client.begin(get);
    client.onResponse(1, { status: 'ok', clientId: 9, seq: 1, output: { value: null } });
    expect(client.begin(get).to).toBe(1);
    const targets = [1, 2, 3, 4].map(() => client.onTimeout());
    expect(targets.map((t) => t.to)).toEqual([2, 3, 1, 2]);
    expect(targets.every((t) => t.request.seq === 2)).toBe(true);
    expect(client.knownLeader).toBeNull();
  });

  it('ignores stale and duplicate responses', () => {
    const client = new KvClient({ clientId: 9, servers });
    expect(client.onResponse(1, { status: 'ok', clientId: 9, seq: 1, output: {} }))
      .toEqual({ kind: 'ignore' });
    client.begin(get);
    client.onResponse(1, { status: 'ok', clientId: 9, seq: 1, output: { value: 'a' } });
    client.begin(get);
    // A duplicate ok of seq 1, another client's response, a refusal from a server left behind.
    const duplicate = { status: 'ok', clientId: 9, seq: 1, output: { value: 'a' } } as const;
    expect(client.onResponse(1, duplicate)).toEqual({ kind: 'ignore' });
    expect(client.onResponse(1, { status: 'retry', clientId: 8, seq: 2 }))
      .toEqual({ kind: 'ignore' });
    client.onTimeout(); // now at server 2
    expect(client.onResponse(1, { status: 'retry', clientId: 9, seq: 2 }))
      .toEqual({ kind: 'ignore' });
    expect(client.outstanding).toMatchObject({ seq: 2, to: 2 });
  });

  it('accepts an ok for the current seq from a server it moved away from', () => {
    const client = new KvClient({ clientId: 9, servers });
    client.begin(get);
    client.onTimeout();
    expect(client.onResponse(1, { status: 'ok', clientId: 9, seq: 1, output: { value: 'x' } }))
      .toEqual({ kind: 'done', output: { value: 'x' } });
    expect(client.knownLeader).toBe(1);
  });

  it('marks copies sent after a time-out or a retry answer as retried, not after a redirect', () => {
    const client = new KvClient({ clientId: 9, servers });
    client.begin(get);
    const redirected = client.onResponse(1, { status: 'not-leader', clientId: 9, seq: 1, leaderHint: 2 });
    expect(redirected).toEqual({ kind: 'send', to: 2, request: { clientId: 9, seq: 1, op: get } });
    expect(client.onTimeout().request).toEqual({ clientId: 9, seq: 1, op: get, retried: true });
    client.onResponse(3, { status: 'ok', clientId: 9, seq: 1, output: { value: null } });
    expect(client.begin(get).request).toEqual({ clientId: 9, seq: 2, op: get });
    expect(client.onResponse(3, { status: 'retry', clientId: 9, seq: 2 }))
      .toMatchObject({ kind: 'send', request: { seq: 2, retried: true } });
  });

  it('ends an operation on session-expired, saying whether a copy may have applied, and starts a new session on request', () => {
    const client = new KvClient({ clientId: 9, servers });
    client.begin(get);
    client.onResponse(1, { status: 'ok', clientId: 9, seq: 1, output: { value: null } });
    expect(client.sessionConfirmed).toBe(true);
    client.begin(get);
    client.onTimeout();
    expect(client.onResponse(3, { status: 'session-expired', clientId: 9, seq: 2 }))
      .toEqual({ kind: 'session-expired', mayHaveApplied: true });
    expect(client.outstanding).toBeNull();
    expect(() => client.renewSession(9)).toThrow(/new client id/);
    client.renewSession(1009);
    expect(client.sessionConfirmed).toBe(false);
    expect(client.begin(get).request).toEqual({ clientId: 1009, seq: 1, op: get });
  });

  it('asserts on begin with an operation outstanding', () => {
    const client = new KvClient({ clientId: 9, servers });
    client.begin(get);
    expect(() => client.begin(get)).toThrow(/outstanding/);
  });
});

describe('KvClient routing with stale leader hints', () => {
  // n3 leads; the others hint in a loop that never names it (a removed node keeps its last
  // leader forever): n2 → n5, n5 none, n6 → n1, n1 → n2.
  const hints: Record<number, number | null> = { 1: 2, 2: 5, 4: 5, 5: null, 6: 1 };

  it('reaches the leader: following a hint does not move its round-robin position', () => {
    const client = new KvClient({ clientId: 1, servers: [1, 2, 3, 4, 5, 6], firstServer: 2 });
    let send = client.begin({ f: 'put', key: 'k', value: 'v' });
    const visited: number[] = [];
    for (let step = 0; step < 12 && send.to !== 3; step++) {
      visited.push(send.to);
      const next = client.onResponse(send.to, { status: 'not-leader', clientId: 1, seq: 1, leaderHint: hints[send.to]! });
      expect(next.kind).toBe('send');
      send = next as typeof send & { kind: 'send' };
    }
    expect(send.to).toBe(3);
    expect(visited).toEqual([2, 5]);
  });

  it('ignores hints after as many in a row as there are servers', () => {
    // Every node names another non-leader: hints alone would never reach n3.
    const loop: Record<number, number> = { 1: 2, 2: 1, 4: 1, 5: 1, 6: 1 };
    const client = new KvClient({ clientId: 1, servers: [1, 2, 3, 4, 5, 6], firstServer: 1 });
    let send = client.begin({ f: 'put', key: 'k', value: 'v' });
    let steps = 0;
    while (send.to !== 3 && steps++ < 30) {
      send = client.onResponse(send.to, { status: 'not-leader', clientId: 1, seq: 1, leaderHint: loop[send.to]! }) as typeof send & { kind: 'send' };
    }
    expect(send.to).toBe(3);
    expect(steps).toBeLessThanOrEqual(6 + 2);
  });
});
