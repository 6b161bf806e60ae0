/**
 * The runtime tests' own helpers: the time factor, condition waits, free ports, and a cluster
 * start that picks other ports when one turns out taken.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTimeFactor, timeFactor } from '../support/timeFactor.js';
import { freePorts, PortTakenError, retryWhilePortTaken, scaled, TestCluster, waitFor } from './helpers.js';

const VARIABLE = 'RAFTSIM_TEST_TIME_FACTOR';
const saved = process.env[VARIABLE];

afterEach(() => {
  if (saved === undefined) delete process.env[VARIABLE];
  else process.env[VARIABLE] = saved;
});

describe('RAFTSIM_TEST_TIME_FACTOR', () => {
  it('defaults to 1 and takes any positive number', () => {
    expect(parseTimeFactor(undefined)).toBe(1);
    expect(parseTimeFactor('')).toBe(1);
    expect(parseTimeFactor('3')).toBe(3);
    expect(parseTimeFactor('0.5')).toBe(0.5);
  });

  it.each(['0', '-2', 'fast', 'Infinity', 'NaN', '2x'])('refuses %j with an error naming the variable', (text) => {
    expect(() => parseTimeFactor(text)).toThrow(/RAFTSIM_TEST_TIME_FACTOR must be a positive number/);
  });

  it('scales every limit, and a bad value stops the test plainly', () => {
    process.env[VARIABLE] = '2.5';
    expect(timeFactor()).toBe(2.5);
    expect(scaled(1_000)).toBe(2_500);
    process.env[VARIABLE] = 'slow';
    expect(() => scaled(1_000)).toThrow(/got "slow"/);
  });
});

describe('waitFor', () => {
  it('returns the first observation that satisfies the condition', async () => {
    let calls = 0;
    const seen = await waitFor('the third call', () => ++calls, (n) => n >= 3, { everyMs: 1 });
    expect(seen).toBe(3);
  });

  it('on timeout names what it waited for and the last observation', async () => {
    let calls = 0;
    const wait = waitFor('a count of -1', () => ({ count: ++calls }), (s) => s.count === -1, { baseLimitMs: 200, everyMs: 10 });
    await expect(wait).rejects.toThrow(/waiting for a count of -1; last observed: \{"count":\d+\}/);
  });

  it('reports the last error when the observation keeps failing', async () => {
    const wait = waitFor('a node that answers', () => Promise.reject(new Error('connection refused')), () => true, { baseLimitMs: 100, everyMs: 10 });
    await expect(wait).rejects.toThrow(/waiting for a node that answers; last observed: an error: connection refused/);
  });
});

describe('ports', () => {
  it('freePorts gives distinct ports that can be bound', async () => {
    const ports = await freePorts(5);
    expect(new Set(ports).size).toBe(5);
    for (const port of ports) {
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('retryWhilePortTaken tries again only for a taken port, and not forever', async () => {
    let tries = 0;
    expect(await retryWhilePortTaken(async () => (++tries < 3 ? Promise.reject(new PortTakenError('taken')) : 'started'))).toBe('started');
    expect(tries).toBe(3);
    tries = 0;
    await expect(retryWhilePortTaken(async () => (++tries, Promise.reject(new Error('crashed'))))).rejects.toThrow('crashed');
    expect(tries).toBe(1);
    tries = 0;
    await expect(retryWhilePortTaken(async () => (++tries, Promise.reject(new PortTakenError('always taken'))), 4)).rejects.toThrow('always taken');
    expect(tries).toBe(4);
  });

  it('a cluster whose port is taken before its node binds it starts on other ports', async () => {
    // It holds the port and hangs up on whoever connects (the other nodes' peer links), so that it can close.
    const squatter = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as net.AddressInfo).port;
    const picks: number[][] = [];
    const pickPorts = async (count: number): Promise<number[]> => {
      const ports = picks.length === 0 ? [taken, ...(await freePorts(count - 1))] : await freePorts(count);
      picks.push(ports);
      return ports;
    };
    try {
      const cluster = await TestCluster.start(3, [], pickPorts);
      try {
        expect(picks).toHaveLength(2);
        expect(cluster.ports).toEqual(picks[1]);
        expect(cluster.ports).not.toContain(taken);
        expect(cluster.names.map((n) => cluster.children.has(n))).toEqual([true, true, true]);
      } finally {
        await cluster.destroy();
      }
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  }, scaled(90_000));
});
