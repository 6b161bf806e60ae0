/**
 * Message-timing faults: a delayed message arrives `forMs` late, a replayed message is a copy of
 * one the link carried before, each link has its own fixed latency; the nemesis draws them.
 */
import { describe, expect, it } from 'vitest';
import { drawFaultSchedule } from '../../src/sim/nemesis.js';
import { MAX_DELAYED, Network, REPLAY_MEMORY } from '../../src/sim/network.js';
import { Prng } from '../../src/sim/prng.js';
import { leaderAt, records, runWorld, tinyScenario } from './faultRuns.js';

const scenario = tinyScenario();
const SEED = 7;
/** The leader and a follower at 1000 ms, from a run without faults (identical until the first fault). */
const quiet = runWorld(scenario, SEED, []);
const leader = leaderAt(quiet, 1000)!;
const follower = leader === 1 ? 2 : 1;

describe('delay', () => {
  // Far past an election timeout (150..300 ms), and due before the heal at 3000 ms.
  const forMs = 1500;
  const run = runWorld(scenario, SEED, [{ atMs: 1000, kind: 'delay', from: leader, to: follower, forMs }]);
  const delayed = records(run, 'delay');

  it('delays exactly the next message on the link', () => {
    expect(leader).not.toBeNull();
    expect(delayed).toHaveLength(1);
    expect(delayed[0]).toMatchObject({ node: leader, to: follower, forMs });
    expect(Number(delayed[0]!.t)).toBeGreaterThanOrEqual(1000);
    expect(String(delayed[0]!.msg)).toMatch(new RegExp(`^n${leader}->n${follower} `));
  });

  it('delivers it forMs later than its latency would', () => {
    const sentAt = Number(delayed[0]!.t);
    const due = Number(delayed[0]!.dueMs);
    expect(due - sentAt).toBeGreaterThanOrEqual(forMs + scenario.timing.latencyMsMin);
    expect(due - sentAt).toBeLessThanOrEqual(forMs + scenario.timing.latencyMsMax);
    const arrivals = records(run, 'deliver', (r) => r.t === due && r.msg === delayed[0]!.msg);
    expect(arrivals).toHaveLength(1);
  });

  it('leaves the run unchanged before the fault', () => {
    const before = (trace: typeof run.trace) => JSON.stringify(trace.filter((r) => Number(r.t) < 1000));
    expect(before(run.trace)).toBe(before(quiet.trace));
  });
});

describe('replay', () => {
  const run = runWorld(scenario, SEED, [{ atMs: 1500, kind: 'replay', from: leader, to: follower }]);

  it('delivers again, now, a copy of a message the link carried before', () => {
    const [replay] = records(run, 'replay');
    expect(replay).toMatchObject({ t: 1500, node: leader, to: follower });
    const earlier = records(run, 'send', (r) => Number(r.t) < 1500 && r.msg === replay!.msg);
    expect(earlier.length).toBeGreaterThan(0);
    expect(records(run, 'deliver', (r) => r.t === 1500 && r.msg === replay!.msg)).toHaveLength(1);
  });

  it('is still subject to partitions at delivery', () => {
    const cut = runWorld(scenario, SEED, [
      { atMs: 1400, kind: 'isolate', node: follower },
      { atMs: 1500, kind: 'replay', from: leader, to: follower },
    ]);
    const [replay] = records(cut, 'replay');
    expect(records(cut, 'drop', (r) => r.t === 1500 && r.msg === replay!.msg)).toHaveLength(1);
    expect(records(cut, 'deliver', (r) => r.t === 1500 && r.msg === replay!.msg)).toHaveLength(0);
  });
});

