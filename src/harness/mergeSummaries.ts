/**
 * `raftsim merge`: the summaries of a campaign's shards (`fuzz --shard i/n --json`) made into the
 * summary one process would have printed for the whole campaign: the same totals, the same runs
 * and failures in the same (plan) order, the same coverage table. Pure: summaries in, summary out.
 *
 * One process goes through the plan in order (seed first, then scenario) and, without
 * --keep-going, stops at its first failure. Each shard stopped at its own first failure, so the
 * earliest of those is where one process would have stopped; every run before it was made by its
 * shard (each shard's own stop is later). Runs after it are left out, with their coverage: that
 * is why a summary carries each run's coverage. Failures other shards found after it are kept
 * apart, in `failuresAfterStop`, since they are real.
 */
import { MergeInputError } from './shardSummary.js';
import type { RunCoverageRecord, ScenarioCounts, ShardFailure, ShardRecord, ShardRun, ShardSummary, ShardUnknown } from './shardSummary.js';

export interface LabelledSummary {
  /** Where it came from (a file name): used in problems and in `mergedFrom`. */
  readonly label: string;
  readonly summary: ShardSummary;
}

export interface MergedSummary extends ShardSummary {
  readonly mergedFrom: readonly { readonly source: string; readonly shard: string | null; readonly seeds: number; readonly wallMs: number; readonly workers: number }[];
  /** Failures in runs after the first failure, which one process would not have made (without --keep-going). */
  readonly failuresAfterStop: readonly ShardFailure[];
}

export function mergeSummaries(inputs: readonly LabelledSummary[]): MergedSummary {
  if (inputs.length === 0) throw new MergeInputError('no summaries to merge');
  checkSameCampaign(inputs);
  const shards = orderShards(inputs);
  const first = shards[0]!.summary;
  const plan = planOf(first);
  const runs = runsInPlanOrder(shards, plan);
  // Where one process would have stopped: the first failure in plan order (none with --keep-going).
  const stop = first.shardRecord.keepGoing ? null : runs.find((r) => r.run.status === 'fail')?.key ?? null;
  const kept = stop === null ? runs : runs.filter((r) => r.key <= stop);
  if (plan.total !== null) checkComplete(kept.map((r) => r.key), stop === null ? plan.total : stop + 1, plan);
  const within = <T extends { scenario: string; seed: number }>(list: readonly T[]) => list.filter((e) => stop === null || plan.keyOf(e) <= stop);
  const allFailures = sortByKey(shards.flatMap((s) => s.summary.failures), plan);
  const failures = within(allFailures);
  const counts = countRuns(kept, first.campaign.scenarios);
  const coverage = aggregate(kept.map((r) => r.record.coverage), first.shardRecord.coverageNames);
  const wallMs = Math.max(...shards.map((s) => s.summary.wallMs));
  const record: ShardRecord = { ...first.shardRecord, shard: null, runs: kept.map((r) => r.record) };
  return {
    ...counts.totals,
    unknownShare: counts.totals.checks === 0 ? 0 : counts.totals.unknown / counts.totals.checks,
    seedsPerSecond: wallMs > 0 ? kept.length / (wallMs / 1000) : 0,
    wallMs,
    workers: shards.reduce((sum, s) => sum + s.summary.workers, 0),
    shard: null,
    stoppedEarly: stop !== null && (plan.total === null || stop < plan.total - 1),
    campaign: first.campaign,
    scenarios: counts.byScenario,
    failures,
    unknowns: within(sortByKey(shards.flatMap((s): readonly ShardUnknown[] => s.summary.unknowns), plan)),
    runs: kept.map((r): ShardRun => r.run),
    coverage: coverage.counters,
    coverageNeverTaken: coverage.neverTaken,
    coverageNotEnabled: coverage.notEnabled,
    shardRecord: record,
    mergedFrom: shards.map(({ label, summary }) => ({ source: label, shard: summary.shard, seeds: summary.seeds, wallMs: summary.wallMs, workers: summary.workers })),
    failuresAfterStop: allFailures.filter((f) => !failures.includes(f)),
  };
}

