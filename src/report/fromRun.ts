/**
 * The simulator's side: a RunReport (src/harness/execute.ts) turned into the generic report data.
 * When the run stopped at a safety violation before its history was checked, the history is
 * checked here, within a fixed budget of search steps (deterministic, unlike a time-out).
 */
import { checkOperations, formatExplanation, raftsimKvModel, type CheckResult, type Operation } from '../checker/index.js';
import type { RunReport } from '../harness/execute.js';
import type { LivenessFigures } from '../sim/liveness.js';
import { replayCommand } from '../harness/failureFile.js';
import { formatTime, plural } from './html.js';
import { clientTimeoutsFromTrace } from './clientEvents.js';
import { faultEventsFromPlan, faultNodeEventsFromTrace, messageEventsFromTrace } from './faultEvents.js';
import { faultMomentsFromPlan, faultMomentsFromTrace, networkEventsFromFaults, nodeEventsFromTrace } from './simEvents.js';
import type { CheckInfo, TimeMarker, TimelineReportData, ViolationInfo } from './types.js';

/** Checker turns (of 8192 search steps each) a report may spend on a history the run left unchecked. */
export const REPORT_CHECK_TURNS = 2000;

export function runReportData(report: RunReport, replay?: string): TimelineReportData {
  const { spec, effective, sim } = report;
  const operations = sim.history.operations as unknown as readonly Operation[];
  const status = report.status;
  const nodes = Array.from({ length: effective.nodes }, (_, i) => `n${i + 1}`);
  const trace = sim.trace;
  const moments = trace ? faultMomentsFromTrace(trace) : faultMomentsFromPlan(sim.faults, effective.durationMs, sim.virtualMs);
  const healed = moments.find((m) => m.what === 'heal-all');
  const planned = trace ? null : faultEventsFromPlan(sim.faults, effective.durationMs, sim.virtualMs);
  const notes: string[] = [];
  const check = checkInfo(report, operations);
  const clientTimeouts = trace ? clientTimeoutsFromTrace(trace, operations) : [];
  if (!trace) notes.push('This run was made without keepTrace: node roles, crashes, delayed and replayed messages and client time-outs are not shown; network faults, pauses, slow disks and clock jumps are from the fault plan.');

  const summary: [string, string][] = [
    ['scenario', `${spec.scenarioRef}${effective.description ? ` — ${effective.description}` : ''}`],
    ['seed', String(spec.seed)],
    ['swarm', spec.swarm ? 'yes' : 'no'],
    ['bug', spec.bug ?? 'none'],
    ['status', status.toUpperCase()],
    ['cluster', `${plural(effective.nodes, 'node')}, ${plural(operations.length === 0 ? effective.workload.clients : new Set(operations.map((op) => op.client)).size, 'client')}`],
    ['trace hash', sim.traceHash],
    ['events', String(sim.events)],
    ['virtual time', `${formatTime(sim.virtualMs)} ms (faults until ${effective.durationMs} ms, then heal)`],
    ['operations', `${sim.operations} (${unknownOutcomes(sim.history.operations)} unknown)`],
    ...(trace ? [['client time-outs', describeTimeouts(clientTimeouts)] as [string, string]] : []),
    ['faults', String(sim.faults.length)],
    ['leadership', describeLiveness(sim.liveness)],
  ];
  return {
    title: `raftsim ${spec.scenarioRef} seed ${spec.seed}`,
    status,
    summary,
    violation: violationInfo(report),
    replay: replay ?? replayCommand(spec),
    timeUnit: 'virtual ms',
    endTime: operations.reduce((end, op) => Math.max(end, op.return ?? op.call), Math.max(sim.virtualMs, 1)),
    nodes,
    nodeEvents: trace ? [...nodeEventsFromTrace(trace, nodes), ...faultNodeEventsFromTrace(trace)] : planned!.nodes,
    networkEvents: [...networkEventsFromFaults(moments), ...(trace ? messageEventsFromTrace(trace) : planned!.network)],
    markers: [...(healed ? [{ t: healed.t, label: 'heal', kind: 'heal' }] : []), ...blockedMarkers(check.result, operations)],
    operations,
    clientTimeouts,
    check,
    notes,
  };
}

/** e.g. "271 (235 retried, 36 given up)". */
function describeTimeouts(timeouts: readonly { readonly then: 'retry' | 'give-up' }[]): string {
  const retried = timeouts.filter((timeout) => timeout.then === 'retry').length;
  return timeouts.length === 0 ? '0' : `${timeouts.length} (${retried} retried, ${timeouts.length - retried} given up)`;
}

/** Where a history stops being linearizable: the return of each operation the checker could not place. */
function blockedMarkers(result: CheckResult | null, operations: readonly Operation[]): TimeMarker[] {
  const markers: TimeMarker[] = [];
  for (const part of result?.parts ?? []) {
    const blocked = part.failure?.blocked;
    const end = blocked == null ? null : operations[blocked]?.return;
    if (blocked != null && end != null) markers.push({ t: end, label: `op ${blocked} not linearizable`, kind: 'blocked' });
  }
  return markers;
}

function violationInfo(report: RunReport): ViolationInfo | null {
  const v = report.violation;
  if (!v) return null;
  return {
    kind: v.kind,
    invariant: v.invariant,
    message: v.message,
    time: v.timeMs,
    explanation: 'explanation' in v ? v.explanation : [],
  };
}

function checkInfo(report: RunReport, operations: readonly Operation[]): CheckInfo {
  const model = raftsimKvModel as CheckInfo['model'];
  if (report.check) {
    const note = report.check.result === 'unknown' ? 'The check ran out of time: the verdict is unknown, not a pass.' : null;
    return { model, result: report.check, note, explanation: [] };
  }
  // A "clock" that counts the checker's turns: a budget of search steps, the same on every machine.
  let turns = 0;
  const result: CheckResult = checkOperations(raftsimKvModel, operations as never, { timeoutMs: REPORT_CHECK_TURNS, now: () => turns++ });
  const why = report.violation ? `the run stopped at its ${report.violation.kind} violation before the history was checked` : 'the run skipped the check';
  const budget = result.result === 'unknown' ? `; it ran out of its budget of ${REPORT_CHECK_TURNS} × 8192 search steps, so the verdict is unknown` : '';
  const explanation = result.result === 'not-linearizable' ? formatExplanation(raftsimKvModel, operations as never, result) : [];
  return { model, result, note: `Checked for this report (${why})${budget}.`, explanation };
}

/** Operations whose outcome is unknown: given up by their client, or never answered. */
export function unknownOutcomes(operations: readonly { readonly output: unknown }[]): number {
  let count = 0;
  for (const op of operations) if (op.output === null) count++;
  return count;
}

/** The run's liveness figures in one line: elections, time without a leader, terms, when a leader was stable. */
export function describeLiveness(f: LivenessFigures): string {
  const stable = f.stableFromMs === null ? 'no stable leader' : `leader stable from ${formatTime(f.stableFromMs)} ms`;
  return `${plural(f.elections, 'election')} (${f.electionsAfterHeal} after the heal), ${formatTime(f.leaderlessMs)} ms without a leader ` +
    `(${formatTime(f.leaderlessAfterHealMs)} after the heal), highest term ${f.highestTerm} (+${f.termGrowthAfterHeal} after the heal), ${stable}`;
}
