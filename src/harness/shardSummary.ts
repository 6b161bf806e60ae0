/**
 * A fuzz summary as `raftsim fuzz --json` prints it, read back for `raftsim merge`: its types, and
 * a check of its shape at the boundary, so that a file that is not such a summary becomes one line
 * naming the problem instead of a crash deep in the merge. Pure: text in, value or problem out.
 */

/** Bumped when the shard record changes in a way an older merge cannot read. */
export const SHARD_RECORD_FORMAT = 1;

export interface ShardFailure {
  readonly scenario: string;
  readonly seed: number;
  readonly violation: { readonly kind: string; readonly invariant: string; readonly message: string; readonly timeMs: number };
  readonly replay: string;
  readonly traceHash: string;
  readonly folder?: string;
}

export interface ShardUnknown {
  readonly scenario: string;
  readonly seed: number;
  readonly replay: string;
}

export interface ShardRun {
  readonly scenario: string;
  readonly seed: number;
  readonly status: string;
  readonly traceHash: string;
}

export interface ShardCampaign {
  readonly scenarios: readonly string[];
  readonly startSeed: number;
  readonly seedCount: number | null;
  readonly durationMs: number | null;
  readonly swarm: boolean;
  readonly bug: string | null;
  readonly checkDeterminism: boolean;
}

/** A run's coverage: counts in `coverageNames` order, and the indexes of counters out of its scope. */
export interface RunCoverageRecord {
  readonly counts: readonly number[];
  readonly outOfScope: readonly number[];
}

/**
 * What merge needs beyond the summary to give exactly what one process would: what makes two
 * shards the same campaign, and per run (aligned with `runs`) whether it was checked and its
 * coverage, so that runs after the first failure can be left out of the totals as one process
 * would never have made them.
 */
export interface ShardRecord {
  readonly format: number;
  readonly codeVersion: string;
  /** A hash of the scenarios' contents: the same names may be different files on two machines. */
  readonly scenarioDigest: string;
  readonly keepGoing: boolean;
  /** null: no limit (--check-timeout none). */
  readonly checkTimeoutMs: number | null;
  /** 1-based, as `--shard i/n`; null when not sharded. */
  readonly shard: { readonly index: number; readonly count: number } | null;
  readonly coverageNames: readonly string[];
  readonly runs: readonly { readonly checked: boolean; readonly coverage: RunCoverageRecord | null }[];
}

export interface ScenarioCounts {
  seeds: number;
  passed: number;
  failed: number;
  unknown: number;
}

/** The fields of `fuzz --json` that merge reads (it ignores the others). */
export interface ShardSummary {
  readonly seeds: number;
  readonly passed: number;
  readonly failed: number;
  readonly unknown: number;
  readonly checks: number;
  readonly unknownShare: number;
  readonly seedsPerSecond: number;
  readonly wallMs: number;
  readonly workers: number;
  readonly shard: string | null;
  readonly stoppedEarly: boolean;
  readonly campaign: ShardCampaign;
  readonly scenarios: Record<string, ScenarioCounts>;
  readonly failures: readonly ShardFailure[];
  readonly unknowns: readonly ShardUnknown[];
  readonly runs: readonly ShardRun[];
  readonly coverage: Readonly<Record<string, { readonly total: number; readonly runs: number }>>;
  readonly coverageNeverTaken: readonly string[];
  readonly coverageNotEnabled: readonly string[];
  readonly shardRecord: ShardRecord;
}

/** Bad input to merge: its message is one line naming the file and the problem. */
export class MergeInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeInputError';
  }
}

