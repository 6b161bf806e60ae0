/**
 * `raftsim merge`, end to end: one small campaign run as 4 shards (`fuzz --shard i/4 --json`) and
 * as one process, through the built CLI. The merged summary must be the one-process summary:
 * totals, runs, failures in plan order, coverage table. The campaign is two tiny scenarios of our
 * own (on the fast model disk), 8 seeds with a known bug, so that failures fall in every shard
 * and their plan order interleaves the shards.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/errors.js';
import { formatSummary } from '../../src/cli/fuzz/summary.js';
import type { CampaignSummary } from '../../src/cli/fuzz/summary.js';
import { readSummaries } from '../../src/cli/merge.js';
import { mergeSummaries } from '../../src/harness/mergeSummaries.js';
import { MergeInputError } from '../../src/harness/shardSummary.js';
import type { ShardSummary } from '../../src/harness/shardSummary.js';
import { cliEntry, raftsimSync } from '../support/cli.js';
import { fuzzProcess } from './fuzzProcess.js';

const dir = mkdtempSync(join(tmpdir(), 'raftsim-merge-'));
const SPLIT = join(dir, 'tiny-split.json');
const CALM = join(dir, 'tiny-calm.json');
writeFileSync(SPLIT, JSON.stringify({
  description: 'five nodes, narrow election timeouts, a leader crash now and then: with grant-every-vote, two leaders in some seeds',
  nodes: 5,
  // Without PreVote candidates collide more often, so the bug makes two leaders in seeds of three
  // of the four shards (2, 3 and 5 of 1..8), which the interleaving check below needs.
  raft: { preVote: false },
  timing: { electionTicksMin: 15, electionTicksMax: 24, latencyMsMin: 2, latencyMsMean: 8, latencyMsMax: 40 },
  workload: { clients: 2, opsPerClient: 15, keys: 3 },
  durationMs: 1000,
  disk: { storage: 'model' },
  faults: { meanIntervalMs: 300, kinds: { 'crash-leader': 1 }, faultMsMin: 200, faultMsMax: 600 },
  liveness: { leaderWithinMs: 10000, opsCompleteWithinMs: 20000, maxElectionsAfterHeal: 80, maxTermGrowthAfterHeal: 80 },
}));
writeFileSync(CALM, JSON.stringify({
  description: 'three nodes, no faults',
  nodes: 3,
  workload: { clients: 2, opsPerClient: 10, keys: 3 },
  durationMs: 500,
  disk: { storage: 'model' },
  liveness: { leaderWithinMs: 2000, opsCompleteWithinMs: 5000, maxElectionsAfterHeal: 0, maxTermGrowthAfterHeal: 0 },
}));
const CAMPAIGN = [SPLIT, CALM, '--seeds', '8', '--bug', 'grant-every-vote', '--keep-going', '--workers', '1', '--json'];
const SHARDS = join(dir, 'shards');
const shardFile = (i: number) => join(SHARDS, `fuzz-shard-${i}`, 'summary.json');

/** What differs between one process and shards by nature: time, workers, and the merge's own notes. */
function withoutTiming(summary: object): object {
  const { wallMs: _w, seedsPerSecond: _s, workers: _k, mergedFrom: _m, failuresAfterStop: _f, ...rest } = summary as Record<string, unknown>;
  return rest;
}

let whole: ShardSummary;

beforeAll(async () => {
  // One process at a time, as every process test here: the shards would only compete for cores.
  const one = await fuzzProcess(CAMPAIGN);
  expect(one.code, one.stderr).toBe(1);
  whole = JSON.parse(one.stdout) as ShardSummary;
  for (let i = 1; i <= 4; i++) {
    const shard = await fuzzProcess([...CAMPAIGN, '--shard', `${i}/4`]);
    expect([0, 1], shard.stderr).toContain(shard.code);
    mkdirSync(join(SHARDS, `fuzz-shard-${i}`), { recursive: true });
    writeFileSync(shardFile(i), shard.stdout);
  }
});

