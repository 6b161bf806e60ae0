/**
 * Every run reports how well the cluster kept a leader: elections, time without a leader, the
 * highest term (in the text verdict, in --json and in the report's header).
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenarios.js';
import { executeRun } from '../../src/harness/execute.js';
import { runReportData } from '../../src/report/fromRun.js';
import { raftsimSync } from '../support/cli.js';

describe('liveness figures', () => {
  it('run --json has them, and they add up for a run with leader crashes', () => {
    const result = raftsimSync(['run', 'leader-crash', '--seed', '2', '--json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { liveness: Record<string, number | null>; virtualMs: number };
    const f = json.liveness;
    // Each leader crash forces at least one more election, and every election takes some time.
    expect(f.elections).toBeGreaterThanOrEqual(3);
    expect(f.highestTerm).toBeGreaterThanOrEqual(3);
    expect(f.leaderlessMs).toBeGreaterThan(0);
    expect(f.leaderlessMs).toBeLessThan(json.virtualMs);
    expect(f.leaderlessAfterHealMs).toBeLessThanOrEqual(f.leaderlessMs!);
    expect(f.stableFromMs).not.toBeNull();
  });

  it('the text verdict and the report header show them', async () => {
    const result = raftsimSync(['run', 'no-faults', '--seed', '1']);
    expect(result.stdout).toMatch(/leadership: 1 election \(0 after the heal\), \d+ ms without a leader/);
    const report = await executeRun({ scenario: loadScenario('no-faults'), scenarioRef: 'no-faults', seed: 1, swarm: false, bug: null }, { skipCheck: true });
    const row = runReportData(report).summary.find(([label]) => label === 'leadership');
    expect(row?.[1]).toMatch(/^1 election \(0 after the heal\)/);
  });
});
