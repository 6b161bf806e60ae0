/**
 * HTTP limits of a node (src/runtime/http/limits.ts): slow headers, held bodies and idle keep-alive
 * connections are closed at their deadlines, connections past the cap get 503 overloaded, a body
 * that says it is too big gets 413 before any of it is sent, and the bodies held by all
 * connections together stay within the shared budget. One node in this process, small limits.
 */
import { describe, expect, it } from 'vitest';
import { http } from '../../support/http.js';
import { scaled } from '../../support/timeFactor.js';
import { waitFor } from '../../support/wait.js';
import { dribble, oneNode, rawClient } from './oneNode.js';

const SHORT = { headersTimeoutMs: 800, requestTimeoutMs: 1_500, keepAliveTimeoutMs: 800 };

async function metric(port: number, line: RegExp): Promise<number> {
  const text = (await http('GET', `http://127.0.0.1:${port}/metrics`)).text;
  const match = text.split('\n').find((l) => line.test(l));
  return match === undefined ? 0 : Number(match.split(' ').pop());
}

describe('HTTP deadlines', () => {
  it('closes slowloris connections (headers one byte at a time) at the header deadline, and stays responsive', async () => {
    const node = await oneNode(SHORT);
    const port = node.address.port;
    const clients = Array.from({ length: 300 }, () => rawClient(port, (socket) =>
      dribble(socket, `GET /status HTTP/1.1\r\nHost: x\r\nX-Slow: ${'a'.repeat(10_000)}\r\n\r\n`, 100)));
    await waitFor('all slowloris connections to be open', () => clients.filter((c) => c.seen.connected).length, (n) => n === clients.length);
    // While they dribble, the node answers others.
    expect((await http('GET', `http://127.0.0.1:${port}/status`)).status).toBe(200);
    await waitFor('the server to close every slowloris connection', () => clients.filter((c) => !c.seen.closed).length, (n) => n === 0);
    expect(clients.filter((c) => c.seen.answer !== '')).toEqual([]);
    expect(await metric(port, /^raftsim_http_deadline_closes_total\{phase="headers"\}/)).toBeGreaterThanOrEqual(clients.length);
    expect((await http('GET', `http://127.0.0.1:${port}/status`)).status).toBe(200);
  }, scaled(120_000));

  it('closes a connection whose body is still missing at the request deadline', async () => {
    const node = await oneNode(SHORT);
    const held = rawClient(node.address.port, (socket) =>
      socket.write('PUT /kv/held HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n0123456789'));
    await waitFor('the server to close the connection holding its body', () => ({ ...held.seen }), (s) => s.closed);
    expect(held.seen.answer).toBe('');
    expect(await metric(node.address.port, /^raftsim_http_deadline_closes_total\{phase="body"\}/)).toBe(1);
    expect(node.httpLoad().bodyBytes).toBe(0);
    // Nothing of it was applied.
    expect((await http('GET', `http://127.0.0.1:${node.address.port}/kv/held`)).json).toMatchObject({ value: null });
  }, scaled(60_000));

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const node = await oneNode(SHORT);
    const idle = rawClient(node.address.port, (socket) => socket.write('GET /status HTTP/1.1\r\nHost: x\r\n\r\n'));
    await waitFor('the answer, then the close of the idle connection', () => ({ ...idle.seen }), (s) => s.closed);
    expect(idle.seen.answer).toMatch(/^HTTP\/1\.1 200 /);
  }, scaled(60_000));
});

describe('HTTP caps', () => {
  it('answers 503 overloaded past the connection cap, and takes connections again once some close', async () => {
    const node = await oneNode({ maxConnections: 20, headersTimeoutMs: 60_000, requestTimeoutMs: 60_000 });
    const port = node.address.port;
    const holders = Array.from({ length: 20 }, () => rawClient(port, (socket) => socket.write('GET /status HTTP/1.1\r\n')));
    await waitFor('20 connections to be held', () => node.httpLoad().connections, (n) => n === 20);
    const turnedAway = rawClient(port, (socket) => socket.write('GET /status HTTP/1.1\r\nHost: x\r\n\r\n'));
    await waitFor('the connection past the cap to be answered and closed', () => ({ ...turnedAway.seen }), (s) => s.closed);
    expect(turnedAway.seen.answer).toMatch(/^HTTP\/1\.1 503 /);
    expect(JSON.parse(turnedAway.seen.answer.slice(turnedAway.seen.answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: 'overloaded', outcome: 'not-applied' });
    for (const h of holders.slice(0, 5)) h.socket.destroy();
    await waitFor('a connection to be taken again', () => http('GET', `http://127.0.0.1:${port}/status`).then((a) => a.status), (s) => s === 200);
    expect(await metric(port, /^raftsim_overloaded_total\{reason="connections"\}/)).toBeGreaterThanOrEqual(1);
  }, scaled(60_000));

  it('refuses a body that says it is too big with 413 before any of it is sent', async () => {
    const node = await oneNode({});
    // Over the 1 MiB limit but small enough that main read it all (up to 16 MiB) before answering.
    const big = rawClient(node.address.port, (socket) => socket.write(`PUT /kv/big HTTP/1.1\r\nHost: x\r\nContent-Length: ${2 * 1024 * 1024}\r\n\r\n`));
    await waitFor('the 413 answer (no body byte sent)', () => ({ ...big.seen }), (s) => s.answer.includes('\r\n\r\n{'));
    expect(big.seen.answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(big.seen.answer).toContain('"body-too-large"');
  }, scaled(60_000));

  it('bounds the body bytes held by all connections together: past it, 503 overloaded', async () => {
    const node = await oneNode({ maxBodyBytes: 64 * 1024, maxBufferedBodyBytes: 100 * 1024, requestTimeoutMs: 60_000, headersTimeoutMs: 60_000 });
    const port = node.address.port;
    const part = 'x'.repeat(40 * 1024);
    const head = `PUT /kv/k HTTP/1.1\r\nHost: x\r\nContent-Length: ${60 * 1024}\r\n\r\n`;
    // Two bodies of 40 KiB held (80 KiB of 100): both are waiting for the rest.
    const holders = [rawClient(port, (s) => s.write(head + part)), rawClient(port, (s) => s.write(head + part))];
    await waitFor('the two partial bodies to be read', () => node.httpLoad().bodyBytes, (n) => n === 80 * 1024);
    // A third would take it past 100 KiB.
    const third = rawClient(port, (s) => s.write(head + part));
    await waitFor('the third body to be refused', () => ({ ...third.seen }), (s) => s.closed);
    expect(third.seen.answer).toMatch(/^HTTP\/1\.1 503 /);
    expect(third.seen.answer).toContain('"overloaded"');
    expect(holders.every((h) => !h.seen.closed)).toBe(true);
    expect(node.httpLoad().bodyBytes).toBeLessThanOrEqual(100 * 1024);
    // Once a holder goes, its bytes come back to the budget and a body fits again.
    holders[0]!.socket.destroy();
    await waitFor('the gone holder\'s bytes to be given back', () => node.httpLoad().bodyBytes, (n) => n === 40 * 1024);
    await waitFor('a body to fit again', () => http('PUT', `http://127.0.0.1:${port}/kv/k`, { body: part }).then((a) => a.status), (s) => s === 200);
  }, scaled(60_000));
});
