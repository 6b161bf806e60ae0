/**
 * The soundness campaign CI runs on the correct build: every bundled scenario, seeds 1..N with
 * swarm on (each seed draws its own mix of faults, every new fault kind included where the scenario
 * enables it), the monitors, the liveness checks and the linearizability checker. Any failure here
 * is a false alarm or a real bug, never noise. The checker has no real-time budget: its search is
 * deterministic, so a loaded machine cannot turn a pass into `unknown`. CI seeds are fixed and appear in the test titles;
 * RAFTSIM_SEEDS sets N.
 */
import { describe, expect, it } from 'vitest';
import { bundledScenarioNames, loadScenario } from '../../src/cli/scenarios.js';
import { executeRun } from '../../src/harness/execute.js';

const SEEDS_PER_SCENARIO = Number(process.env.RAFTSIM_SEEDS ?? 25);

describe.each(bundledScenarioNames())('scenario %s', (name) => {
  const scenario = loadScenario(name);
  it(`passes the monitors, liveness and the checker for seeds 1..${SEEDS_PER_SCENARIO} with swarm`, async () => {
    const failures: string[] = [];
    let operations = 0;
    for (let seed = 1; seed <= SEEDS_PER_SCENARIO; seed++) {
      const report = await executeRun({ scenario, scenarioRef: name, seed, swarm: true, bug: null });
      operations += report.sim.operations - report.sim.pendingOperations;
      if (report.status !== 'pass') {
        const why = report.violation ? `${report.violation.kind} ${report.violation.message}` : `status ${report.status}`;
        failures.push(`seed ${seed}: ${why} (raftsim run ${name} --seed ${seed} --swarm)`);
      }
    }
    expect(failures).toEqual([]);
    // The clients did real work: a scenario where nothing completes proves nothing.
    expect(operations).toBeGreaterThan(SEEDS_PER_SCENARIO * 50);
  });
});
