/**
 * The seed plan of a campaign: which (scenario, seed) runs it makes, in which fixed order, and
 * which of them a shard owns. Runs are ordered seed first, then scenario (seed 1 of every
 * scenario, then seed 2, …) so that one order serves both a fixed seed count and an open-ended
 * `--duration` campaign. Also the parsers of the campaign's command-line values, so that every bad
 * value becomes a one-line UsageError naming the option.
 */
import type { Scenario } from '../../sim/scenario.js';
import { UsageError } from '../errors.js';
import { parseInteger } from '../options.js';

export interface CampaignScenario {
  /** How the user named it (a bundled name or a path): what the replay command repeats. */
  readonly ref: string;
  readonly scenario: Scenario;
}

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export interface CampaignPlan {
  readonly scenarios: readonly CampaignScenario[];
  readonly startSeed: number;
  /** Seeds per scenario before sharding; null: open-ended (a `--duration` campaign). */
  readonly seedCount: number | null;
  readonly shard: Shard | null;
}

/** One run of the plan; `index` is its place in the plan's order (its shard's order). */
export interface PlannedRun {
  readonly index: number;
  readonly scenarioIndex: number;
  readonly seed: number;
}

/** How many seeds of the plan this shard owns (null: open-ended). */
export function shardSeedCount(plan: CampaignPlan): number | null {
  if (plan.seedCount === null) return null;
  if (!plan.shard) return plan.seedCount;
  const { index, count } = plan.shard;
  // Seeds at offsets index-1, index-1+count, … below seedCount.
  return Math.max(0, Math.ceil((plan.seedCount - (index - 1)) / count));
}

/** How many runs the plan makes (null: open-ended). */
export function totalRuns(plan: CampaignPlan): number | null {
  const seeds = shardSeedCount(plan);
  return seeds === null ? null : seeds * plan.scenarios.length;
}

/**
 * The run at a place in the plan's order. A shard owns whole seeds, every scenario of them: seed
 * s goes to shard ((s - start) mod n) + 1, so n shards together make exactly the runs of one job.
 */
export function runAt(plan: CampaignPlan, index: number): PlannedRun {
  const perSeed = plan.scenarios.length;
  const seedOrdinal = Math.floor(index / perSeed);
  const offset = plan.shard ? seedOrdinal * plan.shard.count + (plan.shard.index - 1) : seedOrdinal;
  return { index, scenarioIndex: index % perSeed, seed: plan.startSeed + offset };
}

export function parsePositiveInteger(option: string, raw: unknown): number {
  return parseInteger(option, raw, { min: 1 });
}

export function parseNonNegativeInteger(option: string, raw: unknown): number {
  return parseInteger(option, raw, { min: 0 });
}

const DURATION_UNITS_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000 };

/** `30s`, `10m`, `1h` (also `1.5h`) → milliseconds. */
export function parseDuration(raw: unknown): number {
  const match = /^(\d+(?:\.\d+)?)([smh])$/.exec(String(raw).trim());
  const ms = match ? Number(match[1]) * DURATION_UNITS_MS[match[2]!]! : NaN;
  if (!(ms > 0)) throw new UsageError(`--duration must be a time like 30s, 10m or 1h, got ${JSON.stringify(raw)}`);
  return ms;
}

/** `i/n` with 1 ≤ i ≤ n. */
export function parseShard(raw: unknown): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(String(raw).trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || !Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard must be i/n with 1 <= i <= n (e.g. 2/4), got ${JSON.stringify(raw)}`);
  }
  return { index, count };
}

