/**
 * The checking half of `raftsim jepsen`, without a cluster: a lost acknowledged write is caught
 * both by the lost-write check and by linearizability (the final reads are in the history); the
 * fault schedule covers every chosen kind and depends only on the seed; usage parsing.
 */
import { describe, expect, it } from 'vitest';
import { checkOperations, raftsimKvModel } from '../../src/checker/index.js';
import { parseDuration, parseFaults } from '../../src/cli/jepsen.js';
import { UsageError } from '../../src/cli/errors.js';
import { summarizeFaults } from '../../src/jepsen/faultSummary.js';
import { measurePerformance, summarize } from '../../src/jepsen/performance.js';
import { isExclusive, planFaults, type PlannedFault } from '../../src/jepsen/schedule.js';
import type { JepsenOperation } from '../../src/jepsen/types.js';
import { findLostWrites } from '../../src/jepsen/verify.js';
import { OperationGenerator } from '../../src/jepsen/workload.js';

const put = (client: number, call: number, ret: number | null, key: string, value: string, ok = true): JepsenOperation =>
  ({ client, call, return: ret, input: { f: 'put', key, value }, output: ok ? {} : null });
const append = (client: number, call: number, ret: number | null, key: string, value: string, ok = true): JepsenOperation =>
  ({ client, call, return: ret, input: { f: 'append', key, value }, output: ok ? {} : null });
const get = (client: number, call: number, ret: number, key: string, value: string | null): JepsenOperation =>
  ({ client, call, return: ret, input: { f: 'get', key }, output: { value } });

describe('lost acknowledged writes', () => {
  it('an acknowledged append missing from the final value is caught, by both checks', () => {
    const history = [
      append(1, 0, 10, 'a0', '[1.1]'),
      append(2, 5, 20, 'a0', '[2.1]'),
      append(1, 30, 40, 'a0', '[1.2]'),
      get(9, 100, 110, 'a0', '[1.1][2.1]'), // the final read: [1.2] was acknowledged, then lost
    ];
    const report = findLostWrites(history, new Map([['a0', '[1.1][2.1]']]));
    expect(report.lost.map((l) => l.operation)).toEqual([2]);
    expect(report.lost[0]!.message).toContain('[1.2]');
    expect(checkOperations(raftsimKvModel, history as never).result).toBe('not-linearizable');
  });

  it('an acknowledged last put that the final read does not show is caught', () => {
    const history = [put(1, 0, 10, 'k0', '[1.1]'), put(2, 20, 30, 'k0', '[2.1]'), get(9, 100, 110, 'k0', '[1.1]')];
    const report = findLostWrites(history, new Map([['k0', '[1.1]']]));
    expect(report.lost.map((l) => l.operation)).toEqual([1]);
    expect(report.superseded).toBe(1);
    expect(checkOperations(raftsimKvModel, history as never).result).toBe('not-linearizable');
  });

  it('writes that a later or unknown write may have replaced are not counted as lost', () => {
    const history = [
      append(1, 0, 10, 'k0', '[1.1]'),
      { client: 2, call: 5, return: null, input: { f: 'put', key: 'k0', value: '[2.1]' }, output: null } satisfies JepsenOperation,
      get(9, 100, 110, 'k0', '[2.1]'),
    ];
    const report = findLostWrites(history, new Map([['k0', '[2.1]']]));
    expect(report.lost).toEqual([]);
    expect(report.superseded).toBe(1);
    expect(checkOperations(raftsimKvModel, history as never).result).toBe('linearizable');
  });

  it('an unknown write that timed out before an acknowledged write may still have replaced it (indeterminate)', () => {
    // The put to [2.1] timed out at 4, before the acknowledged put of [1.1] was called; it may
    // have taken effect later, so [1.1] missing from the final value is not a lost write.
    const history = [
      put(2, 0, 4, 'k0', '[2.1]', false),
      put(1, 10, 20, 'k0', '[1.1]'),
      get(9, 100, 110, 'k0', '[2.1]'),
    ];
    const report = findLostWrites(history, new Map([['k0', '[2.1]']]));
    expect(report.lost).toEqual([]);
    expect(report.superseded).toBe(1);
    expect(checkOperations(raftsimKvModel, history as never).result).toBe('linearizable');
  });

  it('an unknown write may take effect after the client gave up, whatever return time is recorded', () => {
    // The put was given up on at 50 but applied later (it sat in the log): its outcome is
    // indeterminate (output null), so neither a null return nor the give-up time bounds it.
    const history = [
      { client: 1, call: 0, return: null, input: { f: 'put', key: 'k0', value: '[1.1]' }, output: null, gaveUp: 50 } satisfies JepsenOperation,
      get(2, 60, 70, 'k0', null),
      get(9, 100, 110, 'k0', '[1.1]'),
    ];
    expect(checkOperations(raftsimKvModel, history as never).result).toBe('linearizable');
    const recorded = history.map((op) => (op.client === 1 ? { ...op, return: 50 } : op));
    expect(checkOperations(raftsimKvModel, recorded as never).result).toBe('linearizable');
    // It still cannot take effect and then be undone: seen at 60, gone at 100 is not linearizable.
    const undone = [history[0]!, get(2, 60, 70, 'k0', '[1.1]'), get(9, 100, 110, 'k0', null)];
    expect(checkOperations(raftsimKvModel, undone as never).result).toBe('not-linearizable');
  });
});

