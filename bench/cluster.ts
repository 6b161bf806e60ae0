/**
 * `npm run bench:cluster`: writes per second and latency of a real 3-node raftsim cluster
 * (`raftsim serve` processes on loopback, fsync on), with 1 and with 32 closed-loop clients doing
 * puts of small values to a few thousand keys through the leader's HTTP API; then the same load on
 * a 3-member etcd cluster (Debian's etcd-server) through its HTTP gateway, and the ratio. One load
 * generator for both (node:http, keep-alive agents). Where our time goes comes from the leader's
 * /metrics (fsync and commit latency histograms), taken before and after each measured window.
 * Tick lateness (how late each Raft tick fired after it was due: the event loop held by other
 * work) comes from every node's raftsim_tick_lateness_seconds histogram over the same window.
 *
 * BENCH_SECONDS (default 10) sets each measured window. Exit 1 only if our own cluster fails.
 */
import http from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findLeader } from '../src/jepsen/nodeApi.js';
import { freePortRange } from '../src/jepsen/ports.js';
import { generateClusterSecret, SECRET_ENV } from '../src/runtime/clusterSecret.js';
import { NodeProcesses } from '../src/jepsen/processes.js';
import { EtcdCluster, etcdVersion } from './etcd/etcdCluster.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_MS = 1_000;
const KEYS = 4096;
const CONCURRENCY = [1, 32] as const;
const REQUEST_TIMEOUT_MS = 10_000;

interface PutRequest { readonly path: string; readonly headers: Record<string, string>; readonly body: string }

/** One system under test: where to send puts and how to shape them. */
interface Target {
  readonly name: string;
  readonly url: URL;
  put(client: number, seq: number, key: string, value: string): PutRequest;
  /** Fsync (and commit) figures from the leader's /metrics, for "where the time goes". */
  readonly metrics: { readonly fsync: string; readonly commit: string };
  /** Every node's base URL (for tick lateness), raftsim only. */
  readonly nodes?: readonly URL[];
}