interface PlannedRun {
  readonly label: string;
  readonly run: ShardRun;
  readonly record: ShardRecord['runs'][number];
  /** Its place in the whole campaign's order. */
  readonly key: number;
}

/** Every shard's runs, with their records, in the order one process would have made them. */
function runsInPlanOrder(shards: readonly LabelledSummary[], plan: Plan): PlannedRun[] {
  const runs = shards.flatMap(({ label, summary }) => summary.runs.map((run, i) => ({
    label, run, record: summary.shardRecord.runs[i]!, key: plan.keyOf(run, label),
  }))).sort((a, b) => a.key - b.key);
  runs.forEach((r, i) => {
    if (i > 0 && runs[i - 1]!.key === r.key) throw new MergeInputError(`${r.label}: ${r.run.scenario} seed ${r.run.seed} is in two summaries`);
  });
  return runs;
}

/** What makes two summaries parts of one campaign; each a name and a readable value. */
function campaignIdentity(summary: ShardSummary): [string, string][] {
  const c = summary.campaign;
  const r = summary.shardRecord;
  return [
    ['scenarios', c.scenarios.join(', ')],
    ['scenario contents', r.scenarioDigest],
    ['start seed', String(c.startSeed)],
    ['seeds', c.seedCount === null ? 'none (--duration)' : String(c.seedCount)],
    ['duration', c.durationMs === null ? 'none (--seeds)' : `${c.durationMs} ms`],
    ['swarm', c.swarm ? 'on' : 'off'],
    ['bug', c.bug ?? 'none'],
    ['--check-determinism', c.checkDeterminism ? 'on' : 'off'],
    ['--keep-going', r.keepGoing ? 'on' : 'off'],
    ['check timeout', r.checkTimeoutMs === null ? 'none' : `${r.checkTimeoutMs} ms`],
    ['code version', r.codeVersion],
    ['coverage counters', r.coverageNames.join(',')],
    ['shard count', r.shard === null ? 'not sharded' : String(r.shard.count)],
  ];
}

function checkSameCampaign(inputs: readonly LabelledSummary[]): void {
  const reference = campaignIdentity(inputs[0]!.summary);
  for (const { label, summary } of inputs.slice(1)) {
    const identity = campaignIdentity(summary);
    const differ = identity.findIndex(([, value], i) => value !== reference[i]![1]);
    if (differ < 0) continue;
    const [name, value] = identity[differ]!;
    const shorten = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}...` : text);
    throw new MergeInputError(`${label}: not the same campaign as ${inputs[0]!.label}: ${name} ${shorten(value)} vs ${shorten(reference[differ]![1])}`);
  }
}

/** The inputs in shard order, once each shard 1..n is there exactly once (or one unsharded summary). */
function orderShards(inputs: readonly LabelledSummary[]): LabelledSummary[] {
  for (const { label, summary } of inputs) {
    const shard = summary.shardRecord.shard;
    const spec = shard === null ? null : `${shard.index}/${shard.count}`;
    if (summary.shard !== spec) throw new MergeInputError(`${label}: shard ${JSON.stringify(summary.shard)} disagrees with shardRecord.shard ${spec}`);
  }
  const shardOf = (input: LabelledSummary) => input.summary.shardRecord.shard;
  const unsharded = inputs.find((input) => shardOf(input) === null);
  if (unsharded) {
    if (inputs.length === 1) return [...inputs];
    throw new MergeInputError(`${unsharded.label}: not a shard (fuzz ran without --shard), so there is nothing to merge it with`);
  }
  const count = shardOf(inputs[0]!)!.count;
  const byIndex = new Map<number, LabelledSummary>();
  for (const input of inputs) {
    const { index } = shardOf(input)!;
    const earlier = byIndex.get(index);
    if (earlier) throw new MergeInputError(`shard ${index}/${count} given twice: ${earlier.label} and ${input.label}`);
    byIndex.set(index, input);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !byIndex.has(index));
  if (missing.length > 0) {
    const names = missing.map((index) => `${index}/${count}`);
    throw new MergeInputError(`${missing.length === 1 ? 'shard' : 'shards'} ${names.join(', ')} missing (got ${inputs.length} of ${count})`);
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, input]) => input);
}

interface Plan {
  /** Runs in the whole campaign; null for a --duration campaign. */
  readonly total: number | null;
  /** A run's place in the whole campaign's order (what one process would have given it). */
  keyOf(run: { scenario: string; seed: number }, label?: string): number;
  nameOf(key: number): string;
}

function planOf(summary: ShardSummary): Plan {
  const { scenarios, startSeed, seedCount } = summary.campaign;
  const indexOf = new Map(scenarios.map((ref, i) => [ref, i]));
  return {
    total: seedCount === null ? null : seedCount * scenarios.length,
    keyOf: ({ scenario, seed }, label = 'a summary') => {
      const index = indexOf.get(scenario);
      if (index === undefined || seed < startSeed) throw new MergeInputError(`${label}: ${scenario} seed ${seed} is not in the campaign`);
      return (seed - startSeed) * scenarios.length + index;
    },
    nameOf: (key) => `${scenarios[key % scenarios.length]} seed ${startSeed + Math.floor(key / scenarios.length)}`,
  };
}

/** The kept runs must be the plan's first `expected`, each once: else a shard's summary was cut short. */
function checkComplete(keys: readonly number[], expected: number, plan: Plan): void {
  const gap = keys.findIndex((key, i) => key !== i);
  if (gap >= 0 || keys.length < expected) {
    const absent = gap >= 0 ? gap : keys.length;
    throw new MergeInputError(`the summaries leave out ${plan.nameOf(absent)}, which the campaign made: is a summary cut short or from another run?`);
  }
  if (keys.length > expected) throw new MergeInputError(`the summaries hold ${plan.nameOf(expected)}, beyond the campaign's seeds`);
}

