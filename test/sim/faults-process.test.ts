/**
 * Process and clock faults: a paused node runs nothing during its pause and gets everything after;
 * the pause-next-leader trap; clock drift changes the tick rate by its ratio; clock jumps.
 */
import { describe, expect, it } from 'vitest';
import { Clocks, MAX_JUMP_TICKS } from '../../src/sim/clocks.js';
import { keepForPaused, pauseNode, PAUSE_INBOX_MAX } from '../../src/sim/pauses.js';
import { Prng } from '../../src/sim/prng.js';
import type { TraceRecord } from '../../src/sim/trace.js';
import { leaderAt, makeWorld, records, runWorld, tinyScenario } from './faultRuns.js';

const SEED = 7;
const scenario = tinyScenario();
const quiet = runWorld(scenario, SEED, []);
const leader = leaderAt(quiet, 1000)!;
const follower = leader === 1 ? 2 : 1;
const between = (from: number, to: number) => (r: TraceRecord) => Number(r.t) > from && Number(r.t) < to;

describe('pause', () => {
  const run = runWorld(scenario, SEED, [{ atMs: 1000, kind: 'pause', node: follower, forMs: 800 }]);
  const toFollower = (r: { node?: unknown }) => r.node === follower;

  it('stops the node: no deliveries and no ticks during the pause', () => {
    expect(records(run, 'pause')).toEqual([{ t: 1000, ev: 'pause', node: follower, untilMs: 1800 }]);
    expect(records(run, 'deliver', (r) => toFollower(r) && between(1000, 1800)(r))).toEqual([]);
    expect(run.tickTimes.filter(([t, node]) => node === follower && t >= 1000 && t < 1800)).toEqual([]);
    // The others go on: the leader keeps sending to it.
    expect(records(run, 'send', (r) => String(r.msg).startsWith(`n${leader}->n${follower} `) && between(1000, 1795)(r)).length).toBeGreaterThan(10);
  });

  it('hands it everything that arrived, at the resume, then one late tick and the usual ticks', () => {
    const sent = records(run, 'send', (r) => String(r.msg).startsWith(`n${leader}->n${follower} `) && Number(r.t) >= 1000 && Number(r.t) < 1795);
    const handed = records(run, 'deliver', (r) => toFollower(r) && r.t === 1800).map((r) => r.msg);
    for (const send of sent) {
      const at = handed.indexOf(send.msg);
      expect(at, String(send.msg)).toBeGreaterThanOrEqual(0);
      handed.splice(at, 1);
    }
    const [resume] = records(run, 'resume');
    expect(resume).toMatchObject({ t: 1800, node: follower, refused: 0 });
    expect(Number(resume!.inbox)).toBeGreaterThanOrEqual(sent.length);
    expect(run.tickTimes.filter(([t, node]) => node === follower && t === 1800)).toHaveLength(1);
    expect(run.tickTimes.filter(([t, node]) => node === follower && t > 1800 && t < 2000).length).toBeGreaterThan(15);
  });

  it('lets the disk complete writes during the pause; the node learns at the resume', () => {
    // Slow fsyncs, so the leader always has writes pending when it stops.
    const slow = tinyScenario({ timing: { fsyncMsMin: 30, fsyncMsMax: 40 } });
    const unpaused = runWorld(slow, SEED, []);
    const lead = leaderAt(unpaused, 1000)!;
    const mine = (r: { node?: unknown }) => r.node === lead;
    // Stop it 5 ms before one of its fsyncs completes: that write (≥ 30 ms) is pending.
    const at = Number(records(unpaused, 'fsync', (r) => mine(r) && Number(r.t) > 1000)[0]!.t) - 5;
    // Shorter than an election timeout: it is still the leader when it wakes, with work to send.
    const paused = runWorld(slow, SEED, [{ atMs: at, kind: 'pause', node: lead, forMs: 100 }]);
    expect(records(paused, 'fsync', (r) => mine(r) && between(at, at + 100)(r)).length).toBeGreaterThan(0);
    expect(records(paused, 'send', (r) => mine(r) && between(at, at + 100)(r))).toEqual([]);
    // Its own write and the followers' acknowledgements, seen only now, commit the entry.
    expect(records(paused, 'apply', (r) => mine(r) && between(at, at + 100)(r))).toEqual([]);
    expect(records(paused, 'apply', (r) => mine(r) && r.t === at + 100).length).toBeGreaterThan(0);
  });

  it('ends with a crash (the inbox is lost), and at the final heal', () => {
    const crashed = runWorld(scenario, SEED, [
      { atMs: 1000, kind: 'pause', node: follower, forMs: 800 },
      { atMs: 1200, kind: 'crash', node: follower, forMs: 100 },
      { atMs: 2500, kind: 'pause', node: follower, forMs: 5000 },
    ]);
    const resumes = records(crashed, 'resume');
    expect(resumes.map((r) => r.t)).toEqual([3000]);
    expect(records(crashed, 'deliver', (r) => r.node === follower && between(1300, 1800)(r)).length).toBeGreaterThan(0);
  });

  it('resolves "leader" to the current leader', () => {
    const run2 = runWorld(scenario, SEED, [{ atMs: 1000, kind: 'pause', node: 'leader', forMs: 300 }]);
    expect(records(run2, 'pause')[0]).toMatchObject({ node: leader });
  });

  it(`keeps at most ${PAUSE_INBOX_MAX} messages and requests, and says when it refuses one`, () => {
    const world = makeWorld(scenario, SEED, []);
    const host = world.host(1);
    pauseNode(world, host, 100);
    const message = { type: 'RequestVote', from: 2, to: 1, term: 1, lastLogIndex: 0, lastLogTerm: 0 } as const;
    for (let i = 0; i < PAUSE_INBOX_MAX + 5; i++) keepForPaused(world, host, { kind: 'deliver', message });
    expect(host.paused!.queued).toBe(PAUSE_INBOX_MAX);
    expect(host.paused!.refused).toBe(5);
    expect(world.trace.records!.filter((r) => r.ev === 'inbox-full')).toHaveLength(1);
    // Fsync completions are never refused, but there can be no more than writes pending at the pause.
    expect(() => keepForPaused(world, host, { kind: 'fsync', id: 1 })).toThrow(/more fsyncs than writes pending/);
  });
});

