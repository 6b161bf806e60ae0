/**
 * "The run ends at the violation": the run cut just past the moment its failure was settled.
 * A safety violation or a crash stops the run where it happens; a linearizability failure is
 * found after the run, but the checker names the first operation it could not place (the blocked
 * one), and the failure is settled when that operation returned. What clients call after that
 * moment, and faults after it, cannot change the world before it; so the run cut there (each
 * client's list up to its last call by then, the faults up to then, the heal just after) fails the
 * same way for a fraction of the virtual time. A liveness failure is about the time after the
 * heal, and has no such moment.
 */
import type { RunReport } from './execute.js';
import { withDuration } from './shrinkCuts.js';
import type { ExplicitSpec } from './shrinkCuts.js';

/** When the failure was settled (virtual ms), or null (a liveness failure). */
export function settledAtMs(report: RunReport): number | null {
  const violation = report.violation;
  if (violation === null) return null;
  if (violation.kind === 'safety' || violation.kind === 'crash') return violation.timeMs;
  if (violation.kind !== 'linearizability' || !report.check) return null;
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
 * The candidates, most cut first: with the heal just after the moment, then (for a linearizability
 * failure, where operations in flight end after it) with the faults phase as it was. Empty when
 * nothing would be cut. `report` must be the run of `spec` (its history holds the spec's operation
 * objects, which is how a call is matched to its place in a client's list).
 */
export function cutAtSettled(spec: ExplicitSpec, report: RunReport): ExplicitSpec[] {
  const at = settledAtMs(report);
  if (at === null) return [];
  const called = new Set(report.sim.history.operations.filter((operation) => operation.call <= at).map((operation) => operation.input));
  const plans = spec.plans.map((list) => {
    let last = -1;
    list.forEach((planned, index) => { if (called.has(planned.op)) last = index; });
    return list.slice(0, last + 1);
  });
  const cut: ExplicitSpec = { ...spec, plans, faults: spec.faults.filter((action) => action.atMs <= at) };
  const healEarly = withDuration(cut, Math.min(report.effective.durationMs, Math.floor(at) + 1));
  const candidates = report.violation!.kind === 'linearizability' ? [healEarly, cut] : [healEarly];
  return candidates.filter((candidate) => sizeKey(candidate) !== sizeKey(spec));
}

/**
 * Whether a trim is worth a run: it drops an operation or a fault, or brings the heal at least a
 * tenth earlier (a violation a few ms earlier than the last would cost a run per cut otherwise).
 */
export function worthTrimming(spec: ExplicitSpec, trimmed: ExplicitSpec, durationMs: number): boolean {
  const count = (s: ExplicitSpec) => s.plans.reduce((sum, list) => sum + list.length, 0) + s.faults.length;
  return count(trimmed) < count(spec) || (trimmed.overrides?.durationMs ?? durationMs) <= durationMs * 0.9;
}

function sizeKey(spec: ExplicitSpec): string {
  return JSON.stringify([spec.plans.map((list) => list.length), spec.faults.length, spec.overrides?.durationMs ?? null]);
}
