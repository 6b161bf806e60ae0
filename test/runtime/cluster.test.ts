/**
 * A real 3-node cluster of `raftsim serve` processes on loopback: election, every KV operation
 * through any node (redirects followed), exactly-once retries, status and metrics, bad requests,
 * SIGKILL of the leader (no acknowledged write lost), and a restarted node catching up.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpKvClient } from '../../src/runtime/httpKvClient.js';
import { parseAddress } from '../../src/runtime/addresses.js';
import { http, TestCluster, waitFor } from './helpers.js';

let cluster: TestCluster;
let leader: string;

function client(): HttpKvClient {
  return new HttpKvClient({ servers: cluster.addresses.split(',').map((a) => parseAddress(a)), deadlineMs: 10_000 });
}

function follower(): string {
  return cluster.names.find((n) => n !== leader && cluster.children.has(n))!;
}

beforeAll(async () => {
  cluster = await TestCluster.create(3);
  await cluster.startAll();
});

afterAll(async () => {
  await cluster?.destroy();
});

describe('a 3-node cluster of serve processes', () => {
  it('elects one leader that every node knows', async () => {
    leader = await cluster.waitForLeader();
    expect(cluster.names).toContain(leader);
  });

  it('put, get, append, delete and cas through a follower, following the redirect', async () => {
    const f = follower();
    const redirect = await http('PUT', cluster.url(f, '/kv/alpha'), { body: 'one', headers: { 'X-Client-Id': '77', 'X-Seq': '1' } });
    expect(redirect.status).toBe(307);
    expect(redirect.json.leader).toBe(leader);
    const location = redirect.headers.get('location')!;
    expect(location).toContain(cluster.address(leader));
    expect(location).toContain('client=77');
    expect(location).toContain('seq=1');

    const put = await http('PUT', cluster.url(f, '/kv/alpha'), { body: 'one', follow: true });
    expect(put.status).toBe(200);
    const json = await http('PUT', cluster.url(f, '/kv/beta'), { body: JSON.stringify({ value: 'b' }), headers: { 'Content-Type': 'application/json' }, follow: true });
    expect(json.status).toBe(200);
    expect((await http('POST', cluster.url(f, '/kv/alpha/append'), { body: '+two', follow: true })).status).toBe(200);
    expect((await http('GET', cluster.url(f, '/kv/alpha'), { follow: true })).json.value).toBe('one+two');
    expect((await http('GET', cluster.url(f, '/kv/beta'), { follow: true })).json.value).toBe('b');

    const casNo = await http('POST', cluster.url(f, '/kv/alpha/cas'), { body: JSON.stringify({ expected: 'nope', value: 'x' }), follow: true });
    expect(casNo.status).toBe(200);
    expect(casNo.json.ok).toBe(false);
    const casYes = await http('POST', cluster.url(f, '/kv/alpha/cas'), { body: JSON.stringify({ expected: 'one+two', value: 'three' }), follow: true });
    expect(casYes.json.ok).toBe(true);
    const create = await http('POST', cluster.url(f, '/kv/gamma/cas'), { body: JSON.stringify({ expected: null, value: 'new' }), follow: true });
    expect(create.json.ok).toBe(true);

    expect((await http('DELETE', cluster.url(f, '/kv/beta'), { follow: true })).status).toBe(200);
    const gone = await http('GET', cluster.url(leader, '/kv/beta'));
    expect(gone.status).toBe(200);
    expect(gone.json.value).toBeNull();
  });

  it('applies a retried request once (same client id and seq)', async () => {
    const headers = { 'X-Client-Id': '4242', 'X-Seq': '1' };
    for (let i = 0; i < 3; i++) {
      const res = await http('POST', cluster.url(leader, '/kv/once/append'), { body: 'x', headers });
      expect(res.status).toBe(200);
    }
    expect((await http('GET', cluster.url(leader, '/kv/once'))).json.value).toBe('x');
    const stale = await http('POST', cluster.url(leader, '/kv/once/append'), { body: 'y', headers: { 'X-Client-Id': '4242', 'X-Seq': '2' } });
    expect(stale.status).toBe(200);
    const old = await http('POST', cluster.url(leader, '/kv/once/append'), { body: 'z', headers });
    expect(old.status).toBe(409);
    expect((await http('GET', cluster.url(leader, '/kv/once'))).json.value).toBe('xy');
  });

  it('the HTTP client finds the leader from any node', async () => {
    const c = client();
    const put = await c.call({ f: 'put', key: 'via-client', value: 'v' });
    expect(put.kind).toBe('ok');
    const get = await c.call({ f: 'get', key: 'via-client' });
    expect(get).toMatchObject({ kind: 'ok', output: { value: 'v' } });
  });

  it('/status and /metrics answer on every node', async () => {
    for (const name of cluster.names) {
      const status = await cluster.status(name);
      expect(status).toMatchObject({ id: name, leader: leader });
      expect(status.term).toBeGreaterThan(0);
      expect(status.log.last).toBeGreaterThanOrEqual(status.commitIndex);
      expect(typeof status.snapshotIndex).toBe('number');
      const metrics = await http('GET', cluster.url(name, '/metrics'));
      expect(metrics.status).toBe(200);
      expect(metrics.text).toMatch(/^raft_term \d+/m);
      expect(metrics.text).toContain('raft_role{role="leader"}');
      expect(metrics.text).toContain('storage_fsync_seconds_bucket');
    }
    const leaderMetrics = await http('GET', cluster.url(leader, '/metrics'));
    expect(leaderMetrics.text).toMatch(/^raft_proposals_total [1-9]/m);
    expect(leaderMetrics.text).toMatch(/^kv_commit_latency_seconds_count [1-9]/m);
  });

  it('answers bad requests with a 4xx JSON error and stays up', async () => {
    const url = (path: string): string => cluster.url(leader, path);
    const cases: Array<[string, string, { body?: string; headers?: Record<string, string> }, number]> = [
      ['POST', '/kv/k/cas', { body: '{not json' }, 400],
      ['POST', '/kv/k/cas', { body: '{"value": "x"}' }, 400],
      ['POST', '/kv/k/cas', { body: '{"expected": 3, "value": "x"}' }, 400],
      ['PUT', '/kv/k', { body: '{"value": 3}', headers: { 'Content-Type': 'application/json' } }, 400],
      ['PUT', '/kv/k', { body: 'x'.repeat(1024 * 1024 + 1) }, 413],
      ['GET', '/nowhere', {}, 404],
      ['GET', '/kv/k/frobnicate', {}, 404],
      ['PATCH', '/kv/k', {}, 405],
      ['GET', '/kv/k/append', {}, 405],
      ['GET', `/kv/${'k'.repeat(1025)}`, {}, 400],
      ['GET', '/kv/%E0%A4%A', {}, 400],
      ['GET', '/kv/k', { headers: { 'X-Client-Id': 'abc', 'X-Seq': '1' } }, 400],
      ['GET', '/kv/k', { headers: { 'X-Client-Id': '1' } }, 400],
      ['GET', '/kv/k', { headers: { 'X-Client-Id': '1', 'X-Seq': '-4' } }, 400],
      ['GET', '/kv/k', { headers: { 'X-Client-Id': '99999999999999999999', 'X-Seq': '1' } }, 400],
      ['GET', '/kv/k?client=1&seq=2', { headers: { 'X-Client-Id': '1', 'X-Seq': '3' } }, 400],
      ['POST', '/admin/partition', { body: '{"drop": ["n2"]}' }, 404],
      ['POST', '/admin/heal', {}, 404],
      ['POST', '/status', {}, 405],
    ];
    for (const [method, path, options, status] of cases) {
      const res = await http(method, url(path), options);
      expect({ method, path, status: res.status }).toEqual({ method, path, status });
      expect(typeof res.json.error, `${method} ${path} has a JSON error`).toBe('string');
    }
    // Malformed HTTP on a raw socket, and garbage that looks like a peer.
    for (const bytes of ['GARBAGE\r\n\r\n', 'GET / HTTP/9.9\r\nHost\r\n\r\n', '\u0000RAFTSIM\u0000\u0000\u0000\u0005hello']) {
      const answer = await new Promise<string>((resolve) => {
        const socket = net.connect(cluster.ports[Number(leader.slice(1)) - 1]!, '127.0.0.1', () => socket.write(bytes));
        let data = '';
        socket.on('data', (d) => (data += d.toString()));
        socket.on('close', () => resolve(data));
        socket.on('error', () => resolve(data));
        setTimeout(() => socket.destroy(), 1_000);
      });
      if (!bytes.startsWith('\u0000')) expect(answer).toMatch(/^HTTP\/1\.1 400/);
    }
    // A little fuzz: random methods, paths, headers and bodies; no 5xx, and the node stays up.
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pieces = ['kv', 'k', '', 'cas', 'append', 'status', 'metrics', 'admin', '%00', '..', '%ZZ', 'ü', 'a'.repeat(50)];
    const bodies = ['', '{}', 'null', '[]', '{"expected":null}', '{"value":"v","expected":null}', '\u0000\u0001', '{"value":{}}', 'x'.repeat(3000)];
    for (let i = 0; i < 120; i++) {
      const method = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'OPTIONS'][rand(6)]!;
      const path = '/' + Array.from({ length: 1 + rand(4) }, () => pieces[rand(pieces.length)]).join('/');
      const headers: Record<string, string> = {};
      if (rand(3) === 0) headers['X-Client-Id'] = String(rand(2) === 0 ? rand(1000) : 'z');
      if (rand(3) === 0) headers['X-Seq'] = String(rand(5) - 1);
      if (rand(4) === 0) headers['Content-Type'] = 'application/json';
      const body = method === 'GET' || method === 'HEAD' ? undefined : bodies[rand(bodies.length)];
      const res = await http(method, url(path), { headers, ...(body === undefined ? {} : { body }) });
      expect(res.status, `${method} ${path}`).toBeLessThan(500);
    }
    expect((await cluster.status(leader)).role).toBe('leader');
  });

  it('after SIGKILL of the leader, a new leader is elected and every acknowledged write is readable', async () => {
    const c = client();
    const acknowledged: string[] = [];
    for (let i = 0; i < 20; i++) {
      const result = await c.call({ f: 'put', key: `durable-${i}`, value: `v${i}` });
      expect(result.kind).toBe('ok');
      acknowledged.push(`durable-${i}`);
    }
    const old = leader;
    const killedAt = Date.now();
    await cluster.kill(old, 'SIGKILL');
    const survivors = cluster.names.filter((n) => n !== old);
    leader = await cluster.waitForLeader(10_000, survivors);
    expect(leader).not.toBe(old);
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    for (const [i, key] of acknowledged.entries()) {
      const get = await c.call({ f: 'get', key });
      expect(get).toMatchObject({ kind: 'ok', output: { value: `v${i}` } });
    }
    expect(await c.call({ f: 'get', key: 'alpha' })).toMatchObject({ kind: 'ok', output: { value: 'three' } });
  });

  it('a restarted node recovers from its disk and catches up', async () => {
    const restarted = cluster.names.find((n) => !cluster.children.has(n))!;
    const c = client();
    expect((await c.call({ f: 'put', key: 'while-down', value: 'yes' })).kind).toBe('ok');
    await cluster.start(restarted);
    const target = (await cluster.status(leader)).commitIndex;
    await waitFor(`${restarted} to apply through ${target}`, async () => {
      const s = await cluster.status(restarted);
      return s.lastApplied >= target ? s : undefined;
    }, 10_000).catch(async (error: Error) => {
      throw new Error(`${error.message}\n${await cluster.describe()}`);
    });
    // Every node agrees on one leader again (the restarted node may have forced an election:
    // the core has no pre-vote, so a node that timed out before hearing the leader bumps the term).
    leader = await cluster.waitForLeader(10_000, cluster.names);
    const c2 = client();
    expect(await c2.call({ f: 'get', key: 'while-down' })).toMatchObject({ kind: 'ok', output: { value: 'yes' } });
  });

  it('stops gracefully on SIGTERM (exit 0)', async () => {
    const f = follower();
    expect(await cluster.kill(f, 'SIGTERM')).toBe(0);
  });
});
