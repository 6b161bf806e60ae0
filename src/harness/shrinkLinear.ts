/**
 * "The run ends at the violation" for a linearizability failure, which the checker finds only
 * after the run: the checker names the first operation it could not place (the blocked one). What
 * clients call after it returned, and faults after it, cannot change the world before it; so the
 * run cut there (each client's list up to its last call by then, the faults up to then, and the
 * heal just after) is the first thing to try, and usually fails the same way for a fraction of
 * the virtual time.
 */
import type { RunReport } from './execute.js';
import { withDuration } from './shrinkCuts.js';
import type { ExplicitSpec } from './shrinkCuts.js';

/** When the first blocked operation returned (the earliest over failing keys); null for another failure. */
export function blockedAtMs(report: RunReport): number | null {
  if (report.violation?.kind !== 'linearizability' || !report.check) return null;
  let at: number | null = null;
  for (const part of report.check.parts) {
    const blocked = part.result === 'not-linearizable' ? part.failure?.blocked ?? null : null;
    if (blocked === null) continue;
    const operation = report.sim.history.operations[blocked]!;
    const time = operation.return ?? operation.call;
    at = at === null ? time : Math.min(at, time);
  }
  return at;
}

/**
 * The candidates, most cut first: with the heal just after the blocked return, then with the
 * faults phase as it was (the heal may change how operations in flight end). Empty when nothing
 * would be cut. `report` must be the run of `spec` (its history holds the spec's operation objects).
 */
export function cutAtBlocked(spec: ExplicitSpec, report: RunReport): ExplicitSpec[] {
  const at = blockedAtMs(report);
  if (at === null) return [];
  const called = new Set(report.sim.history.operations.filter((operation) => operation.call <= at).map((operation) => operation.input));
  const plans = spec.plans.map((list) => {
    let last = -1;
    list.forEach((planned, index) => { if (called.has(planned.op)) last = index; });
    return list.slice(0, last + 1);
  });
  const cut: ExplicitSpec = { ...spec, plans, faults: spec.faults.filter((action) => action.atMs <= at) };
  const healEarly = withDuration(cut, Math.min(report.effective.durationMs, Math.floor(at) + 1));
  const sameSize = (candidate: ExplicitSpec): boolean => JSON.stringify([candidate.plans.map((l) => l.length), candidate.faults.length,
    candidate.overrides?.durationMs]) === JSON.stringify([spec.plans.map((l) => l.length), spec.faults.length, spec.overrides?.durationMs]);
  return [healEarly, cut].filter((candidate) => !sameSize(candidate));
}
