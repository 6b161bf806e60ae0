/**
 * What a run says about speed and about unknown outcomes: latency of the completed operations
 * (p50, p99 and max; overall and per operation kind), completions per second over the run, and
 * the share of operations whose outcome is unknown. Times are the test clock's ms since the run
 * started, the base of faults.json, the node logs and the console.
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
  /** Completed operations per second over the span from the first call to the last return. */
  readonly meanPerSecond: number;
}

export const BUCKET_MS = 1_000;

export function measurePerformance(history: readonly JepsenOperation[], bucketMs = BUCKET_MS): Performance {
  const completed = history.filter((op) => op.return !== null && op.output !== null);
  const unknown = history.filter((op) => op.output === null).length;
  const byKind = new Map<string, number[]>();
  for (const op of completed) {
    const list = byKind.get(op.input.f) ?? [];
    list.push(op.return! - op.call);
    byKind.set(op.input.f, list);
  }
  const latencyByKind: Record<string, LatencySummary> = {};
  for (const [kind, list] of [...byKind].sort(([a], [b]) => a.localeCompare(b))) latencyByKind[kind] = summarize(list);
  const lastReturn = Math.max(0, ...completed.map((op) => op.return!));
  const buckets = new Array<number>(Math.floor(lastReturn / bucketMs) + 1).fill(0);
  for (const op of completed) buckets[Math.floor(op.return! / bucketMs)]!++;
  const firstCall = Math.min(...history.map((op) => op.call));
  const span = completed.length === 0 ? 0 : lastReturn - firstCall;
  return {
    operations: history.length,
    unknown,
    unknownShare: history.length === 0 ? 0 : unknown / history.length,
    latency: completed.length === 0 ? null : summarize(completed.map((op) => op.return! - op.call)),
    latencyByKind,
    bucketMs,
    completedPerBucket: completed.length === 0 ? [] : buckets,
    meanPerSecond: span <= 0 ? 0 : (completed.length * 1000) / span,
  };
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
