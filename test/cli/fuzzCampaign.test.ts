import { describe, expect, it } from 'vitest';
import {
  parseDuration, parsePositiveInteger, parseShard, runAt, shardSeedCount, totalRuns,
} from '../../src/cli/fuzz/campaign.js';
import type { CampaignPlan } from '../../src/cli/fuzz/campaign.js';
import { UsageError } from '../../src/cli/errors.js';
import { checkTimeoutMs } from '../../src/cli/options.js';

const scenarios = ['a', 'b', 'c'].map((ref) => ({ ref, scenario: { name: ref } as never }));

function runsOf(plan: CampaignPlan): string[] {
  return Array.from({ length: totalRuns(plan)! }, (_, i) => runAt(plan, i)).map((run) => `${scenarios[run.scenarioIndex]!.ref}${run.seed}`);
}

describe('fuzz campaign plan', () => {
  it('orders runs seed first, then scenario', () => {
    const plan: CampaignPlan = { scenarios: scenarios.slice(0, 2), startSeed: 5, seedCount: 3, shard: null };
    expect(runsOf(plan)).toEqual(['a5', 'b5', 'a6', 'b6', 'a7', 'b7']);
  });

  it.each([[1, 1], [10, 3], [11, 4], [12, 5], [7, 7], [2, 5]])('n shards of %i seeds together make exactly the runs of one job (n = %i)', (seedCount, count) => {
    const whole = runsOf({ scenarios, startSeed: 3, seedCount, shard: null });
    const parts = Array.from({ length: count }, (_, i) => runsOf({ scenarios, startSeed: 3, seedCount, shard: { index: i + 1, count } }));
    expect(parts.flat().sort()).toEqual([...whole].sort());
    expect(new Set(parts.flat()).size).toBe(whole.length);
  });

  it('gives seed s to shard ((s - start) mod n) + 1', () => {
    const plan: CampaignPlan = { scenarios: scenarios.slice(0, 1), startSeed: 10, seedCount: 9, shard: { index: 2, count: 4 } };
    expect(shardSeedCount(plan)).toBe(2);
    expect(runsOf(plan)).toEqual(['a11', 'a15']);
  });

  it('is open-ended for a --duration campaign', () => {
    const plan: CampaignPlan = { scenarios, startSeed: 1, seedCount: null, shard: { index: 1, count: 2 } };
    expect(totalRuns(plan)).toBeNull();
    expect(runAt(plan, 1000)).toMatchObject({ scenarioIndex: 1, seed: 1 + 2 * 333 });
  });
});

describe('fuzz option parsers', () => {
  it('reads durations in s, m and h', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    for (const bad of ['10', '0s', 'm', '5x', '-1m', '']) expect(() => parseDuration(bad)).toThrow(UsageError);
  });

  it('reads shards i/n with 1 <= i <= n', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['4/3', '0/3', 'x', '1/0', '1/', '/3', '1.5/3']) expect(() => parseShard(bad)).toThrow(/--shard/);
  });

  it('reads positive integers, and --check-timeout as seconds or none', () => {
    expect(parsePositiveInteger('--seeds', '12')).toBe(12);
    for (const bad of ['0', '-2']) expect(() => parsePositiveInteger('--seeds', bad)).toThrow(`--seeds: must be ≥ 1, got ${bad}`);
    for (const bad of ['abc', '1.5', '1e3']) expect(() => parsePositiveInteger('--seeds', bad)).toThrow(`--seeds: not an integer: ${bad}`);
    expect(() => parsePositiveInteger('--seeds', '')).toThrow('--seeds: not an integer: (nothing)');
    expect(checkTimeoutMs('0', true)).toBe(0);
    expect(checkTimeoutMs('2.5')).toBe(2500);
    expect(checkTimeoutMs('none')).toBe(Infinity);
    expect(() => checkTimeoutMs('0')).toThrow('--check-timeout: must be > 0 seconds (or none), got 0');
    expect(() => checkTimeoutMs('soon')).toThrow('--check-timeout: not a number of seconds (or none): soon');
    for (const bad of ['-1', 'abc', '', 'Infinity', '1e3']) expect(() => checkTimeoutMs(bad, true)).toThrow(UsageError);
  });
});