describe('pause-next-leader', () => {
  it('pauses the next node to become leader, afterMs after its election, once', () => {
    const run = runWorld(scenario, SEED, [{ atMs: 50, kind: 'pause-next-leader', afterMs: 5, forMs: 400 }]);
    const firstLeader = records(run, 'role', (r) => r.role === 'leader')[0]!;
    const pauses = records(run, 'pause');
    expect(pauses).toEqual([{ t: Number(firstLeader.t) + 5, ev: 'pause', node: firstLeader.node, untilMs: Number(firstLeader.t) + 405 }]);
    // The others, hearing nothing from it, campaign meanwhile.
    const others = records(run, 'role', (r) => r.role === 'candidate' && r.node !== firstLeader.node && between(Number(firstLeader.t), Number(firstLeader.t) + 405)(r));
    expect(others.length).toBeGreaterThan(0);
  });
});

describe('clock drift', () => {
  it('changes each node\'s tick count over a run by its ratio', () => {
    const drifting = tinyScenario({ timing: { clockDriftMax: 0.2 }, durationMs: 10_000 });
    const run = runWorld(drifting, SEED, [], 10_000);
    const drifts = [1, 2, 3].map((node) => run.world.clocks.drift(node));
    expect(drifts.some((d) => Math.abs(d) > 0.02)).toBe(true);
    for (const node of [1, 2, 3]) {
      const expected = 10_000 / (drifting.timing.tickMs * (1 + drifts[node - 1]!));
      expect(Math.abs(run.ticks[node]! - expected), `n${node} drift ${drifts[node - 1]}`).toBeLessThanOrEqual(2);
    }
    // Without drift, every node ticks tickMs apart.
    const exact = runWorld(scenario, SEED, [], 3000);
    for (const node of [1, 2, 3]) expect(Math.abs(exact.ticks[node]! - 300)).toBeLessThanOrEqual(1);
  });

  it('keeps virtual times integral and the mean interval exact', () => {
    const clocks = new Clocks(1, 10, 0.05, new Prng('c'));
    let total = 0;
    for (let i = 0; i < 100_000; i++) {
      const interval = clocks.nextInterval(1);
      expect(Number.isInteger(interval)).toBe(true);
      total += interval;
    }
    expect(Math.abs(total - 100_000 * 10 * (1 + clocks.drift(1)))).toBeLessThan(1);
  });
});

describe('clock-jump', () => {
  it('forward: fires the ticks of ms at once, at most MAX_JUMP_TICKS', () => {
    const run = runWorld(scenario, SEED, [
      { atMs: 1000, kind: 'clock-jump', node: follower, ms: 205 },
      { atMs: 2000, kind: 'clock-jump', node: follower, ms: 1_000_000 },
    ]);
    expect(records(run, 'clock-jump').map((r) => r.ticks)).toEqual([20, MAX_JUMP_TICKS]);
    expect(run.tickTimes.filter(([t, node]) => node === follower && t === 1000).length).toBeGreaterThanOrEqual(20);
    expect(run.tickTimes.filter(([t, node]) => node === follower && t === 2000).length).toBeGreaterThanOrEqual(MAX_JUMP_TICKS);
    // The jumps' ticks come on top of the usual ones.
    expect(run.ticks[follower]).toBeGreaterThan(quiet.ticks[follower]! + MAX_JUMP_TICKS);
  });

  it('backward: no ticks for |ms|, then ticks again', () => {
    const run = runWorld(scenario, SEED, [{ atMs: 1000, kind: 'clock-jump', node: follower, ms: -600 }]);
    const mine = run.tickTimes.filter(([, node]) => node === follower).map(([t]) => t);
    expect(mine.filter((t) => t >= 1000 && t < 1600)).toEqual([]);
    expect(mine.filter((t) => t >= 1600 && t < 1700).length).toBeGreaterThanOrEqual(9);
  });
});
