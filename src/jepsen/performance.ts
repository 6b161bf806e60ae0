/**
 * What a run says about speed and about unknown outcomes: latency of the completed (answered)
 * operations (p50, p99 and max; overall and per operation kind), completions per second overall
 * and per kind, the same per time bucket (so that a fault's effect shows), and the share of
 * operations whose outcome is unknown. Times are the test clock's ms since the run started, the
 * base of faults.json, the node logs and the console.
 */
import type { JepsenOperation } from './types.js';

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface Performance {
  readonly operations: number;
  readonly unknown: number;
  /** unknown / operations (0 when there are none). */
  readonly unknownShare: number;
  /** null: no operation completed. */
  readonly latency: LatencySummary | null;
  readonly latencyByKind: Readonly<Record<string, LatencySummary>>;
  readonly bucketMs: number;
  /** Completed operations per bucket, by return time; bucket i covers [i, i + 1) × bucketMs. */
  readonly completedPerBucket: readonly number[];
  /** Latency of the operations completed in each bucket (null: none completed in it). */
  readonly latencyPerBucket: readonly (LatencySummary | null)[];
  /** Completed operations per second over the span from the first call to the last return. */
  readonly meanPerSecond: number;
  /** The same, per operation kind (same span, so the kinds add up to meanPerSecond). */
  readonly perSecondByKind: Readonly<Record<string, number>>;
}

export const BUCKET_MS = 1_000;
/** A long run gets wider buckets, so that its chart and table stay this small. */
export const MAX_BUCKETS = 600;

/** 1 s buckets, or whole seconds wide enough for at most MAX_BUCKETS up to `endMs`. */
export function chooseBucketMs(endMs: number): number {
  return Math.max(1, Math.ceil(endMs / (MAX_BUCKETS * BUCKET_MS))) * BUCKET_MS;
}

/** `bucketMs` defaults to chooseBucketMs of the last answer. */
export function measurePerformance(history: readonly JepsenOperation[], bucketMsGiven?: number): Performance {
  const completed = history.filter((op) => op.return !== null && op.output !== null);
  const unknown = history.filter((op) => op.output === null).length;
  const latencyOf = (op: JepsenOperation): number => op.return! - op.call;
  const byKind = groupBy(completed, (op) => op.input.f);
  const kinds = [...byKind.keys()].sort((a, b) => a.localeCompare(b));
  // reduce, not Math.max(...): a long run's history is too big to spread into arguments.
  const lastReturn = completed.reduce((max, op) => Math.max(max, op.return!), 0);
  const firstCall = history.reduce((min, op) => Math.min(min, op.call), Infinity);
  const bucketMs = bucketMsGiven ?? chooseBucketMs(lastReturn + 1);
  const span = completed.length === 0 ? 0 : lastReturn - firstCall;
  const perSecond = (count: number): number => (span <= 0 ? 0 : (count * 1000) / span);
  const bucketCount = completed.length === 0 ? 0 : Math.floor(lastReturn / bucketMs) + 1;
  const byBucket = groupBy(completed, (op) => Math.floor(op.return! / bucketMs));
  const inBucket = (i: number): JepsenOperation[] => byBucket.get(i) ?? [];
  return {
    operations: history.length,
    unknown,
    unknownShare: history.length === 0 ? 0 : unknown / history.length,
    latency: completed.length === 0 ? null : summarize(completed.map(latencyOf)),
    latencyByKind: Object.fromEntries(kinds.map((kind) => [kind, summarize(byKind.get(kind)!.map(latencyOf))])),
    bucketMs,
    completedPerBucket: Array.from({ length: bucketCount }, (_, i) => inBucket(i).length),
    latencyPerBucket: Array.from({ length: bucketCount }, (_, i) => (inBucket(i).length === 0 ? null : summarize(inBucket(i).map(latencyOf)))),
    meanPerSecond: perSecond(completed.length),
    perSecondByKind: Object.fromEntries(kinds.map((kind) => [kind, perSecond(byKind.get(kind)!.length)])),
  };
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  return groups;
}

/** Nearest-rank percentiles: every figure is a latency some operation really had. */
export function summarize(latencies: readonly number[]): LatencySummary {
  if (latencies.length === 0) throw new Error('no latencies to summarize');
  const sorted = [...latencies].sort((a, b) => a - b);
  const rank = (q: number): number => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
  return { count: sorted.length, p50: rank(0.5), p99: rank(0.99), max: sorted[sorted.length - 1]! };
}

/** "1.23%" with enough digits to tell a small share from none. */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(share > 0 && share < 0.001 ? 3 : 2)}%`;
}

export function formatLatency(latency: LatencySummary | null): string {
  return latency === null ? 'none completed' : `p50 ${latency.p50} ms, p99 ${latency.p99} ms, max ${latency.max} ms`;
}

/**
 * The console's table of the whole run: one row for all answered operations and one per kind,
 * with answers per second and latency p50/p99/max in ms.
 */
export function formatPerformanceTable(perf: Performance): string[] {
  if (perf.latency === null) return ['no operation was answered: no latency or throughput to show'];
  const rows: string[][] = [['operation', 'answered', 'ok/s', 'p50 ms', 'p99 ms', 'max ms']];
  const row = (label: string, l: LatencySummary, perSecond: number): string[] =>
    [label, String(l.count), perSecond.toFixed(1), String(l.p50), String(l.p99), String(l.max)];
  rows.push(row('all', perf.latency, perf.meanPerSecond));
  for (const [kind, l] of Object.entries(perf.latencyByKind)) rows.push(row(kind, l, perf.perSecondByKind[kind] ?? 0));
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
}