function sortByKey<T extends { scenario: string; seed: number }>(list: readonly T[], plan: Plan): T[] {
  return [...list].sort((a, b) => plan.keyOf(a) - plan.keyOf(b));
}

function countRuns(runs: readonly PlannedRun[], scenarios: readonly string[]) {
  const byScenario: Record<string, ScenarioCounts> = {};
  for (const ref of scenarios) byScenario[ref] = { seeds: 0, passed: 0, failed: 0, unknown: 0 };
  const totals = { seeds: runs.length, passed: 0, failed: 0, unknown: 0, checks: 0 };
  for (const { run, record } of runs) {
    const counts = byScenario[run.scenario]!;
    counts.seeds++;
    if (record.checked) totals.checks++;
    if (run.status === 'pass') (totals.passed++, counts.passed++);
    else if (run.status === 'fail') (totals.failed++, counts.failed++);
    else (totals.unknown++, counts.unknown++);
  }
  return { totals, byScenario };
}

/**
 * The runs' coverage summed in plan order, as fuzz sums it (src/cli/fuzz/coverage.ts, which the
 * harness may not import): a counter is "never taken" when some run enables it and none moves it,
 * "not enabled" when no run enables it.
 */
function aggregate(coverages: readonly (RunCoverageRecord | null)[], names: readonly string[]) {
  const totals = names.map(() => 0);
  const moved = names.map(() => 0);
  const enabled = names.map(() => false);
  for (const coverage of coverages) {
    if (coverage === null) continue;
    const off = new Set(coverage.outOfScope);
    coverage.counts.forEach((count, i) => {
      totals[i] += count;
      if (count > 0) moved[i]++;
      if (!off.has(i) || count > 0) enabled[i] = true;
    });
  }
  const counters: Record<string, { total: number; runs: number }> = {};
  names.forEach((name, i) => (counters[name] = { total: totals[i]!, runs: moved[i]! }));
  return {
    counters,
    neverTaken: names.filter((_, i) => enabled[i] && totals[i] === 0),
    notEnabled: names.filter((_, i) => !enabled[i]),
  };
}
