/**
 * A campaign's coverage: each run's counters (src/sim/coverageCounters.ts) summed over the
 * campaign in plan order, with the number of runs in which each moved. A counter that no run
 * moved is a path "never taken": the campaign could not have found a bug there. A counter that no
 * run's scenario even enables (a fault kind it never fires, snapshots when it never compacts) is
 * "not enabled" instead, and listed apart.
 */
import chalk from 'chalk';
import type { RunCoverage } from '../../harness/execute.js';
import { COVERAGE_COUNTERS, COVERAGE_NAMES } from '../../sim/coverage.js';
import { COVERAGE_SECTIONS } from '../../sim/coverageCounters.js';
import type { OutcomeCoverage } from './protocol.js';
import type { FinishedRun } from './scheduler.js';

export interface CounterTotal {
  /** The sum over the campaign's runs. */
  readonly total: number;
  /** Runs in which the counter was above 0. */
  readonly runs: number;
}

export interface CampaignCoverage {
  /** Runs that reported coverage (a run that crashed in its worker reports none). */
  readonly runs: number;
  /** Every counter, in table order. */
  readonly counters: Readonly<Record<string, CounterTotal>>;
  /** Enabled in some run, yet 0 over the whole campaign. */
  readonly neverTaken: readonly string[];
  /** Enabled in no run. */
  readonly notEnabled: readonly string[];
}

/** A run's coverage in the compact form the worker sends. */
export function packCoverage(coverage: RunCoverage): OutcomeCoverage {
  const off = new Set(coverage.outOfScope);
  const outOfScope: number[] = [];
  COVERAGE_NAMES.forEach((name, i) => off.has(name) && outOfScope.push(i));
  return { counts: COVERAGE_NAMES.map((name) => coverage.counts[name] ?? 0), outOfScope };
}

/** Sums the runs' coverage, in the order given (plan order). */
export function aggregateCoverage(runs: readonly FinishedRun[]): CampaignCoverage {
  const n = COVERAGE_NAMES.length;
  const totals = new Array<number>(n).fill(0);
  const moved = new Array<number>(n).fill(0);
  const enabled = new Array<boolean>(n).fill(false);
  let counted = 0;
  for (const run of runs) {
    const coverage = run.outcome.coverage;
    if (!coverage || coverage.counts.length !== n) continue;
    counted++;
    const off = new Set(coverage.outOfScope);
    for (let i = 0; i < n; i++) {
      const count = coverage.counts[i]!;
      totals[i] += count;
      if (count > 0) moved[i]++;
      if (!off.has(i) || count > 0) enabled[i] = true;
    }
  }
  const counters: Record<string, CounterTotal> = {};
  const neverTaken: string[] = [];
  const notEnabled: string[] = [];
  COVERAGE_NAMES.forEach((name, i) => {
    counters[name] = { total: totals[i]!, runs: moved[i]! };
    if (!enabled[i]) notEnabled.push(name);
    else if (totals[i] === 0) neverTaken.push(name);
  });
  return { runs: counted, counters, neverTaken, notEnabled };
}

/** The table `fuzz` prints after its summary: enabled counters by section, then what was never taken or not enabled. */
export function formatCoverage(coverage: CampaignCoverage): string[] {
  const notEnabled = new Set(coverage.notEnabled);
  const shown = COVERAGE_COUNTERS.filter((c) => !notEnabled.has(c.name));
  const sectionWidth = Math.max(...COVERAGE_SECTIONS.map((s) => s.length));
  const nameWidth = Math.max(7, ...shown.map((c) => c.short.length));
  const totalWidth = Math.max(5, ...shown.map((c) => String(coverage.counters[c.name]!.total).length));
  const lines = [`coverage over ${coverage.runs} run${coverage.runs === 1 ? '' : 's'}`,
    `  ${''.padEnd(sectionWidth)}  ${'counter'.padEnd(nameWidth)}  ${'total'.padStart(totalWidth)}  runs`];
  for (const section of COVERAGE_SECTIONS) {
    const rows = shown.filter((c) => c.section === section);
    rows.forEach((c, i) => {
      const { total, runs } = coverage.counters[c.name]!;
      const label = (i === 0 ? section : '').padEnd(sectionWidth);
      const taken = total === 0 ? chalk.yellow('never') : String(runs);
      lines.push(`  ${label}  ${c.short.padEnd(nameWidth)}  ${String(total).padStart(totalWidth)}  ${taken}`);
    });
  }
  if (coverage.notEnabled.length > 0) {
    lines.push('not enabled in any run\'s scenario (after swarm draws), so never fired by design:');
    for (const section of COVERAGE_SECTIONS) {
      const names = COVERAGE_COUNTERS.filter((c) => c.section === section && notEnabled.has(c.name)).map((c) => c.short);
      wrap(names, 96 - sectionWidth).forEach((line, i) => lines.push(`  ${(i === 0 ? section : '').padEnd(sectionWidth)}  ${line}`));
    }
  }
  const never = coverage.neverTaken;
  lines.push(never.length === 0
    ? 'every enabled path was taken at least once'
    : chalk.yellow(`${never.length} path${never.length === 1 ? '' : 's'} never taken: ${never.join(', ')}`) +
      ' — this campaign could not have found bugs there');
  return lines;
}

/** Comma-separated names in lines of at most `width` characters (a long name gets a line of its own). */
function wrap(names: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const [i, name] of names.entries()) {
    const item = i < names.length - 1 ? `${name},` : name;
    if (line !== '' && line.length + 1 + item.length > width) {
      lines.push(line);
      line = item;
    } else {
      line = line === '' ? item : `${line} ${item}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
