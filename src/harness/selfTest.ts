/**
 * The bug self-test: fuzz a bug's scenario (swarm on, seeds 1, 2, …) until the harness catches the
 * bug. What it returns is the figure CI prints: how many seeds it took.
 */
import type { Scenario } from '../sim/scenario.js';
import type { BugEntry } from './bugs.js';
import { executeRun } from './execute.js';

export interface BugFound {
  readonly seed: number;
  readonly seedsTried: number;
  readonly kind: string;
  readonly invariant: string;
}

export function findBugSeed(bug: BugEntry, scenario: Scenario, maxSeeds: number, now?: () => number): BugFound | null {
  for (let seed = 1; seed <= maxSeeds; seed++) {
    const report = executeRun({ scenario, scenarioRef: bug.scenario, seed, swarm: true, bug: bug.name }, { checkTimeoutMs: 20_000, now });
    if (report.status === 'fail') {
      return { seed, seedsTried: seed, kind: report.violation!.kind, invariant: report.violation!.invariant };
    }
  }
  return null;
}