describe('raftsim merge', () => {
  it('gives the summary of one process: totals, runs, failures in plan order, coverage', () => {
    const merged = mergeSummaries(readSummaries([SHARDS]));
    expect(withoutTiming(merged)).toEqual(withoutTiming(whole));
    expect(merged.failuresAfterStop).toEqual([]);
    expect(merged.mergedFrom.map((m) => m.shard)).toEqual(['1/4', '2/4', '3/4', '4/4']);
    expect(merged.workers).toBe(4);
    // Not vacuous: failures from at least three shards, interleaved in seed order; coverage moved.
    const failingSeeds = whole.failures.map((f) => f.seed);
    expect(new Set(failingSeeds.map((seed) => (seed - 1) % 4)).size).toBeGreaterThanOrEqual(3);
    expect(failingSeeds).toEqual([...failingSeeds].sort((a, b) => a - b));
    expect(whole.seeds).toBe(16);
    expect(whole.coverage['elections.won']!.total).toBeGreaterThan(0);
  });

  it('prints it in fuzz\'s text form, reading summaries from stdin, and exits 1 as fuzz does for a failure', () => {
    const input = [1, 2, 3, 4].map((i) => readFileSync(shardFile(i), 'utf8').trim()).join('\n');
    const result = spawnSync(process.execPath, [cliEntry(), 'merge', '-'], { input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(result.status, result.stderr).toBe(1);
    const [header, ...rest] = result.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^merge of 4 shards: fuzz .*tiny-split\.json, .*tiny-calm\.json · seeds 1\.\.8 · swarm · bug grant-every-vote$/);
    const timing = /^\d+(\.\d+)? seeds\/s · wall .* · \d+ workers?$/;
    const expected = formatSummary(whole as unknown as CampaignSummary).trimEnd().split('\n');
    expect(rest.filter((line) => !timing.test(line))).toEqual(expected.filter((line) => !timing.test(line)));
    expect(rest).toContainEqual(expect.stringMatching(timing));
  });

  it('refuses a missing shard in one line, exit 2', () => {
    const result = raftsimSync(['merge', shardFile(1), shardFile(2), shardFile(4)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('raftsim: shard 3/4 missing (got 3 of 4)\n');
    expect(result.stdout).toBe('');
  });

  it('refuses a shard given twice, a file that is not a summary, and shards of different campaigns', () => {
    const problem = (sources: string[]) => {
      try {
        mergeSummaries(readSummaries(sources));
      } catch (error) {
        if (error instanceof MergeInputError || error instanceof UsageError) return error.message;
        throw error;
      }
      return 'merged';
    };
    const copy = join(dir, 'copy-of-2.json');
    writeFileSync(copy, readFileSync(shardFile(2)));
    expect(problem([shardFile(1), shardFile(2), copy, shardFile(3), shardFile(4)])).toBe(`shard 2/4 given twice: ${shardFile(2)} and ${copy}`);
    const notSummary = join(dir, 'package.json');
    writeFileSync(notSummary, '{"name": "x"}');
    expect(problem([notSummary])).toBe(`${notSummary}: not a fuzz summary (the output of "raftsim fuzz --json")`);
    const otherBug = join(dir, 'other-bug.json');
    const three = JSON.parse(readFileSync(shardFile(3), 'utf8')) as { campaign: { bug: string } };
    writeFileSync(otherBug, JSON.stringify({ ...three, campaign: { ...three.campaign, bug: 'no-step-down' } }));
    expect(problem([shardFile(1), shardFile(2), otherBug, shardFile(4)]))
      .toBe(`${otherBug}: not the same campaign as ${shardFile(1)}: bug no-step-down vs grant-every-vote`);
    expect(problem([join(dir, 'nothing-here.json')])).toBe(`${join(dir, 'nothing-here.json')}: no such file or directory`);
  });
});
