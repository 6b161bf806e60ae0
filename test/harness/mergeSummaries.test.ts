/**
 * The merge of shard summaries, in process, on small summaries made here as fuzz would print them:
 * the stop at the first failure in plan order (what one process does without --keep-going), the
 * order of runs and failures across shards, coverage summed over the runs kept, and the refusals.
 * The end-to-end comparison with a real one-process campaign is test/cli/merge.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { mergeSummaries } from '../../src/harness/mergeSummaries.js';
import type { LabelledSummary } from '../../src/harness/mergeSummaries.js';
import { MergeInputError, parseShardSummary, SHARD_RECORD_FORMAT } from '../../src/harness/shardSummary.js';
import type { ShardSummary } from '../../src/harness/shardSummary.js';

const SCENARIOS = ['a', 'b'];
const NAMES = ['x.seed', 'x.on-b', 'x.zero', 'x.off'];
/** a3, b2 and a4 fail. Plan order: a1 b1 a2 b2 a3 b3 a4 b4; shard 1/2 has seeds 1 and 3, shard 2/2 seeds 2 and 4. */
const FAILING = new Set(['a3', 'b2', 'a4']);

/** A shard's summary as fuzz prints it: its runs in plan order, cut after its first failure unless keepGoing. */
function shardSummary(shard: { index: number; count: number } | null, keepGoing: boolean, seedCount = 4): ShardSummary {
  const runs: { scenario: string; seed: number; failed: boolean }[] = [];
  for (let seed = 1; seed <= seedCount; seed++) {
    if (shard && (seed - 1) % shard.count !== shard.index - 1) continue;
    for (const scenario of SCENARIOS) runs.push({ scenario, seed, failed: FAILING.has(`${scenario}${seed}`) });
  }
  const firstFailure = runs.findIndex((r) => r.failed);
  const made = keepGoing || firstFailure < 0 ? runs : runs.slice(0, firstFailure + 1);
  const failed = made.filter((r) => r.failed);
  return {
    seeds: made.length, passed: made.length - failed.length, failed: failed.length, unknown: 0, checks: made.length - failed.length,
    unknownShare: 0, seedsPerSecond: 1, wallMs: 1000 * (shard?.index ?? 1), workers: 2,
    shard: shard ? `${shard.index}/${shard.count}` : null,
    stoppedEarly: made.length < runs.length,
    campaign: { scenarios: SCENARIOS, startSeed: 1, seedCount, durationMs: null, swarm: true, bug: null, checkDeterminism: false },
    scenarios: {}, // merge recounts; these shard-level fields are not read
    failures: failed.map((r) => ({
      scenario: r.scenario, seed: r.seed, replay: `raftsim replay ${r.scenario} --seed ${r.seed}`, traceHash: `h${r.scenario}${r.seed}`,
      violation: { kind: 'safety', invariant: 'election-safety', message: 'two leaders', timeMs: 5 },
    })),
    unknowns: [],
    runs: made.map((r) => ({ scenario: r.scenario, seed: r.seed, status: r.failed ? 'fail' : 'pass', traceHash: `h${r.scenario}${r.seed}` })),
    coverage: {}, coverageNeverTaken: [], coverageNotEnabled: [],
    shardRecord: {
      format: SHARD_RECORD_FORMAT, codeVersion: '0.1.0+abc', scenarioDigest: 'd1', keepGoing, checkTimeoutMs: null, shard, coverageNames: NAMES,
      runs: made.map((r) => ({ checked: !r.failed, coverage: { counts: [r.seed, r.scenario === 'b' ? 1 : 0, 0, 0], outOfScope: [3] } })),
    },
  };
}

const shards = (keepGoing: boolean, count = 2): LabelledSummary[] =>
  Array.from({ length: count }, (_, i) => ({ label: `s${i + 1}.json`, summary: shardSummary({ index: i + 1, count }, keepGoing) }));
const names = (list: readonly { scenario: string; seed: number }[]) => list.map((r) => `${r.scenario}${r.seed}`);

function problem(inputs: LabelledSummary[]): string {
  try {
    mergeSummaries(inputs);
    return 'merged';
  } catch (error) {
    if (error instanceof MergeInputError) return error.message;
    throw error;
  }
}

