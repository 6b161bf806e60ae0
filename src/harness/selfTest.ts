/**
 * The bug self-test: fuzz a bug's scenario (swarm on, seeds 1, 2, …) until the harness catches the
 * bug for the right reason: a violation of one of the invariants its catalog entry names, or a
 * failed core assertion it names as `assertion: <message>`. Failures of any other kind are counted
 * and reported, never taken as a catch. What it returns is the figure CI prints: how many seeds it took.
 */
import type { Scenario } from '../sim/scenario.js';
import type { BugEntry } from './bugs.js';
import { executeRun } from './execute.js';

export interface BugFound {
  readonly seed: number;
  readonly seedsTried: number;
  readonly kind: string;
  /** What caught it, as the catalog's caughtBy names it (see caughtAs). */
  readonly invariant: string;
}

/**
 * How the catalog names what a failed run violated: the invariant, or for a crash on a failed core
 * assertion `assertion: <its message>` (an exception of any other kind stays `exception`).
 */
export function caughtAs(violation: { readonly kind: string; readonly invariant: string; readonly assertion?: string }): string {
  return violation.kind === 'crash' && violation.assertion !== undefined ? `assertion: ${violation.assertion}` : violation.invariant;
}

export interface BugSearch {
  readonly found: BugFound | null;
  /** Seeds that failed for another reason than the bug's own invariants, e.g. `liveness/leader-after-heal`. */
  readonly otherFailures: readonly { readonly seed: number; readonly violation: string }[];
}

/** A real-time budget for each linearizability check; without one the check runs to its verdict. */
export interface CheckBudget {
  readonly timeoutMs: number;
  readonly now: () => number;
}

export async function searchBug(bug: BugEntry, scenario: Scenario, maxSeeds: number, budget?: CheckBudget): Promise<BugSearch> {
  const otherFailures: { seed: number; violation: string }[] = [];
  for (let seed = 1; seed <= maxSeeds; seed++) {
    const report = await executeRun({ scenario, scenarioRef: bug.scenario, seed, swarm: true, bug: bug.name },
      { checkTimeoutMs: budget?.timeoutMs, now: budget?.now });
    // A check out of time is not a catch, and says so.
    if (report.status === 'unknown') otherFailures.push({ seed, violation: 'unknown (the check ran out of time)' });
    if (report.status !== 'fail') continue;
    const kind = report.violation!.kind;
    const invariant = caughtAs(report.violation!);
    if (bug.caughtBy.includes(invariant)) return { found: { seed, seedsTried: seed, kind, invariant }, otherFailures };
    otherFailures.push({ seed, violation: `${kind}/${invariant}` });
  }
  return { found: null, otherFailures };
}

/** The first seed that catches the bug for the right reason, or null within `maxSeeds`. */
export async function findBugSeed(bug: BugEntry, scenario: Scenario, maxSeeds: number, budget?: CheckBudget): Promise<BugFound | null> {
  return (await searchBug(bug, scenario, maxSeeds, budget)).found;
}
