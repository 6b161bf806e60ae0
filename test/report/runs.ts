/** The runs the report tests draw, each made once per test file (keepTrace on, as fuzz --out does). */
import { loadScenario } from '../../src/cli/scenarios.js';
import { executeRun, type RunReport } from '../../src/harness/execute.js';
import type { FaultAction } from '../../src/sim/faults.js';
import { tinyScenario } from '../sim/faultRuns.js';

const cache = new Map<string, RunReport>();

export async function run(scenario: string, seed: number, bug: string | null = null, keepTrace = true, swarm = false): Promise<RunReport> {
  const key = `${scenario}/${seed}/${bug}/${keepTrace}/${swarm}`;
  let report = cache.get(key);
  if (!report) {
    report = await executeRun({ scenario: loadScenario(scenario), scenarioRef: scenario, seed, swarm, bug }, { keepTrace });
    cache.set(key, report);
  }
  return report;
}

/** A safety failure: two leaders in one term, found before the history is checked. */
export const safetyFailure = () => run('split-vote', 1, 'grant-every-vote');
/** A passing run with every kind of fault: crashes, partitions, one-way blocks, holds. */
export const faultyPass = () => run('lossy-churn', 111);
/** Retried commands applied twice: a history that is not linearizable (seed 3 with swarm; runs move with the code). */
export const linearizabilityFailure = () => run('lossy-churn', 4, 'no-duplicate-detection', true, true);
/** A larger failing history (3063 operations, a stale read the checker catches), for page size. */
export const largeFailure = () => run('paused-processes', 70, 'lease-reads-by-local-clock', true, true);

/** Issue 8's faults, each once, at known times, in a quiet 3-node cluster. */
export const NEW_FAULTS: readonly FaultAction[] = [
  { atMs: 600, kind: 'pause', node: 2, forMs: 400 },
  { atMs: 700, kind: 'pause', node: 3, forMs: 300 },
  { atMs: 1200, kind: 'slow-disk', node: 1, factor: 20, forMs: 500 },
  { atMs: 1300, kind: 'clock-jump', node: 2, ms: 100 },
  { atMs: 1400, kind: 'clock-jump', node: 3, ms: -200 },
  { atMs: 1500, kind: 'delay', from: 1, to: 2, forMs: 700 },
  { atMs: 1500, kind: 'delay', from: 2, to: 1, forMs: 700 },
  { atMs: 1500, kind: 'delay', from: 1, to: 3, forMs: 700 },
  { atMs: 1500, kind: 'delay', from: 3, to: 1, forMs: 700 },
  { atMs: 1600, kind: 'replay', from: 1, to: 2 },
  { atMs: 1800, kind: 'clients-reach', nodes: [3] },
  { atMs: 2300, kind: 'heal' },
];

/** A passing run with every new fault of NEW_FAULTS. */
export async function newFaultsRun(keepTrace = true): Promise<RunReport> {
  const key = `new-faults/${keepTrace}`;
  let report = cache.get(key);
  if (!report) {
    report = await executeRun({ scenario: tinyScenario(), scenarioRef: 'tiny', seed: 7, swarm: false, bug: null, faults: NEW_FAULTS }, { keepTrace });
    cache.set(key, report);
  }
  return report;
}
