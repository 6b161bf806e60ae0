/**
 * How a run's verdict reads on a terminal, shared by `run` and `replay`.
 */
import chalk from 'chalk';
import type { RunReport } from '../harness/execute.js';
import { violationJson } from '../harness/failureFile.js';
import { describeLiveness, unknownOutcomes } from '../report/fromRun.js';

export function printVerdict(report: RunReport, wallMs: number, replay: string): void {
  const sim = report.sim;
  const figures = `${sim.operations} operations (${unknownOutcomes(sim.history.operations)} unknown), ${sim.faults.length} faults, ` +
    `${sim.events} events, ${(sim.virtualMs / 1000).toFixed(1)} virtual s in ${(wallMs / 1000).toFixed(2)} s`;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (report.status === 'pass') {
    out(`${chalk.green('PASS')} ${figures}`);
  } else if (report.status === 'unknown') {
    out(`${chalk.yellow('UNKNOWN')} the linearizability check ran out of time after ${Math.round(report.checkMs)} ms; every other check held`);
    out(`     ${figures}`);
  } else {
    const v = report.violation!;
    out(`${chalk.red('FAIL')} ${violationHeadline(v)}`);
    if ('explanation' in v) for (const line of v.explanation) out(`     ${line}`);
    out(`     ${figures}`);
  }
  out(`leadership: ${describeLiveness(sim.liveness)}`);
  out(`trace ${sim.traceHash}`);
  if (report.status !== 'pass') out(`replay: ${replay}`);
}

/** What a failure line says about a violation, shared with fuzz's summary. */
export interface ViolationFacts {
  readonly kind: string;
  readonly invariant: string;
  readonly message: string;
  readonly timeMs: number;
  readonly operation?: { readonly callMs: number; readonly returnMs: number };
}

/**
 * "linearizability at 5752–5784 ms: …" (the blamed operation's call and return), "safety:
 * election-safety at 812 ms: …": what failed, when, and how; the kind once when it is the invariant.
 */
export function violationHeadline(v: ViolationFacts): string {
  const what = v.kind === v.invariant ? v.kind : `${v.kind}: ${v.invariant}`;
  const when = v.operation === undefined ? `${v.timeMs} ms` : `${v.operation.callMs}–${v.operation.returnMs} ms`;
  return `${what} at ${when}: ${v.message}`;
}

/** The `--json` object of `run` and `replay`. */
export function verdictJson(report: RunReport, wallMs: number, replay: string): Record<string, unknown> {
  const sim = report.sim;
  return {
    scenario: sim.scenario,
    seed: sim.seed,
    ok: report.status === 'pass',
    status: report.status,
    traceHash: sim.traceHash,
    violation: violationJson(report.violation),
    events: sim.events,
    virtualMs: sim.virtualMs,
    operations: sim.operations,
    pendingOperations: sim.pendingOperations,
    unknownOutcomes: unknownOutcomes(sim.history.operations),
    faults: sim.faults.length,
    liveness: sim.liveness,
    checkMs: Math.round(report.checkMs),
    wallMs: Math.round(wallMs),
    swarm: report.spec.swarm,
    bug: report.spec.bug,
    replay: report.status === 'pass' ? null : replay,
  };
}

export function exitCodeOf(report: RunReport): number {
  return report.status === 'pass' ? 0 : report.status === 'fail' ? 1 : 3;
}
