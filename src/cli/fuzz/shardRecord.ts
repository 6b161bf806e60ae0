/**
 * The `shardRecord` field of `fuzz --json`: what `raftsim merge` needs, beyond the summary, to
 * combine the summaries of a campaign's shards into exactly what one process would print (see
 * src/harness/mergeSummaries.ts). Additive: the summary's other fields are unchanged.
 */
import { createHash } from 'node:crypto';
import { SHARD_RECORD_FORMAT } from '../../harness/shardSummary.js';
import type { ShardRecord } from '../../harness/shardSummary.js';
import { COVERAGE_NAMES } from '../../sim/coverage.js';
import { scenarioJson } from '../../sim/scenario.js';
import { codeVersion } from '../codeVersion.js';
import type { CampaignPlan } from './campaign.js';
import type { FinishedRun } from './scheduler.js';

export interface ShardRecordInput {
  readonly plan: CampaignPlan;
  /** In plan order, as in the summary's `runs`. */
  readonly runs: readonly FinishedRun[];
  readonly keepGoing: boolean;
  readonly checkTimeoutMs: number;
}

export function shardRecord(input: ShardRecordInput): ShardRecord {
  const contents = JSON.stringify(input.plan.scenarios.map((s) => scenarioJson(s.scenario)));
  return {
    format: SHARD_RECORD_FORMAT,
    codeVersion: codeVersion(),
    scenarioDigest: createHash('sha256').update(contents).digest('hex').slice(0, 16),
    keepGoing: input.keepGoing,
    checkTimeoutMs: Number.isFinite(input.checkTimeoutMs) ? input.checkTimeoutMs : null,
    shard: input.plan.shard ? { index: input.plan.shard.index, count: input.plan.shard.count } : null,
    coverageNames: COVERAGE_NAMES,
    runs: input.runs.map((run) => ({
      checked: run.outcome.checked,
      coverage: run.outcome.coverage && run.outcome.coverage.counts.length === COVERAGE_NAMES.length
        ? { counts: [...run.outcome.coverage.counts], outOfScope: [...run.outcome.coverage.outOfScope] } : null,
    })),
  };
}