describe('fault schedule', () => {
  const nodes = ['n1', 'n2', 'n3'];
  it('covers every chosen kind in a short run, stays in the phase, and depends only on the seed', () => {
    for (let seed = 0; seed < 50; seed++) {
      const plan = planFaults({ seed, nodes, kinds: ['kill', 'pause', 'partition'], durationMs: 25_000 });
      expect(new Set(plan.slice(0, 3).map((f) => f.kind)).size).toBe(3);
      for (const fault of plan) expect(fault.atMs + fault.durationMs).toBeLessThanOrEqual(25_000);
      expect(planFaults({ seed, nodes, kinds: ['kill', 'pause', 'partition'], durationMs: 25_000 })).toEqual(plan);
    }
    expect(planFaults({ seed: 1, nodes, kinds: [], durationMs: 25_000 })).toEqual([]);
  });

  it('reaches the hard paths: overlaps, majority and all-node kills, pauses past the deadline, clients on the minority', () => {
    const plans = Array.from({ length: 30 }, (_, seed) => planFaults({ seed, nodes, kinds: ['kill', 'pause', 'partition'], durationMs: 60_000, clientDeadlineMs: 6_000 }));
    const all = plans.flat();
    const kill = (target: string) => all.filter((f) => f.kind === 'kill' && f.target === target);
    expect(kill('majority').length).toBeGreaterThan(10);
    for (const f of kill('majority')) expect(f.kind === 'kill' && f.nodes!.length).toBe(2);
    expect(kill('all').length).toBeGreaterThan(10);
    const longPauses = all.filter((f) => f.kind === 'pause' && f.durationMs > 6_000);
    expect(longPauses.length).toBeGreaterThan(10);
    expect(all.filter((f) => f.kind === 'partition' && f.clients === 'minority').length).toBeGreaterThan(10);
    let overlaps = 0;
    for (const plan of plans) {
      const end = (f: PlannedFault): number => f.atMs + f.durationMs;
      plan.forEach((f, i) => {
        const during = plan.filter((g, j) => j !== i && g.atMs <= f.atMs && end(g) > f.atMs);
        if (during.length > 0 && i > 0) overlaps++;
        // Never three at once, never two partitions, and a majority kill is alone.
        expect(during.length).toBeLessThanOrEqual(1);
        for (const g of during) {
          expect(isExclusive(f) || isExclusive(g)).toBe(false);
          expect(f.kind === 'partition' && g.kind === 'partition').toBe(false);
        }
      });
    }
    expect(overlaps).toBeGreaterThan(30);
  });

  it('splits five nodes into two and three', () => {
    const five = ['n1', 'n2', 'n3', 'n4', 'n5'];
    const splits = Array.from({ length: 40 }, (_, seed) => planFaults({ seed, nodes: five, kinds: ['partition'], durationMs: 60_000 }))
      .flat().filter((f) => f.kind === 'partition' && f.shape === 'split');
    expect(splits.length).toBeGreaterThan(0);
    for (const split of splits) expect(split.kind === 'partition' && split.nodes.length).toBe(2);
  });
});

describe('performance and fault figures', () => {
  it('computes nearest-rank latency percentiles, per kind, the unknown share and per-second buckets', () => {
    expect(summarize([5, 1, 3, 2, 4])).toEqual({ count: 5, p50: 3, p99: 5, max: 5 });
    expect(summarize(Array.from({ length: 200 }, (_, i) => i + 1))).toEqual({ count: 200, p50: 100, p99: 198, max: 200 });
    const history = [put(1, 0, 10, 'k0', 'a'), put(2, 5, 1_500, 'k0', 'b'), get(3, 1_200, 1_210, 'k0', 'b'), put(4, 1_300, null, 'k0', 'c', false)];
    const perf = measurePerformance(history);
    expect(perf.unknown).toBe(1);
    expect(perf.unknownShare).toBe(0.25);
    expect(perf.latency).toEqual({ count: 3, p50: 10, p99: 1_495, max: 1_495 });
    expect(perf.latencyByKind.get).toEqual({ count: 1, p50: 10, p99: 10, max: 10 });
    expect(perf.latencyByKind.put).toEqual({ count: 2, p50: 10, p99: 1_495, max: 1_495 });
    expect(perf.completedPerBucket).toEqual([1, 2]);
  });

  it('counts majority kills, long pauses and overlaps from what really happened', () => {
    const fault = (kind: 'kill' | 'pause' | 'partition', nodesHit: string[], start: number, end: number) =>
      ({ kind, nodes: nodesHit, leader: false, description: '', start, end });
    const summary = summarizeFaults([
      fault('kill', ['n1', 'n2'], 0, 1_000), fault('kill', ['n1', 'n2', 'n3'], 2_000, 3_000),
      fault('pause', ['n1'], 4_000, 11_000), fault('partition', ['n2'], 5_000, 6_000), fault('pause', ['n3'], 12_000, 13_000),
    ], 3, 6_000);
    expect(summary).toMatchObject({ kill: 2, pause: 2, partition: 1, majorityKills: 2, allNodeKills: 1, longPauses: 1, overlapping: 1, notFullyApplied: 0 });
  });
});

describe('workload and usage', () => {
  it('draws unique bracketed values', () => {
    const generator = new OperationGenerator(1, 3, ['k0'], ['a0']);
    const values = Array.from({ length: 500 }, () => generator.next()).flatMap((op) => ('value' in op ? [op.value] : []));
    expect(new Set(values).size).toBe(values.length);
    for (const value of values) expect(value).toMatch(/^\[3\.\d+\]$/);
  });

  it('parses durations and fault lists, and rejects bad ones', () => {
    expect(parseDuration('60s')).toBe(60_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1500ms')).toBe(1_500);
    expect(parseDuration('30')).toBe(30_000);
    expect(() => parseDuration('soon')).toThrow(UsageError);
    expect(() => parseDuration('10ms')).toThrow(UsageError);
    expect(parseFaults('kill,pause')).toEqual(['kill', 'pause']);
    expect(parseFaults('none')).toEqual([]);
    expect(() => parseFaults('kill,flood')).toThrow(UsageError);
  });
});