/** Parses one summary; `label` (its file name) starts every problem's message. */
export function parseShardSummary(text: string, label: string): ShardSummary {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new MergeInputError(`${label}: not JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const problem = summaryProblem(raw);
  if (problem !== null) throw new MergeInputError(`${label}: ${problem}`);
  return raw as ShardSummary;
}

function summaryProblem(raw: unknown): string | null {
  if (!isObject(raw) || !isObject(raw.campaign) || !Array.isArray(raw.runs) || !isObject(raw.coverage)) {
    return 'not a fuzz summary (the output of "raftsim fuzz --json")';
  }
  if (!isObject(raw.shardRecord)) {
    return 'a fuzz summary without "shardRecord" (written by an older raftsim): run fuzz again with this version';
  }
  if (raw.shardRecord.format !== SHARD_RECORD_FORMAT) {
    return `shardRecord.format is ${JSON.stringify(raw.shardRecord.format)}, this raftsim reads ${SHARD_RECORD_FORMAT}`;
  }
  return fieldProblem(raw) ?? recordProblem(raw.shardRecord, raw.runs.length);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isStringOrNull = (value: unknown) => value === null || typeof value === 'string';
const isCountOrNull = (value: unknown) => value === null || isCount(value);

function fieldProblem(raw: Record<string, unknown>): string | null {
  for (const field of ['seeds', 'passed', 'failed', 'unknown', 'checks', 'wallMs', 'workers']) {
    if (!isCount(raw[field])) return `${field}: must be a non-negative integer, got ${JSON.stringify(raw[field])}`;
  }
  if (!isStringOrNull(raw.shard)) return `shard: must be "i/n" or null, got ${JSON.stringify(raw.shard)}`;
  const c = raw.campaign as Record<string, unknown>;
  if (!Array.isArray(c.scenarios) || !c.scenarios.every((s) => typeof s === 'string')) return 'campaign.scenarios: must be a list of names';
  if (!isCount(c.startSeed) || !isCountOrNull(c.seedCount) || !isCountOrNull(c.durationMs)) return 'campaign: startSeed, seedCount or durationMs is not a count';
  if (typeof c.swarm !== 'boolean' || !isStringOrNull(c.bug) || typeof c.checkDeterminism !== 'boolean') return 'campaign: swarm, bug or checkDeterminism has the wrong type';
  const named = (list: unknown) => Array.isArray(list) && list.every((e) => isObject(e) && typeof e.scenario === 'string' && isCount(e.seed));
  for (const field of ['runs', 'failures', 'unknowns']) if (!named(raw[field])) return `${field}: must be a list of {scenario, seed, …}`;
  if (!(raw.failures as Record<string, unknown>[]).every((f) => isObject(f.violation) && typeof f.replay === 'string')) {
    return 'failures: every entry needs a violation and a replay command';
  }
  return null;
}

function recordProblem(record: Record<string, unknown>, runCount: number): string | null {
  if (typeof record.codeVersion !== 'string' || typeof record.scenarioDigest !== 'string') return 'shardRecord: codeVersion and scenarioDigest must be strings';
  const timeout = record.checkTimeoutMs;
  if (typeof record.keepGoing !== 'boolean' || !(timeout === null || (typeof timeout === 'number' && timeout >= 0))) return 'shardRecord: keepGoing or checkTimeoutMs has the wrong type';
  const shard = record.shard;
  if (shard !== null && !(isObject(shard) && isCount(shard.index) && isCount(shard.count) && shard.index >= 1 && shard.index <= shard.count)) {
    return `shardRecord.shard: must be {index, count} with 1 <= index <= count, or null, got ${JSON.stringify(shard)}`;
  }
  if (!Array.isArray(record.coverageNames) || !record.coverageNames.every((n) => typeof n === 'string')) return 'shardRecord.coverageNames: must be a list of names';
  const width = record.coverageNames.length;
  if (!Array.isArray(record.runs) || record.runs.length !== runCount) return `shardRecord.runs: must have one entry per run (${runCount})`;
  const goodRun = (run: unknown) => isObject(run) && typeof run.checked === 'boolean' && (run.coverage === null ||
    (isObject(run.coverage) && Array.isArray(run.coverage.counts) && run.coverage.counts.length === width &&
      run.coverage.counts.every(isCount) && Array.isArray(run.coverage.outOfScope) && run.coverage.outOfScope.every(isCount)));
  const bad = record.runs.findIndex((run) => !goodRun(run));
  return bad < 0 ? null : `shardRecord.runs[${bad}]: must be {checked, coverage: {counts (${width}), outOfScope} or null}`;
}
