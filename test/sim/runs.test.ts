/**
 * Whole runs: every bundled scenario passes over many seeds, and the same seed gives the same run.
 * CI seeds are fixed and appear in the test titles.
 */
import { describe, expect, it } from 'vitest';
import { bundledScenarioNames, loadScenario } from '../../src/cli/scenarios.js';
import { runScenario } from '../../src/sim/run.js';

const SEEDS_PER_SCENARIO = Number(process.env.RAFTSIM_SEEDS ?? 25);

describe.each(bundledScenarioNames())('scenario %s', (name) => {
  const scenario = loadScenario(name);
  it(`passes every check for seeds 1..${SEEDS_PER_SCENARIO}`, () => {
    const failures: string[] = [];
    let operations = 0;
    for (let seed = 1; seed <= SEEDS_PER_SCENARIO; seed++) {
      const result = runScenario(scenario, { seed });
      operations += result.operations - result.pendingOperations;
      if (!result.ok) failures.push(`seed ${seed}: ${result.violation!.kind} ${result.violation!.message} (raftsim run ${name} --seed ${seed})`);
    }
    expect(failures).toEqual([]);
    // The clients did real work: a scenario where nothing completes proves nothing.
    expect(operations).toBeGreaterThan(SEEDS_PER_SCENARIO * 50);
  });
});