describe('Network memory and delays', () => {
  const options = { nodes: 3, latencyMsMin: 1, latencyMsMean: 3, latencyMsMax: 20, dropRatio: 0, duplicateRatio: 0 };

  it('remembers only the last REPLAY_MEMORY messages per link and prefers older ones', () => {
    const network = new Network<number>(options, new Prng('m'));
    expect(network.pickReplay(1, 2)).toBeNull();
    for (let i = 0; i < 100; i++) network.remember(1, 2, i);
    network.remember(2, 1, -1);
    const picks = Array.from({ length: 2000 }, () => network.pickReplay(1, 2)!);
    expect(Math.min(...picks)).toBeGreaterThanOrEqual(100 - REPLAY_MEMORY);
    expect(Math.max(...picks)).toBeLessThanOrEqual(99);
    const older = picks.filter((p) => p < 100 - REPLAY_MEMORY / 2).length;
    expect(older).toBeGreaterThan(picks.length * 0.6);
    expect(network.pickReplay(2, 1)).toBe(-1);
  });

  it('delays one message per armed delay, and refuses past MAX_DELAYED in flight', () => {
    const network = new Network<number>(options, new Prng('d'));
    network.armDelay(1, 2, 500);
    expect(network.takeDelay(2, 1)).toBe(0);
    expect(network.takeDelay(1, 2)).toBe(500);
    expect(network.takeDelay(1, 2)).toBe(0);
    for (let i = 0; i < MAX_DELAYED; i++) expect(network.keepDelayed(i)).not.toBeNull();
    expect(network.keepDelayed(-1)).toBeNull();
    expect(network.takeDelayed(1)).toBe(0);
    expect(network.takeDelayed(1)).toBeUndefined();
    expect(network.clearDelays()).toHaveLength(MAX_DELAYED - 1);
  });

  it('gives each link a fixed extra latency within the spread, drawing nothing per message', () => {
    const plain = new Network<number>(options, new Prng('l'));
    const spread = new Network<number>({ ...options, linkLatencySpreadMs: 50 }, new Prng('l'));
    const extras = [[1, 2], [2, 1], [1, 3], [3, 1], [2, 3], [3, 2]].map(([a, b]) => spread.linkLatency(a!, b!));
    for (const extra of extras) expect(extra >= 0 && extra <= 50).toBe(true);
    expect(new Set(extras).size).toBeGreaterThan(1);
    for (let i = 0; i < 200; i++) expect(spread.latency(1, 2)).toBe(plain.latency(1, 2) + extras[0]!);
  });
});

describe('the nemesis draws the message-timing kinds', () => {
  const drawn = (kinds: Record<string, number>) => {
    const s = tinyScenario({ nodes: 5, durationMs: 20_000, faults: { meanIntervalMs: 300, kinds } });
    return { s, faults: drawFaultSchedule(s, new Prng('3').child('nemesis')) };
  };

  it('long-delay: one link, forMs in [2, 10] × the election timeout max', () => {
    const { s, faults } = drawn({ 'long-delay': 1 });
    const electionMs = s.timing.electionTicksMax * s.timing.tickMs;
    expect(faults.length).toBeGreaterThan(5);
    for (const f of faults) {
      expect(f.kind).toBe('delay');
      if (f.kind !== 'delay') continue;
      expect(f.from).not.toBe(f.to);
      expect(f.forMs).toBeGreaterThanOrEqual(2 * electionMs);
      expect(f.forMs).toBeLessThanOrEqual(10 * electionMs);
    }
  });

  it('replay: several replays, on links between distinct nodes', () => {
    const { faults } = drawn({ replay: 1 });
    expect(faults.every((f) => f.kind === 'replay' && f.from !== f.to)).toBe(true);
    expect(faults.length).toBeGreaterThan(20);
  });

  it('split-clients: a minority/majority partition, clients reaching only the minority, then a heal', () => {
    const { faults } = drawn({ 'split-clients': 1 });
    for (let i = 0; i < faults.length; i += 3) {
      const [partition, reach, heal] = faults.slice(i, i + 3);
      expect(partition!.kind).toBe('partition');
      expect(reach!.kind).toBe('clients-reach');
      expect(heal!.kind).toBe('heal');
      if (partition!.kind !== 'partition' || reach!.kind !== 'clients-reach') continue;
      expect(reach!.nodes).toEqual(partition!.groups[0]);
      expect(partition!.groups[0]!.length).toBe(2);
      expect(partition!.groups[1]!.length).toBe(3);
    }
  });
});