describe('mergeSummaries', () => {
  it('without --keep-going, stops where one process would: at the first failure in plan order, whichever shard found it', () => {
    const merged = mergeSummaries(shards(false));
    expect(names(merged.runs)).toEqual(['a1', 'b1', 'a2', 'b2']);
    expect(names(merged.failures)).toEqual(['b2']);
    expect(names(merged.failuresAfterStop)).toEqual(['a3']);
    expect(merged).toMatchObject({ seeds: 4, passed: 3, failed: 1, unknown: 0, checks: 3, stoppedEarly: true, shard: null });
    expect(merged.scenarios).toEqual({ a: { seeds: 2, passed: 2, failed: 0, unknown: 0 }, b: { seeds: 2, passed: 1, failed: 1, unknown: 0 } });
    // Coverage over the four runs kept only: a3 (shard 1, after the stop) does not count.
    expect(merged.coverage).toEqual({ 'x.seed': { total: 6, runs: 4 }, 'x.on-b': { total: 2, runs: 2 }, 'x.zero': { total: 0, runs: 0 }, 'x.off': { total: 0, runs: 0 } });
    expect(merged.coverageNeverTaken).toEqual(['x.zero']);
    expect(merged.coverageNotEnabled).toEqual(['x.off']);
    expect(merged.shardRecord.runs).toHaveLength(4);
    expect(merged.shardRecord.shard).toBeNull();
  });

  it('with --keep-going, keeps every run and orders the failures by plan, across shards', () => {
    const merged = mergeSummaries(shards(true));
    expect(names(merged.runs)).toEqual(['a1', 'b1', 'a2', 'b2', 'a3', 'b3', 'a4', 'b4']);
    expect(names(merged.failures)).toEqual(['b2', 'a3', 'a4']);
    expect(merged.failuresAfterStop).toEqual([]);
    expect(merged).toMatchObject({ seeds: 8, failed: 3, stoppedEarly: false, wallMs: 2000, workers: 4 });
    expect(merged.coverage['x.seed']).toEqual({ total: 20, runs: 8 });
  });

  it('gives the same summary whatever the number of shards, and one unsharded summary is its own merge', () => {
    const strip = (s: ReturnType<typeof mergeSummaries>) => ({ ...s, wallMs: 0, seedsPerSecond: 0, workers: 0, mergedFrom: [], failuresAfterStop: [] });
    const one = mergeSummaries([{ label: 'one.json', summary: shardSummary(null, false) }]);
    expect(strip(mergeSummaries(shards(false, 2)))).toEqual(strip(one));
    expect(strip(mergeSummaries(shards(false, 3)))).toEqual(strip(one));
    expect(strip(mergeSummaries(shards(true, 4).reverse()))).toEqual(strip(mergeSummaries([{ label: 'one.json', summary: shardSummary(null, true) }])));
  });

  it('names a missing shard, a shard given twice, another campaign, an unsharded summary among shards', () => {
    const [s1, s2] = shards(true);
    expect(problem([s1!])).toBe('shard 2/2 missing (got 1 of 2)');
    expect(problem([s1!, s2!, { ...s2!, label: 'again.json' }])).toBe('shard 2/2 given twice: s2.json and again.json');
    const otherSwarm = { label: 'x.json', summary: { ...s2!.summary, campaign: { ...s2!.summary.campaign, swarm: false } } };
    expect(problem([s1!, otherSwarm])).toBe('x.json: not the same campaign as s1.json: swarm off vs on');
    const otherCode = { label: 'y.json', summary: { ...s2!.summary, shardRecord: { ...s2!.summary.shardRecord, codeVersion: '0.1.0+def' } } };
    expect(problem([s1!, otherCode])).toBe('y.json: not the same campaign as s1.json: code version 0.1.0+def vs 0.1.0+abc');
    const fourShards = shards(true, 4)[1]!;
    expect(problem([s1!, fourShards])).toBe('s2.json: not the same campaign as s1.json: shard count 4 vs 2');
    expect(problem([s1!, { label: 'whole.json', summary: shardSummary(null, true) }])).toBe('whole.json: not the same campaign as s1.json: shard count not sharded vs 2');
  });

  it('refuses summaries that leave runs out (a shard cut short)', () => {
    const [s1, s2] = shards(true);
    const short = { ...s2!, summary: { ...s2!.summary, runs: s2!.summary.runs.slice(0, 3), shardRecord: { ...s2!.summary.shardRecord, runs: s2!.summary.shardRecord.runs.slice(0, 3) } } };
    expect(problem([s1!, short])).toBe('the summaries leave out b seed 4, which the campaign made: is a summary cut short or from another run?');
  });

  it('reads a summary back from JSON, and names what is wrong with one that is not', () => {
    const text = JSON.stringify(shardSummary({ index: 1, count: 2 }, true));
    expect(parseShardSummary(text, 'f.json').shardRecord.shard).toEqual({ index: 1, count: 2 });
    expect(() => parseShardSummary('{', 'f.json')).toThrow(/^f\.json: not JSON \(/);
    expect(() => parseShardSummary('[]', 'f.json')).toThrow('f.json: not a fuzz summary (the output of "raftsim fuzz --json")');
    const { shardRecord: _, ...old } = JSON.parse(text) as Record<string, unknown>;
    expect(() => parseShardSummary(JSON.stringify(old), 'old.json')).toThrow('old.json: a fuzz summary without "shardRecord" (written by an older raftsim): run fuzz again with this version');
    const wrong = JSON.parse(text) as { shardRecord: { runs: unknown[] } };
    wrong.shardRecord.runs.pop();
    expect(() => parseShardSummary(JSON.stringify(wrong), 'w.json')).toThrow('w.json: shardRecord.runs: must have one entry per run (4)');
  });
});
