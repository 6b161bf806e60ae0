/**
 * Session expiry under faults, with the checker on: in `session-expiry` clients think for longer
 * than the 500 ms bound, so they come back to expired sessions again and again while nodes crash,
 * pause, drift and jump. A `session-expired` answer is recorded as a definite failure (left out of
 * the history) only when no copy of the request can have reached the log, and as indeterminate
 * otherwise; either way the run must stay linearizable. Expiring by the replica's own clock instead
 * of the log's stamps (`expire-by-local-clock`) must be caught.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenarios.js';
import { executeRun } from '../../src/harness/execute.js';
import { runScenario } from '../../src/sim/run.js';

const SEEDS = 10;

describe('session-expiry', () => {
  const scenario = loadScenario('session-expiry');

  it(`passes the monitors, liveness and the checker for seeds 1..${SEEDS}, with expiries of both kinds`, async () => {
    const failures: string[] = [];
    let definite = 0;
    let unknown = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const report = await executeRun({ scenario, scenarioRef: 'session-expiry', seed, swarm: true, bug: null });
      if (report.status !== 'pass') failures.push(`seed ${seed}: ${report.violation?.message ?? report.status} (raftsim run session-expiry --seed ${seed} --swarm)`);
      const traced = await runScenario(scenario, { seed, keepTrace: true });
      for (const record of traced.trace!) {
        if (record.ev !== 'session-expired') continue;
        if (record.outcome === 'not-applied') definite++;
        else unknown++;
      }
    }
    expect(failures).toEqual([]);
    // The scenario does what it is for: sessions expire, and both outcomes are recorded.
    expect(definite).toBeGreaterThan(SEEDS * 5);
    expect(unknown).toBeGreaterThan(SEEDS);
  });

  it('catches sessions expired by the local clock (seed 1), for the right reason', async () => {
    const report = await executeRun({ scenario, scenarioRef: 'session-expiry', seed: 1, swarm: true, bug: 'expire-by-local-clock' });
    expect(report.status).toBe('fail');
    expect(report.violation?.kind).toBe('linearizability');
  });

  it('needs the short bound: with sessions kept an hour the same bug escapes seeds 1..5', async () => {
    const longBound = { ...scenario, raft: { ...scenario.raft, sessionExpiryMs: 3_600_000 } };
    const caught: number[] = [];
    for (let seed = 1; seed <= 5; seed++) {
      const report = await executeRun({ scenario: longBound, scenarioRef: 'session-expiry', seed, swarm: true, bug: 'expire-by-local-clock' });
      if (report.status !== 'pass') caught.push(seed);
    }
    expect(caught).toEqual([]);
  });
});
