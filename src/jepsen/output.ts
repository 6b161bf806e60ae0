/** The run's folder: history.json (checker format), faults.json (plan and real faults), report.html. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderJepsenReport } from './report.js';
import type { JepsenResult } from './run.js';
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
    timeUnit: 'ms since the test started (as in the console lines and the node logs); planned times are ms after the faults phase began',
    durationMs: result.options.durationMs,
    healTime: result.healTime,
    planned: result.plan,
    skipped: result.skipped,
    faults: result.faults,
    roles: result.roles,
  };
  writeFileSync(join(dir, 'faults.json'), `${JSON.stringify(faults, null, 2)}\n`);
  writeFileSync(join(dir, 'report.html'), renderJepsenReport(result));
}
