/**
 * The jepsen run's speed figures without a cluster: percentiles, answers per second (overall, per
 * kind, per bucket) on a synthetic history with answers worked out by hand; the console table; the
 * report's section (figures, table, both charts with the fault shaded, near the top); and
 * faults.json on the one time base (planned faults on the test clock, like the real ones).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOperations, raftsimKvModel } from '../../src/checker/index.js';
import { writeOutputs } from '../../src/jepsen/output.js';
import { chooseBucketMs, formatPerformanceTable, measurePerformance } from '../../src/jepsen/performance.js';
import { renderJepsenReport } from '../../src/jepsen/report.js';
import type { JepsenResult } from '../../src/jepsen/run.js';
import type { PlannedFault } from '../../src/jepsen/schedule.js';
import type { FaultRecord, JepsenOperation } from '../../src/jepsen/types.js';

const get = (client: number, call: number, ret: number): JepsenOperation =>
  ({ client, call, return: ret, input: { f: 'get', key: 'k' }, output: { value: null } });
const put = (client: number, call: number, ret: number | null, value: string): JepsenOperation =>
  ({ client, call, return: ret, input: { f: 'put', key: 'k', value }, output: ret === null ? null : {} });

/**
 * Second 0: four gets of 1, 2, 3 and 100 ms. Second 1: nothing answered (a fault). Second 2: two
 * puts of 10 and 30 ms. One put never answered. First call 0, last answer 2500 ms.
 */
const HISTORY: JepsenOperation[] = [
  get(1, 0, 1), get(2, 10, 12), put(6, 100, null, 'lost?'), get(3, 20, 23), get(4, 500, 600), put(1, 2000, 2010, 'a'), put(2, 2470, 2500, 'b'),
].sort((a, b) => a.call - b.call);

describe('latency and throughput figures', () => {
  it('are computed from a synthetic history as worked out by hand', () => {
    const perf = measurePerformance(HISTORY);
    expect(perf.bucketMs).toBe(1000);
    expect(perf.operations).toBe(7);
    expect(perf.unknown).toBe(1);
    // Latencies 1, 2, 3, 10, 30, 100: nearest rank p50 is the 3rd, p99 the 6th.
    expect(perf.latency).toEqual({ count: 6, p50: 3, p99: 100, max: 100 });
    expect(perf.latencyByKind).toEqual({ get: { count: 4, p50: 2, p99: 100, max: 100 }, put: { count: 2, p50: 10, p99: 30, max: 30 } });
    // 6 answers over 2.5 s; the kinds share the same span, so they add up.
    expect(perf.meanPerSecond).toBeCloseTo(2.4, 10);
    expect(perf.perSecondByKind.get).toBeCloseTo(1.6, 10);
    expect(perf.perSecondByKind.put).toBeCloseTo(0.8, 10);
    expect(perf.completedPerBucket).toEqual([4, 0, 2]);
    expect(perf.latencyPerBucket).toEqual([{ count: 4, p50: 2, p99: 100, max: 100 }, null, { count: 2, p50: 10, p99: 30, max: 30 }]);
  });

  it('widen the buckets of a long run so that there are at most 600', () => {
    expect(chooseBucketMs(1)).toBe(1000);
    expect(chooseBucketMs(600_000)).toBe(1000);
    expect(chooseBucketMs(600_001)).toBe(2000);
    expect(chooseBucketMs(3_600_000)).toBe(6000);
    const long = [get(1, 0, 5), get(1, 3_599_000, 3_599_010)];
    const perf = measurePerformance(long);
    expect(perf.bucketMs).toBe(6000);
    expect(perf.completedPerBucket).toHaveLength(600);
    expect(perf.completedPerBucket[0]).toBe(1);
    expect(perf.completedPerBucket[599]).toBe(1);
  });

  it('make the console table: all, then one row per kind', () => {
    const rows = formatPerformanceTable(measurePerformance(HISTORY)).map((line) => line.trim().split(/\s+/));
    expect(rows).toEqual([
      ['operation', 'answered', 'ok/s', 'p50', 'ms', 'p99', 'ms', 'max', 'ms'],
      ['all', '6', '2.4', '3', '100', '100'],
      ['get', '4', '1.6', '2', '100', '100'],
      ['put', '2', '0.8', '10', '30', '30'],
    ]);
    expect(formatPerformanceTable(measurePerformance([put(1, 0, null, 'x')]))[0]).toMatch(/no operation was answered/);
  });
});

