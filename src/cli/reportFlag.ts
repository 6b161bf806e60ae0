/**
 * `--report FILE` on `run`, `replay` and `shrink`: the run's report.html (the page `fuzz --out`
 * writes), opening at the failure. The file's folder is checked before the run, so a typo costs a
 * one-line refusal, not a finished run with nowhere to go.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Argv } from 'yargs';
import type { RunReport } from '../harness/execute.js';
import { renderRunReport } from '../report/index.js';
import { UsageError } from './errors.js';

export function withReportFlag<T>(yargs: Argv<T>): Argv<T> {
  return yargs.option('report', { type: 'string', describe: 'Write the run\'s report.html (timeline, faults, history; opens at the failure) to this file' }) as Argv<T>;
}

/** Refuses a --report path whose folder does not exist, or that names a folder. */
export function checkReportPath(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  if (typeof path !== 'string' || path === '') throw new UsageError('--report: name the HTML file to write');
  const folder = dirname(resolve(path));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`--report ${path}: no such folder ${folder}`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`--report ${path}: is a folder; name the HTML file to write`);
  return path;
}

/** `report` must come from a run with keepTrace, so that the page shows roles, messages and time-outs. */
export function writeReport(path: string, report: RunReport, replay: string): void {
  writeFileSync(path, renderRunReport(report, replay));
  process.stderr.write(`wrote ${path}\n`);
}
