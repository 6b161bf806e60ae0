/**
 * The end of a campaign: one summary object (what --json prints) and its human form. Everything
 * in it is in plan order, so that it reads the same whatever the number of workers.
 */
import chalk from 'chalk';
import { aggregateCoverage, formatCoverage } from './coverage.js';
import type { CounterTotal } from './coverage.js';
import type { ViolationSummary } from './protocol.js';
import type { FinishedRun } from './scheduler.js';
import { formatSeconds } from './progress.js';
import { violationHeadline } from '../report.js';

export interface FailureEntry {
  readonly scenario: string;
  readonly seed: number;
  readonly violation: ViolationSummary;
  readonly replay: string;
  readonly traceHash: string;
  /** The --out folder of this failure. */
  readonly folder?: string;
}

export interface ScenarioCounts {
  seeds: number;
  passed: number;
  failed: number;
  unknown: number;
}

export interface CampaignSummary {
  /** Runs made: (scenario, seed) pairs. */
  readonly seeds: number;
  readonly passed: number;
  readonly failed: number;
  readonly unknown: number;
  /** Linearizability checks that ran (a run that fails in the simulation is not checked). */
  readonly checks: number;
  /** unknown / checks: the share of checks that timed out. */
  readonly unknownShare: number;
  readonly seedsPerSecond: number;
  readonly wallMs: number;
  readonly workers: number;
  /** "i/n", or null when not sharded. */
  readonly shard: string | null;
  /** Stopped at a failure before the plan ran out (no --keep-going). */
  readonly stoppedEarly: boolean;
  readonly campaign: {
    readonly scenarios: readonly string[];
    readonly startSeed: number;
    /** Seeds per scenario before sharding; null for a --duration campaign. */
    readonly seedCount: number | null;
    readonly durationMs: number | null;
    readonly swarm: boolean;
    readonly bug: string | null;
    readonly checkDeterminism: boolean;
  };
  readonly scenarios: Record<string, ScenarioCounts>;
  readonly failures: readonly FailureEntry[];
  readonly unknowns: readonly { readonly scenario: string; readonly seed: number; readonly replay: string }[];
  /** Every run, in plan order. */
  readonly runs: readonly { readonly scenario: string; readonly seed: number; readonly status: string; readonly traceHash: string }[];
  /** Every coverage counter: its total over the runs and the runs in which it was above 0. */
  readonly coverage: Readonly<Record<string, CounterTotal>>;
  /** Counters some run's scenario enables that stayed 0 over the whole campaign. */
  readonly coverageNeverTaken: readonly string[];
  /** Counters no run's scenario enables (fault kinds never fired, snapshots never taken, by design). */
  readonly coverageNotEnabled: readonly string[];
}

export interface SummaryInput {
  readonly runs: readonly FinishedRun[];
  readonly scenarioRefs: readonly string[];
  readonly failures: readonly FailureEntry[];
  readonly replayOf: (run: FinishedRun) => string;
  readonly wallMs: number;
  readonly workers: number;
  readonly shard: string | null;
  readonly stoppedEarly: boolean;
  readonly campaign: CampaignSummary['campaign'];
}

export function buildSummary(input: SummaryInput): CampaignSummary {
  const scenarios: Record<string, ScenarioCounts> = {};
  for (const ref of input.scenarioRefs) scenarios[ref] = { seeds: 0, passed: 0, failed: 0, unknown: 0 };
  let passed = 0;
  let failed = 0;
  let unknown = 0;
  let checks = 0;
  for (const run of input.runs) {
    const counts = scenarios[input.scenarioRefs[run.scenarioIndex]!]!;
    counts.seeds++;
    if (run.outcome.checked) checks++;
    if (run.outcome.status === 'pass') (passed++, counts.passed++);
    else if (run.outcome.status === 'fail') (failed++, counts.failed++);
    else (unknown++, counts.unknown++);
  }
  const seeds = input.runs.length;
  const coverage = aggregateCoverage(input.runs);
  return {
    seeds, passed, failed, unknown, checks,
    unknownShare: checks === 0 ? 0 : unknown / checks,
    seedsPerSecond: input.wallMs > 0 ? seeds / (input.wallMs / 1000) : 0,
    wallMs: Math.round(input.wallMs),
    workers: input.workers,
    shard: input.shard,
    stoppedEarly: input.stoppedEarly,
    campaign: input.campaign,
    scenarios,
    failures: input.failures,
    unknowns: input.runs.filter((run) => run.outcome.status === 'unknown')
      .map((run) => ({ scenario: input.scenarioRefs[run.scenarioIndex]!, seed: run.seed, replay: input.replayOf(run) })),
    runs: input.runs.map((run) => ({
      scenario: input.scenarioRefs[run.scenarioIndex]!, seed: run.seed, status: run.outcome.status, traceHash: run.outcome.traceHash,
    })),
    coverage: coverage.counters,
    coverageNeverTaken: coverage.neverTaken,
    coverageNotEnabled: coverage.notEnabled,
  };
}

export function formatSummary(summary: CampaignSummary): string {
  const lines: string[] = [];
  for (const failure of summary.failures) {
    const v = failure.violation;
    lines.push(`${chalk.red('FAIL')} ${failure.scenario} seed ${failure.seed}: ${violationHeadline(v)}`);
    lines.push(`     replay: ${failure.replay}`);
    if (failure.folder) lines.push(`     folder: ${failure.folder}`);
  }
  for (const unknown of summary.unknowns) {
    lines.push(`${chalk.yellow('UNKNOWN')} ${unknown.scenario} seed ${unknown.seed}: the linearizability check timed out`);
    lines.push(`     replay: ${unknown.replay}`);
  }
  if (lines.length > 0) lines.push('');
  const share = `${(summary.unknownShare * 100).toFixed(1)}% of ${summary.checks} checks`;
  const verdict = summary.failed > 0 ? chalk.red(`${summary.failed} failed`) : `${summary.failed} failed`;
  const unknown = summary.unknown > 0 ? chalk.yellow(`${summary.unknown} unknown`) : `${summary.unknown} unknown`;
  lines.push(`${plural(summary.seeds, 'seed')}: ${chalk.green(`${summary.passed} passed`)}, ${verdict}, ${unknown} (${share})`);
  lines.push(`${summary.seedsPerSecond.toFixed(1)} seeds/s · wall ${formatSeconds(summary.wallMs / 1000)} · ` +
    `${summary.workers} worker${summary.workers === 1 ? '' : 's'}${summary.shard ? ` · shard ${summary.shard}` : ''}`);
  if (summary.stoppedEarly) lines.push('stopped at the first failure (--keep-going runs every seed)');
  const refs = Object.keys(summary.scenarios);
  {
    const width = Math.max(...refs.map((ref) => ref.length));
    for (const ref of refs) {
      const c = summary.scenarios[ref]!;
      lines.push(`  ${ref.padEnd(width)}  ${plural(c.seeds, 'seed')}, ${c.passed} passed, ${c.failed} failed, ${c.unknown} unknown`);
    }
  }
  lines.push('', ...formatCoverage({
    runs: summary.seeds, counters: summary.coverage, neverTaken: summary.coverageNeverTaken, notEnabled: summary.coverageNotEnabled,
  }));
  return lines.join('\n') + '\n';
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