const PAUSE: FaultRecord = { kind: 'pause', nodes: ['n1'], leader: true, description: 'SIGSTOP n1 (leader n1) for 900 ms', start: 1050, end: 1950 };
const PLANNED: PlannedFault = { kind: 'pause', atMs: 1000, durationMs: 900, target: 'leader' };

function syntheticResult(): JepsenResult {
  return {
    options: {
      nodes: 3, clients: 2, durationMs: 3000, faults: ['pause'], seed: 11, basePort: 7001, serveCommand: ['main.js', 'serve'], logDir: '/nowhere',
      checkTimeoutMs: 10_000, log: () => undefined,
    },
    plan: [PLANNED], skipped: [], history: HISTORY, faults: [PAUSE], roles: [{ node: 'n1', t: 40, role: 'leader', term: 1 }],
    stats: { ok: 6, unknown: 1, notApplied: 0, rejected: [] },
    check: checkOperations(raftsimKvModel, HISTORY as never), explanation: [], finalValues: new Map([['k', 'b']]),
    lostWrites: { lost: [], verified: 1, superseded: 1 }, problems: [], verdict: 'ok', healTime: 2200, faultsPhaseStart: 50, endTime: 2600,
  };
}

describe('the jepsen report and faults.json', () => {
  it('report.html shows the figures, the table and both charts with the fault shaded, above the timeline', () => {
    const result = syntheticResult();
    expect(result.check!.result).toBe('linearizable');
    const page = renderJepsenReport(result);
    const section = /<section id="performance-section">[^]*?<\/section>/.exec(page)![0];
    expect(page.indexOf('<section id="performance-section">')).toBeLessThan(page.indexOf('<section id="timeline-section">'));
    expect(section).toContain('<b>2.4</b> answered operations/s · latency p50 <b>3 ms</b> · p99 <b>100 ms</b> · max <b>100 ms</b>');
    const rows = /<table id="latency-table"[^]*?<tbody>([^]*?)<\/tbody>/.exec(section)![1]!.split('<tr>').slice(1)
      .map((row) => [...row.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]));
    expect(rows).toEqual([['all', '6', '2.4', '3', '100', '100'], ['get', '4', '1.6', '2', '100', '100'], ['put', '2', '0.8', '10', '30', '30']]);
    // Both charts: three buckets, the pause shaded in each, the heal marked.
    for (const id of ['throughput-chart', 'latency-chart']) {
      const chart = new RegExp(`<svg id="${id}"[^]*?</svg>`).exec(section)![0];
      expect(chart.match(/class="fault-band"/g), id).toHaveLength(1);
      expect(chart).toContain('1050–1950 ms: SIGSTOP n1 (leader n1) for 900 ms');
      expect(chart).toContain('heal at 2200 ms');
    }
    const latency = /<svg id="latency-chart"[^]*?<\/svg>/.exec(section)![0];
    expect(latency).toContain('0 s–1 s: 4 answered, p50 2 ms, p99 100 ms, max 100 ms');
    expect(latency).toContain('2 s–3 s: 2 answered, p50 10 ms, p99 30 ms, max 30 ms');
    // The empty second breaks both lines: two single points each, drawn as dots.
    expect(latency.match(/<circle /g)).toHaveLength(4);
    expect(/<table id="throughput-table">[^]*?<tbody>([^]*?)<\/tbody>/.exec(section)![1]!.split('<tr>').length - 1).toBe(3);
    expect(page).toContain('logs/n1.log, logs/n2.log, logs/n3.log');
  });

  it('faults.json puts the planned faults on the test clock, like the real ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'raftsim-jepsen-out-test-'));
    try {
      writeOutputs(syntheticResult(), dir);
      const faults = JSON.parse(readFileSync(join(dir, 'faults.json'), 'utf8')) as Record<string, unknown>;
      expect(faults.timeUnit).toMatch(/^ms since the test started, for every time in this file/);
      expect(faults.faultsPhaseStart).toBe(50);
      expect(faults.planned).toEqual([{ start: 1050, kind: 'pause', durationMs: 900, target: 'leader' }]);
      expect(faults.faults).toEqual([PAUSE]);
      expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<svg id="latency-chart"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