interface LoadResult {
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
      host: url.hostname, port: url.port, method: request.path.startsWith('/v3/') ? 'POST' : 'PUT', path: request.path, agent,
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
async function load(target: Target, clients: number, clientBase: number): Promise<LoadResult> {
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
      const status = await send(agent, target.url, target.put(clientId, seq, key, value));
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

interface Histogram { readonly buckets: Map<string, number>; readonly sum: number; readonly count: number }

async function scrape(url: URL, name: string): Promise<Histogram | null> {
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

function minus(after: Histogram | null, before: Histogram | null): Histogram | null {
  if (after === null) return null;
  const buckets = new Map([...after.buckets].map(([le, n]) => [le, n - (before?.buckets.get(le) ?? 0)]));
  return { buckets, sum: after.sum - (before?.sum ?? 0), count: after.count - (before?.count ?? 0) };
}

/** The upper bound of the bucket holding quantile q, in ms ("≤ X ms"). */
function bucketQuantile(h: Histogram, q: number): string {
  const sorted = [...h.buckets].map(([le, n]) => [le === '+Inf' ? Infinity : Number(le), n] as const).sort((a, b) => a[0] - b[0]);
  for (const [le, n] of sorted) if (n >= q * h.count) return le === Infinity ? '> last bucket' : `≤ ${fmt(le * 1000)} ms`;
  return '?';
}

function describeTime(label: string, h: Histogram | null, writes: number): string {
  if (h === null || h.count <= 0) return `${label}: not reported`;
  const mean = (h.sum / h.count) * 1000;
  return `${label} ${h.count} × mean ${fmt(mean)} ms (p50 ${bucketQuantile(h, 0.5)}, p99 ${bucketQuantile(h, 0.99)}; ${fmt(h.count / Math.max(1, writes))} per write)`;
}

// ---- the two systems ----

async function withOurs<T>(run: (target: Target) => Promise<T>): Promise<T> {
  const basePort = await freePortRange(3);
  const dir = mkdtempSync(join(tmpdir(), 'raftsim-bench-cluster-'));
  const main = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
  process.env[SECRET_ENV] ??= generateClusterSecret(); // the nodes inherit it
  const procs = new NodeProcesses({ serveCommand: [main, 'serve'], nodes: 3, basePort, dataDir: join(dir, 'data'), logDir: join(dir, 'logs'), extraArgs: [] });
  try {
    procs.startAll();
    let leader: string | null = null;
    for (let i = 0; i < 100 && leader === null; i++) {
      leader = await findLeader(procs.nodes);
      if (leader === null) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (leader === null) throw new Error('our cluster elected no leader within 20 s');
    const address = procs.node(leader).address;
    return await run({
      name: 'raftsim', url: new URL(`http://${address.host}:${address.port}`),
      put: (client, seq, key, value) => ({
        path: `/kv/${key}`, body: JSON.stringify({ value }),
        headers: { 'Content-Type': 'application/json', 'X-Client-Id': String(client), 'X-Seq': String(seq) },
      }),
      metrics: { fsync: 'storage_fsync_seconds', commit: 'kv_commit_latency_seconds' },
      nodes: procs.nodes.map((n) => new URL(`http://${n.address.host}:${n.address.port}`)),
    });
  } finally {
    await procs.stopAll();
    if (procs.unexpectedExits.length > 0) console.error(`bench:cluster: a raftsim node exited by itself: ${JSON.stringify(procs.unexpectedExits)} (logs in ${dir}/logs)`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

async function withEtcd<T>(run: (target: Target) => Promise<T>): Promise<T> {
  const cluster = new EtcdCluster(await freePortRange(6));
  try {
    cluster.start();
    const leader = await cluster.leaderUrl();
    if (leader === null) throw new Error(`etcd elected no leader within 20 s (logs in ${cluster.dir})`);
    const b64 = (text: string): string => Buffer.from(text).toString('base64');
    return await run({
      name: 'etcd', url: new URL(leader),
      put: (_client, _seq, key, value) => ({ path: '/v3/kv/put', body: JSON.stringify({ key: b64(key), value: b64(value) }), headers: { 'Content-Type': 'application/json' } }),
      metrics: { fsync: 'etcd_disk_wal_fsync_duration_seconds', commit: 'etcd_disk_backend_commit_duration_seconds' },
    });
  } finally {
    await cluster.stop();
  }
}

interface Measured {
  readonly clients: number; readonly result: LoadResult; readonly fsync: Histogram | null; readonly commit: Histogram | null;
  /** Tick lateness over the run, per node (raftsim only). */
  readonly ticks: readonly (Histogram | null)[];
  /** The latest tick of each node since it started (raftsim only), in ms. */
  readonly tickMaxMs: readonly number[];
}

const TICK_LATENESS = 'raftsim_tick_lateness_seconds';

async function scrapeGauge(url: URL, name: string): Promise<number> {
  try {
    const text = await (await fetch(new URL('/metrics', url), { signal: AbortSignal.timeout(5_000) })).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return line === undefined ? NaN : Number(line.split(' ').pop()) * 1000;
  } catch {
    return NaN;
  }
}

async function measureAll(target: Target): Promise<Measured[]> {
  const out: Measured[] = [];
  for (const clients of CONCURRENCY) {
    // Histograms over the whole run (warm-up included); the load's own figures are window-only.
    const fsync0 = await scrape(target.url, target.metrics.fsync);
    const commit0 = await scrape(target.url, target.metrics.commit);
    const nodes = target.nodes ?? [];
    const ticks0 = await Promise.all(nodes.map((u) => scrape(u, TICK_LATENESS)));
    const result = await load(target, clients, 1_000 * clients + 1);
    const fsync = minus(await scrape(target.url, target.metrics.fsync), fsync0);
    const commit = minus(await scrape(target.url, target.metrics.commit), commit0);
    const ticks = await Promise.all(nodes.map(async (u, i) => minus(await scrape(u, TICK_LATENESS), ticks0[i]!)));
    const tickMaxMs = await Promise.all(nodes.map((u) => scrapeGauge(u, 'raftsim_tick_lateness_max_seconds')));
    process.stderr.write(`  ${target.name} ${clients} client${clients === 1 ? '' : 's'}: ${fmt(result.writesPerSecond)} writes/s\n`);
    out.push({ clients, result, fsync, commit, ticks, tickMaxMs });
  }
  return out;
}

// ---- the table ----

function fmt(x: number): string {
  if (!Number.isFinite(x)) return '-';
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
}

const version = etcdVersion();
console.log(`bench:cluster  3 nodes on loopback, fsync on; closed-loop puts of 16-byte values to ${KEYS} keys through the leader's HTTP API; ` +
  `${SECONDS} s per run after ${WARMUP_MS / 1000} s warm-up; ${availableParallelism()} CPUs shared by the nodes and the load generator, load average ${loadavg()[0]!.toFixed(1)}`);
if (version === null) {
  console.log('etcd is not installed: apt-get install -y etcd-server   (then rerun npm run bench:cluster for the comparison); measuring raftsim only');
}

let ours: Measured[] = [];
try {
  ours = await withOurs(measureAll);
} catch (error) {
  console.error(`bench:cluster: raftsim: ${(error as Error).message}`);
  process.exitCode = 1;
}
let theirs: Measured[] | null = null;
if (version !== null) {
  try {
    theirs = await withEtcd(measureAll);
  } catch (error) {
    console.log(`etcd: ${(error as Error).message}; showing raftsim only`);
  }
}

const widths = [8, 10, 8, 8, 10, 8, 8, 10, 8, 8];
console.log('');
// Group names over their three columns.
const group = (name: string, from: number): string => name.padStart(widths.slice(from, from + 3).reduce((s, w) => s + w + 2, -2));
console.log([''.padEnd(widths[0]!), group('raftsim', 1), ...(theirs ? [group('etcd', 4), group('raftsim / etcd', 7)] : [])].join('  '));
console.log(row(['clients', 'writes/s', 'p50 ms', 'p99 ms', ...(theirs ? ['writes/s', 'p50 ms', 'p99 ms', 'writes/s', 'p50', 'p99'] : [])], widths));
for (const m of ours) {
  const e = theirs?.find((t) => t.clients === m.clients)?.result;
  const r = m.result;
  const ratio = (a: number, b: number | undefined): string => (b === undefined || !(b > 0) ? '-' : `${(a / b).toFixed(2)}x`);
  console.log(row([String(m.clients), fmt(r.writesPerSecond), fmt(r.p50), fmt(r.p99),
    ...(e ? [fmt(e.writesPerSecond), fmt(e.p50), fmt(e.p99), ratio(r.writesPerSecond, e.writesPerSecond), ratio(r.p50, e.p50), ratio(r.p99, e.p99)] : [])], widths));
}
console.log('');
console.log('where the time goes (leader /metrics, over each run including its warm-up):');
for (const [name, runs, commitLabel] of [['raftsim', ours, 'commit (propose → apply)'], ['etcd', theirs ?? [], 'backend commit']] as const) {
  for (const m of runs) {
    const writes = m.result.writes * (1 + WARMUP_MS / (SECONDS * 1000));
    console.log(`  ${name.padEnd(7)} ${String(m.clients).padStart(2)} client${m.clients === 1 ? ' ' : 's'}  end to end mean ${fmt(m.result.mean)} ms; ${describeTime('fsync', m.fsync, writes)}; ${describeTime(commitLabel, m.commit, writes)}`);
  }
}
console.log('');
console.log('tick lateness (how late Raft ticks fired after they were due; per node, over each run including its warm-up; max since the node started):');
for (const m of ours) {
  const perNode = m.ticks.map((h, i) => h === null || h.count <= 0 ? `n${i + 1} not reported`
    : `n${i + 1} ${h.count} ticks, p50 ${bucketQuantile(h, 0.5)}, p99 ${bucketQuantile(h, 0.99)}, max ${fmt(m.tickMaxMs[i]!)} ms`);
  console.log(`  raftsim ${String(m.clients).padStart(2)} client${m.clients === 1 ? ' ' : 's'}  ${perNode.join('; ')}`);
}
for (const [name, runs] of [['raftsim', ours], ['etcd', theirs ?? []]] as const) {
  for (const m of runs) {
    if (m.result.errors > 0) {
      console.log(`${name} ${m.clients} clients: ${m.result.errors} failed puts (first: ${m.result.firstError})`);
      if (name === 'raftsim') process.exitCode = 1;
    }
  }
}
