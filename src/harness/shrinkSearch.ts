/**
 * The shrinker's state between passes: the smallest run so far that fails the same way, the runs
 * spent, and the budget. Every candidate goes through `attempt`, which runs it (never twice: cuts
 * that did not fail are remembered), keeps it if it fails the same way, and then cuts the new best
 * short just past its failure.
 */
import { caughtAs } from './selfTest.js';
import { executeRun } from './execute.js';
import type { ExecuteOptions, RunReport } from './execute.js';
import { cutAtSettled, worthTrimming } from './shrinkTrim.js';
import type { ExplicitSpec } from './shrinkCuts.js';

/** Which kind of cut a candidate is (shown in the progress line). */
export type ShrinkPass = 'time' | 'operations' | 'faults' | 'clients' | 'keys' | 'nodes';

export interface RunSize {
  readonly faults: number;
  /** Clients with at least one operation. */
  readonly clients: number;
  readonly operations: number;
  /** The faults phase: the heal comes then. */
  readonly durationMs: number;
  /** Where the run ended, in virtual time: at a safety violation or a crash, the violation. */
  readonly virtualMs: number;
  readonly nodes: number;
}

export interface ShrinkProgress {
  readonly runs: number;
  /** Wall time since the shrink began (null without a clock). */
  readonly elapsedMs: number | null;
  readonly best: RunSize;
  /** This run failed the same way and became the best. */
  readonly improved: boolean;
  readonly pass: ShrinkPass;
}

export interface SearchLimits {
  readonly maxRuns: number;
  /** Needs `now`; without one, only maxRuns bounds the search. */
  readonly timeBudgetMs?: number;
  readonly now?: () => number;
  /** When the shrink began, by `now` (before the original run); default: when the search is made. */
  readonly startedAt?: number;
  readonly onProgress?: (progress: ShrinkProgress) => void;
}

export function sizeOf(report: RunReport): RunSize {
  const plans = report.spec.plans ?? report.sim.plans;
  return {
    faults: (report.spec.faults ?? report.sim.faults).length,
    clients: plans.filter((list) => list.length > 0).length,
    operations: plans.reduce((sum, list) => sum + list.length, 0),
    durationMs: report.effective.durationMs,
    virtualMs: report.sim.virtualMs,
    nodes: report.effective.nodes,
  };
}

/** How a failure is named for "the same way": kind and invariant (and a failed assertion's message). */
export function failureKey(report: RunReport): string | null {
  return report.status === 'fail' && report.violation ? `${report.violation.kind}/${caughtAs(report.violation)}` : null;
}

/** Events a candidate may take beyond 1.5 times the best run's, so that a tiny run's bound is not tiny. */
const EVENT_BOUND_SLACK = 5_000;

export class ShrinkSearch {
  runs = 0;
  /** Some cut was left untried because the budget ran out. */
  budgetHit = false;
  private bestReport: RunReport;
  /** Candidates that did not fail the same way (a cut may be built twice, e.g. the same ops by two passes). */
  private readonly failedToFail = new Set<string>();
  private bestKey: string;
  private readonly target: string;
  private readonly started: number | null;

  constructor(original: RunReport, private readonly limits: SearchLimits, private readonly execute: ExecuteOptions) {
    this.target = failureKey(original)!;
    this.started = limits.startedAt ?? limits.now?.() ?? null;
    this.runs = 1;
    const spec: ExplicitSpec = { ...original.spec, faults: original.sim.faults.slice(), plans: original.sim.plans.map((list) => list.slice()) };
    this.bestReport = { ...original, spec };
    this.bestKey = candidateKey(spec);
  }

  get best(): RunReport {
    return this.bestReport;
  }

  get spec(): ExplicitSpec {
    return this.bestReport.spec as ExplicitSpec;
  }

  elapsedMs(): number | null {
    return this.started === null ? null : this.limits.now!() - this.started;
  }

  exhausted(): boolean {
    const elapsed = this.elapsedMs();
    const out = this.runs >= this.limits.maxRuns || (this.limits.timeBudgetMs !== undefined && elapsed !== null && elapsed >= this.limits.timeBudgetMs);
    if (out) this.budgetHit = true;
    return out;
  }

  /**
   * Runs a candidate; true (and it becomes the best) if it fails the same way. `trim`: then also
   * try the new best cut short at its violation (off while faults or time are being cut themselves).
   */
  async attempt(candidate: ExplicitSpec, pass: ShrinkPass, trim = true): Promise<boolean> {
    const key = candidateKey(candidate);
    if (key === this.bestKey) return true;
    if (this.failedToFail.has(key)) return false;
    if (this.exhausted()) return false;
    this.runs++;
    let report: RunReport | null = null;
    try {
      report = await executeRun(candidate, { ...this.execute, maxEvents: this.eventBound() });
    } catch {
      // A cut the simulator refuses (a fault it cannot apply to a smaller cluster): not the same failure.
    }
    const same = report !== null && failureKey(report) === this.target && !(await this.failsWithoutTheBug(candidate));
    if (same) {
      this.bestReport = { ...report!, spec: candidate };
      this.bestKey = key;
    } else {
      this.failedToFail.add(key);
    }
    this.limits.onProgress?.({ runs: this.runs, elapsedMs: this.elapsedMs(), best: sizeOf(this.bestReport), improved: same, pass });
    if (same && trim) await this.trim();
    return same;
  }

  /**
   * For a run of a catalog bug: whether the cut run fails the same way without the bug too (then
   * the cut has made a run that fails for another reason, e.g. a liveness bound no correct build
   * meets, and it is not kept). One more run, for a cut that would be kept only.
   */
  private async failsWithoutTheBug(candidate: ExplicitSpec): Promise<boolean> {
    if (candidate.bug === null) return false;
    if (this.exhausted()) return true; // Not shown to be the bug's: not kept.
    this.runs++;
    try {
      return failureKey(await executeRun({ ...candidate, bug: null }, { ...this.execute, maxEvents: this.eventBound() })) === this.target;
    } catch {
      return false;
    }
  }

  /**
   * A candidate that has not failed after 1.5 times the best run's events (trace events, a measure of
   * virtual time and work) stops there: it would not fail sooner, and a cut that does not fail
   * would otherwise run on to the heal and until every client is done. Not for a failure that is
   * itself the event budget.
   */
  private eventBound(): number | undefined {
    if (this.target === 'liveness/event-budget') return undefined;
    return Math.ceil(1.5 * this.bestReport.sim.events) + EVENT_BOUND_SLACK;
  }

  /**
   * Cuts the best run short just past the moment its failure was settled (shrinkTrim.ts). `exact`:
   * also when it gains little (the last step); otherwise only when it drops something or a tenth
   * of the faults phase.
   */
  async trim(exact = false): Promise<void> {
    for (const candidate of cutAtSettled(this.spec, this.best)) {
      if (!exact && !worthTrimming(this.spec, candidate, this.best.effective.durationMs)) continue;
      if (await this.attempt(candidate, 'time', false)) return;
    }
  }
}

function candidateKey(spec: ExplicitSpec): string {
  return JSON.stringify([spec.plans, spec.faults, spec.overrides ?? null]);
}
