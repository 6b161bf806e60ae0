/** The run's folder: history.json (checker format), faults.json (plan and real faults, one time base), report.html. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderJepsenReport } from './report.js';
import type { JepsenResult } from './run.js';
import type { PlannedFault } from './schedule.js';
import type { JepsenOperation } from './types.js';

/** history.json alone: written before the check too, so that a long or interrupted check loses nothing. */
export function writeHistory(history: readonly JepsenOperation[], seed: number, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const source = `raftsim jepsen seed ${seed}`;
  writeFileSync(join(dir, 'history.json'), `${JSON.stringify({ model: 'raftsim-kv', source, operations: history }, null, 0).replace(/\},\{"client"/g, '},\n{"client"')}\n`);
}

export function writeOutputs(result: JepsenResult, dir: string): void {
  writeHistory(result.history, result.options.seed, dir);
  const faults = {
    seed: result.options.seed,
    timeUnit: 'ms since the test started, for every time in this file (as in the console lines, the node logs, history.json and report.html)',
    durationMs: result.options.durationMs,
    faultsPhaseStart: result.faultsPhaseStart,
    healTime: result.healTime,
    planned: result.plan.map((fault) => onTestClock(fault, result.faultsPhaseStart)),
    skipped: result.skipped.map((fault) => onTestClock(fault, result.faultsPhaseStart)),
    faults: result.faults,
    roles: result.roles,
  };
  writeFileSync(join(dir, 'faults.json'), `${JSON.stringify(faults, null, 2)}\n`);
  writeFileSync(join(dir, 'report.html'), renderJepsenReport(result));
}

/**
 * A planned fault with its start on the test clock, like the real faults (`start` null: the faults
 * phase never began). A late plan is shifted, so a real fault may begin later than planned.
 */
export function onTestClock(fault: PlannedFault, phaseStart: number | null): Omit<PlannedFault, 'atMs'> & { start: number | null } {
  const { atMs, ...rest } = fault;
  return { start: phaseStart === null ? null : phaseStart + atMs, ...rest };
}
