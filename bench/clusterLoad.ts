/**
 * bench:cluster's load generator (the same for raftsim and etcd: node:http, keep-alive agents,
 * closed loops) and its reading of /metrics histograms.
 */
import http from 'node:http';

export const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
export const WARMUP_MS = 1_000;
const KEYS = 4096;
const REQUEST_TIMEOUT_MS = 10_000;

export interface PutRequest { readonly method?: 'GET' | 'PUT' | 'POST'; readonly path: string; readonly headers: Record<string, string>; readonly body: string }

/** One system under test: where to send puts and how to shape them. */
export interface Target {
  readonly name: string;
  readonly url: URL;
  put(client: number, seq: number, key: string, value: string): PutRequest;
  /** A read of `key` as this system does it (raftsim: its read mode; etcd: linearizable or serializable). */
  get(client: number, seq: number, key: string): PutRequest;
  /** Fsync (and commit) figures from the leader's /metrics, for "where the time goes". */
  readonly metrics: { readonly fsync: string; readonly commit: string };
  /** Every node's base URL (for tick lateness), raftsim only. */
  readonly nodes?: readonly URL[];
}

export interface LoadResult {
  readonly writesPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly errors: number;
  readonly firstError: string | null;
  readonly writes: number;
}

// ---- the load generator (the same for both) ----

function send(agent: http.Agent, url: URL, request: PutRequest): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request({
      host: url.hostname, port: url.port, method: request.method ?? (request.path.startsWith('/v3/') ? 'POST' : 'PUT'), path: request.path, agent,
      headers: { ...request.headers, 'Content-Length': Buffer.byteLength(request.body) },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
    req.end(request.body);
  });
}

/** `clients` closed loops for warm-up + `SECONDS`; only the measured window counts. */
export async function load(target: Target, clients: number, clientBase: number, op: 'put' | 'get' = 'put'): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const start = performance.now();
  const measureFrom = start + WARMUP_MS;
  const end = measureFrom + SECONDS * 1000;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    const clientId = clientBase + c;
    for (let seq = 1; performance.now() < end; seq++) {
      const key = `bench-${(clientId * 7919 + seq * 104729) % KEYS}`;
      const value = `v${clientId}-${seq}`.padEnd(16, '.');
      const sent = performance.now();
      const status = await send(agent, target.url, op === 'put' ? target.put(clientId, seq, key, value) : target.get(clientId, seq, key));
      const took = performance.now() - sent;
      if (sent < measureFrom) continue;
      if (status === 200) latencies.push(took);
      else {
        errors++;
        firstError ??= status === 0 ? 'no answer (connection error or time-out)' : `HTTP ${status}`;
      }
    }
  }));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies.length === 0 ? NaN : latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  const mean = latencies.reduce((s, x) => s + x, 0) / Math.max(1, latencies.length);
  return { writesPerSecond: latencies.length / SECONDS, p50: at(0.5), p99: at(0.99), mean, errors, firstError, writes: latencies.length };
}

// ---- /metrics: histogram deltas over the measured window ----

export interface Histogram { readonly buckets: Map<string, number>; readonly sum: number; readonly count: number }

export async function scrape(url: URL, name: string): Promise<Histogram | null> {
  try {
    const text = await (await fetch(new URL('/metrics', url), { signal: AbortSignal.timeout(5_000) })).text();
    const buckets = new Map<string, number>();
    let sum = 0;
    let count = 0;
    for (const line of text.split('\n')) {
      if (!line.startsWith(name)) continue;
      const bucket = new RegExp(`^${name}_bucket\\{.*le="([^"]+)".*\\} ([0-9.e+-]+)$`).exec(line);
      if (bucket) buckets.set(bucket[1]!, (buckets.get(bucket[1]!) ?? 0) + Number(bucket[2]));
      else if (line.startsWith(`${name}_sum`)) sum += Number(line.split(' ').pop());
      else if (line.startsWith(`${name}_count`)) count += Number(line.split(' ').pop());
    }
    return count === 0 && buckets.size === 0 ? null : { buckets, sum, count };
  } catch {
    return null;
  }
}

export function minus(after: Histogram | null, before: Histogram | null): Histogram | null {
  if (after === null) return null;
  const buckets = new Map([...after.buckets].map(([le, n]) => [le, n - (before?.buckets.get(le) ?? 0)]));
  return { buckets, sum: after.sum - (before?.sum ?? 0), count: after.count - (before?.count ?? 0) };
}

/** The upper bound of the bucket holding quantile q, in ms ("≤ X ms"). */
export function bucketQuantile(h: Histogram, q: number): string {
  const sorted = [...h.buckets].map(([le, n]) => [le === '+Inf' ? Infinity : Number(le), n] as const).sort((a, b) => a[0] - b[0]);
  for (const [le, n] of sorted) if (n >= q * h.count) return le === Infinity ? '> last bucket' : `≤ ${fmt(le * 1000)} ms`;
  return '?';
}

export function describeTime(label: string, h: Histogram | null, writes: number): string {
  if (h === null || h.count <= 0) return `${label}: not reported`;
  const mean = (h.sum / h.count) * 1000;
  return `${label} ${h.count} × mean ${fmt(mean)} ms (p50 ${bucketQuantile(h, 0.5)}, p99 ${bucketQuantile(h, 0.99)}; ${fmt(h.count / Math.max(1, writes))} per write)`;
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return '-';
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/** The sum of two histograms (the same metric over two windows). */
export function plus(a: Histogram | null, b: Histogram | null): Histogram | null {
  if (a === null) return b;
  if (b === null) return a;
  const buckets = new Map(a.buckets);
  for (const [le, n] of b.buckets) buckets.set(le, (buckets.get(le) ?? 0) + n);
  return { buckets, sum: a.sum + b.sum, count: a.count + b.count };
}
