/**
 * The final heal undoes every fault; swarm draws the new rates within the scenario's bounds
 * without shifting the old draws; the same scenario and seed give the same trace.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenarios.js';
import { executeRun } from '../../src/harness/execute.js';
import { Prng } from '../../src/sim/prng.js';
import { runScenario } from '../../src/sim/run.js';
import { swarmScenario } from '../../src/sim/swarm.js';
import { leaderAt, records, runWorld, tinyScenario } from './faultRuns.js';

const SEED = 7;
const scenario = tinyScenario();
const quiet = runWorld(scenario, SEED, []);
const leader = leaderAt(quiet, 2400)!;
const follower = leader === 1 ? 2 : 1;
const third = 6 - leader - follower;

describe('heal-all', () => {
  const run = runWorld(scenario, SEED, [
    { atMs: 2400, kind: 'delay', from: leader, to: follower, forMs: 60_000 },
    { atMs: 2500, kind: 'pause', node: follower, forMs: 60_000 },
    { atMs: 2500, kind: 'slow-disk', node: leader, factor: 50, forMs: 60_000 },
    { atMs: 2500, kind: 'clock-jump', node: third, ms: -60_000 },
    { atMs: 2500, kind: 'clients-reach', nodes: [third] },
    { atMs: 2600, kind: 'pause-next-leader', afterMs: 0, forMs: 60_000 },
    { atMs: 2600, kind: 'crash-next-snapshot-installer' },
    { atMs: 3500, kind: 'replay', from: leader, to: follower },
    { atMs: 3500, kind: 'pause', node: leader, forMs: 1000 },
  ], 6000);
  const healAt = scenario.durationMs;

  it('resumes paused nodes and lets clients reach every node, at the heal', () => {
    expect(records(run, 'resume')).toMatchObject([{ t: healAt, node: follower }]);
    expect(records(run, 'clients-reach')).toMatchObject([{ t: 2500 }, { t: healAt, nodes: 'all' }]);
  });

  it('delivers delayed messages now instead of when due', () => {
    const [delayed] = records(run, 'delay');
    expect(Number(delayed!.dueMs)).toBeGreaterThan(60_000);
    const arrival = records(run, 'deliver', (r) => r.msg === delayed!.msg && Number(r.t) >= healAt);
    expect(Number(arrival[0]!.t)).toBeLessThanOrEqual(healAt + scenario.timing.latencyMsMax);
  });

  it('restarts the frozen clock and ends the slow disk', () => {
    expect(run.tickTimes.filter(([t, node]) => node === third && t > 2500 && t < healAt)).toEqual([]);
    expect(run.tickTimes.filter(([t, node]) => node === third && t > healAt && t < healAt + 200).length).toBeGreaterThan(15);
    expect(run.world.disks.fsyncMs(leader, 6000, 6000)).toBeLessThanOrEqual(scenario.timing.fsyncMsMax);
  });

  it('disarms traps and ignores later faults of these kinds', () => {
    expect(run.world.traps.leaderPause).toBeNull();
    expect(run.world.traps.snapshotInstaller).toBeNull();
    expect(records(run, 'replay')).toEqual([]);
    expect(records(run, 'pause').map((r) => r.t)).toEqual([2500]);
  });

  it('leaves a cluster that elects a leader and serves the outstanding operation', () => {
    expect(leaderAt(run, 5000)).not.toBeNull();
    expect(run.world.clientsFinished()).toBe(true);
    expect(run.world.monitor.violation).toBeNull();
  });
});

describe('swarm and the new rates', () => {
  it('draws each new rate from 0 up to the scenario\'s, leaving the older draws as they were', () => {
    const chaos = loadScenario('chaos');
    const none = {
      ...chaos, timing: { ...chaos.timing, clockDriftMax: 0 }, network: { ...chaos.network, linkLatencySpreadMs: 0 },
      clientNetwork: { ...chaos.clientNetwork, dropRatio: 0, duplicateRatio: 0 }, disk: { ...chaos.disk, crashKeepsPrefixRatio: 0, fsyncSpikeRatio: 0 },
    };
    const drifts = new Set<number>();
    for (let seed = 1; seed <= 30; seed++) {
      const a = swarmScenario(chaos, new Prng(String(seed)).child('swarm'));
      const b = swarmScenario(none, new Prng(String(seed)).child('swarm'));
      expect(b.faults).toEqual(a.faults);
      expect([b.network.dropRatio, b.network.duplicateRatio]).toEqual([a.network.dropRatio, a.network.duplicateRatio]);
      expect(a.timing.clockDriftMax).toBeLessThanOrEqual(chaos.timing.clockDriftMax);
      expect(a.network.linkLatencySpreadMs).toBeLessThanOrEqual(chaos.network.linkLatencySpreadMs);
      expect(a.clientNetwork.dropRatio).toBeLessThanOrEqual(chaos.clientNetwork.dropRatio);
      expect(a.clientNetwork.duplicateRatio).toBeLessThanOrEqual(chaos.clientNetwork.duplicateRatio);
      expect(a.disk.crashKeepsPrefixRatio).toBeLessThanOrEqual(chaos.disk.crashKeepsPrefixRatio);
      expect(a.disk.fsyncSpikeRatio).toBeLessThanOrEqual(chaos.disk.fsyncSpikeRatio);
      expect(b.timing.clockDriftMax).toBe(0);
      drifts.add(a.timing.clockDriftMax);
    }
    expect(drifts.size).toBeGreaterThan(20);
  });
});

describe('determinism with every fault', () => {
  it.each(['long-delays', 'paused-processes', 'disk-faults', 'client-links', 'chaos'])('%s: the same seed gives the same trace, kept or not', async (name) => {
    const s = loadScenario(name);
    const a = await runScenario(s, { seed: 3, keepTrace: true });
    const b = await runScenario(s, { seed: 3, keepTrace: true });
    expect(b.traceHash).toBe(a.traceHash);
    expect(JSON.stringify(b.trace)).toBe(JSON.stringify(a.trace));
    expect((await runScenario(s, { seed: 3 })).traceHash).toBe(a.traceHash);
    expect((await runScenario(s, { seed: 4 })).traceHash).not.toBe(a.traceHash);
  });

  it('chaos with swarm: the same seed gives the same run', async () => {
    const spec = { scenario: loadScenario('chaos'), scenarioRef: 'chaos', seed: 12, swarm: true, bug: null };
    const a = await executeRun(spec, { skipCheck: true });
    const b = await executeRun(spec, { skipCheck: true });
    expect(b.sim.traceHash).toBe(a.sim.traceHash);
    expect(b.effective).toEqual(a.effective);
  });
});
