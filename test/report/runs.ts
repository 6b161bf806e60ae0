/** The runs the report tests draw, each made once per test file (keepTrace on, as fuzz --out does). */
import { loadScenario } from '../../src/cli/scenarios.js';
import { executeRun, type RunReport } from '../../src/harness/execute.js';

const cache = new Map<string, RunReport>();

export function run(scenario: string, seed: number, bug: string | null = null, keepTrace = true): RunReport {
  const key = `${scenario}/${seed}/${bug}/${keepTrace}`;
  let report = cache.get(key);
  if (!report) {
    report = executeRun({ scenario: loadScenario(scenario), scenarioRef: scenario, seed, swarm: false, bug }, { keepTrace });
    cache.set(key, report);
  }
  return report;
}

/** A safety failure: two leaders in one term, found before the history is checked. */
export const safetyFailure = () => run('split-vote', 1, 'grant-every-vote');
/** A passing run with every kind of fault: crashes, partitions, one-way blocks, holds. */
export const faultyPass = () => run('lossy-churn', 3);
/** The same run with retried commands applied twice: a history that is not linearizable. */
export const linearizabilityFailure = () => run('lossy-churn', 3, 'no-duplicate-detection');
/** A larger history (about 2300 operations), for page size. */
export const largeFailure = () => run('leader-isolated', 30, 'stale-leader-reads');
