/**
 * `npm run bench:cluster`: writes per second and latency of a real 3-node raftsim cluster
 * (`raftsim serve` processes on loopback, fsync on) beside a 3-member etcd cluster (Debian's
 * etcd-server, through its HTTP gateway, authentication on as ours is), under the same load: 1 and
 * 32 closed-loop clients doing puts of small values to a few thousand keys through the leader's
 * HTTP API (one load generator for both: clusterLoad.ts).
 *
 * Both clusters run for the whole bench and their windows alternate (ours, etcd, ours, etcd, …)
 * for BENCH_ROUNDS rounds, so that a machine whose speed drifts (other work, the disk's mood)
 * weighs on both alike; the table gives each system's median over the rounds, the ratio of the
 * medians and every round's own ratio. Where our time goes comes from the leader's /metrics (fsync
 * and commit latency histograms) over each window; tick lateness (how late each Raft tick fired
 * after it was due: the event loop held by other work) from every node's histogram.
 *
 * Then reads (clusterReads.ts): ReadIndex and lease reads beside etcd's linearizable and
 * serializable ranges.
 *
 * BENCH_SECONDS (default 10) sets each measured window, BENCH_ROUNDS (default 3) the rounds,
 * BENCH_READS=0 skips the reads.
 * Exit 1 only if our own cluster fails.
 */
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findLeader } from '../src/jepsen/nodeApi.js';
import { freePortRange } from '../src/jepsen/ports.js';
import { generateClusterSecret, SECRET_ENV } from '../src/runtime/clusterSecret.js';
import { NodeProcesses } from '../src/jepsen/processes.js';
import { EtcdCluster, etcdVersion } from './etcd/etcdCluster.js';
import { bucketQuantile, describeTime, fmt, load, minus, plus, scrape, SECONDS, WARMUP_MS } from './clusterLoad.js';
import type { Histogram, LoadResult, Target } from './clusterLoad.js';
import { measureReads, printReads, serializable, type ReadFigures } from './clusterReads.js';

const CONCURRENCY = [1, 32] as const;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** BENCH_READS=0 skips the reads (raftsim ReadIndex and lease, etcd linearizable and serializable). */
const MEASURE_READS = process.env.BENCH_READS !== '0';
if (!(Number.isInteger(ROUNDS) && ROUNDS >= 1)) throw new Error(`BENCH_ROUNDS must be a positive integer, got ${process.env.BENCH_ROUNDS}`);

// ---- the two systems ----

async function withOurs<T>(run: (target: Target) => Promise<T>, extraArgs: readonly string[] = []): Promise<T> {
  const basePort = await freePortRange(3);
  const dir = mkdtempSync(join(tmpdir(), 'raftsim-bench-cluster-'));
  const main = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
  process.env[SECRET_ENV] ??= generateClusterSecret(); // the nodes inherit it
  const procs = new NodeProcesses({ serveCommand: [main, 'serve'], nodes: 3, basePort, dataDir: join(dir, 'data'), logDir: join(dir, 'logs'), extraArgs: [...extraArgs] });
  try {
    procs.startAll();
    let leader: string | null = null;
    for (let i = 0; i < 100 && leader === null; i++) {
      leader = await findLeader(procs.nodes);
      if (leader === null) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (leader === null) throw new Error('our cluster elected no leader within 20 s');
    const address = procs.node(leader).address;
    const mode = extraArgs.includes('lease') ? 'lease' : 'read-index';
    return await run({
      name: mode === 'lease' ? 'raftsim lease' : 'raftsim', url: new URL(`http://${address.host}:${address.port}`),
      get: (client, seq, key) => ({ method: 'GET', path: `/kv/${key}`, body: '', headers: { 'X-Client-Id': String(client), 'X-Seq': String(seq) } }),
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
      // Linearizable by default (a ReadIndex round, as ours); readsTarget() below makes the serializable one.
      get: (_client, _seq, key) => ({ path: '/v3/kv/range', body: JSON.stringify({ key: b64(key) }), headers: { 'Content-Type': 'application/json' } }),
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

/** One window of `clients` on `target`, with the histograms' deltas over it (warm-up included). */
async function measureOne(target: Target, clients: number, round: number): Promise<Measured> {
  const fsync0 = await scrape(target.url, target.metrics.fsync);
  const commit0 = await scrape(target.url, target.metrics.commit);
  const nodes = target.nodes ?? [];
  const ticks0 = await Promise.all(nodes.map((u) => scrape(u, TICK_LATENESS)));
  // Client ids differ per window, so raftsim's sessions never see an old client's sequence restart.
  const result = await load(target, clients, 100_000 * round + 1_000 * clients + 1);
  const fsync = minus(await scrape(target.url, target.metrics.fsync), fsync0);
  const commit = minus(await scrape(target.url, target.metrics.commit), commit0);
  const ticks = await Promise.all(nodes.map(async (u, i) => minus(await scrape(u, TICK_LATENESS), ticks0[i]!)));
  const tickMaxMs = await Promise.all(nodes.map((u) => scrapeGauge(u, 'raftsim_tick_lateness_max_seconds')));
  process.stderr.write(`  round ${round + 1}/${ROUNDS}  ${target.name} ${clients} client${clients === 1 ? '' : 's'}: ${fmt(result.writesPerSecond)} writes/s\n`);
  return { clients, result, fsync, commit, ticks, tickMaxMs };
}

/** Every round's windows, ours and etcd's alternating; etcd's list stays empty without etcd. */
async function measureRounds(ours: Target, etcd: Target | null): Promise<{ ours: Measured[]; theirs: Measured[] }> {
  const mine: Measured[] = [];
  const theirs: Measured[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const clients of CONCURRENCY) {
      mine.push(await measureOne(ours, clients, round));
      if (etcd) theirs.push(await measureOne(etcd, clients, round));
    }
  }
  return { ours: mine, theirs };
}

// ---- the table ----

function median(values: readonly number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
}

/** One system's windows at one concurrency, folded: medians of the figures, sums of the histograms. */
interface Folded {
  readonly writesPerSecond: number; readonly p50: number; readonly p99: number; readonly mean: number; readonly writes: number;
  readonly errors: number; readonly firstError: string | null;
  readonly fsync: Histogram | null; readonly commit: Histogram | null;
  readonly ticks: readonly (Histogram | null)[]; readonly tickMaxMs: readonly number[];
  readonly perRound: readonly number[];
}

function fold(windows: readonly Measured[]): Folded {
  const results = windows.map((w) => w.result);
  const nodes = Math.max(0, ...windows.map((w) => w.ticks.length));
  return {
    writesPerSecond: median(results.map((r) => r.writesPerSecond)), p50: median(results.map((r) => r.p50)),
    p99: median(results.map((r) => r.p99)), mean: median(results.map((r) => r.mean)),
    writes: results.reduce((s, r) => s + r.writes, 0), errors: results.reduce((s, r) => s + r.errors, 0),
    firstError: results.find((r) => r.firstError !== null)?.firstError ?? null,
    fsync: windows.reduce<Histogram | null>((h, w) => plus(h, w.fsync), null),
    commit: windows.reduce<Histogram | null>((h, w) => plus(h, w.commit), null),
    ticks: Array.from({ length: nodes }, (_, i) => windows.reduce<Histogram | null>((h, w) => plus(h, w.ticks[i] ?? null), null)),
    tickMaxMs: Array.from({ length: nodes }, (_, i) => Math.max(...windows.map((w) => w.tickMaxMs[i] ?? NaN))),
    perRound: results.map((r) => r.writesPerSecond),
  };
}

const version = etcdVersion();
console.log(`bench:cluster  3 nodes on loopback, fsync on; closed-loop puts of 16-byte values through the leader's HTTP API; ` +
  `${ROUNDS} round${ROUNDS === 1 ? '' : 's'} of ${SECONDS} s windows (after ${WARMUP_MS / 1000} s warm-up each), raftsim's and etcd's alternating; ` +
  `${availableParallelism()} CPUs shared by the nodes and the load generator, load average ${loadavg()[0]!.toFixed(1)}`);
if (version === null) {
  console.log('etcd is not installed: apt-get install -y etcd-server   (then rerun npm run bench:cluster for the comparison); measuring raftsim only');
}

let measured: { ours: Measured[]; theirs: Measured[] } = { ours: [], theirs: [] };
let reads: ReadFigures[] = [];
/** The writes' rounds, then the reads' (with a second cluster of ours, in lease mode), while the clusters are up. */
async function writesThenReads(ours: Target, etcd: Target | null): Promise<{ ours: Measured[]; theirs: Measured[] }> {
  const writes = await measureRounds(ours, etcd);
  if (MEASURE_READS) {
    reads = await withOurs((lease) => measureReads(etcd ? [ours, lease, etcd, serializable(etcd)] : [ours, lease], ROUNDS), ['--read-mode', 'lease']);
  }
  return writes;
}
try {
  measured = await withOurs(async (ours) => {
    if (version === null) return writesThenReads(ours, null);
    let etcdUp = false;
    try {
      return await withEtcd((etcd) => {
        etcdUp = true;
        return writesThenReads(ours, etcd);
      });
    } catch (error) {
      if (etcdUp) throw error;
      console.log(`etcd: ${(error as Error).message}; showing raftsim only`);
      return writesThenReads(ours, null);
    }
  });
} catch (error) {
  console.error(`bench:cluster: ${(error as Error).message}`);
  process.exitCode = 1;
}

const ours = CONCURRENCY.map((c) => ({ clients: c, ...fold(measured.ours.filter((m) => m.clients === c)) })).filter((f) => f.perRound.length > 0);
const theirs = measured.theirs.length === 0 ? null
  : CONCURRENCY.map((c) => ({ clients: c, ...fold(measured.theirs.filter((m) => m.clients === c)) }));

const widths = [8, 10, 8, 8, 10, 8, 8, 10, 8, 8];
console.log('');
console.log(`medians over ${ROUNDS} round${ROUNDS === 1 ? '' : 's'}:`);
// Group names over their three columns.
const group = (name: string, from: number): string => name.padStart(widths.slice(from, from + 3).reduce((s, w) => s + w + 2, -2));
console.log([''.padEnd(widths[0]!), group('raftsim', 1), ...(theirs ? [group('etcd', 4), group('raftsim / etcd', 7)] : [])].join('  '));
console.log(row(['clients', 'writes/s', 'p50 ms', 'p99 ms', ...(theirs ? ['writes/s', 'p50 ms', 'p99 ms', 'writes/s', 'p50', 'p99'] : [])], widths));
const ratio = (a: number, b: number | undefined): string => (b === undefined || !(b > 0) ? '-' : `${(a / b).toFixed(2)}x`);
for (const m of ours) {
  const e = theirs?.find((t) => t.clients === m.clients);
  console.log(row([String(m.clients), fmt(m.writesPerSecond), fmt(m.p50), fmt(m.p99),
    ...(e ? [fmt(e.writesPerSecond), fmt(e.p50), fmt(e.p99), ratio(m.writesPerSecond, e.writesPerSecond), ratio(m.p50, e.p50), ratio(m.p99, e.p99)] : [])], widths));
}
if (theirs) {
  for (const m of ours) {
    const e = theirs.find((t) => t.clients === m.clients)!;
    const each = m.perRound.map((w, i) => ratio(w, e.perRound[i]));
    console.log(`  ${String(m.clients).padStart(2)} client${m.clients === 1 ? ' ' : 's'}: writes/s ratio per round ${each.join(', ')}`);
  }
}
console.log('');
console.log('where the time goes (leader /metrics, summed over the rounds\' windows including their warm-up):');
for (const [name, runs, commitLabel] of [['raftsim', ours, 'commit (propose → apply)'], ['etcd', theirs ?? [], 'backend commit']] as const) {
  for (const m of runs) {
    const writes = m.writes * (1 + WARMUP_MS / (SECONDS * 1000));
    console.log(`  ${name.padEnd(7)} ${String(m.clients).padStart(2)} client${m.clients === 1 ? ' ' : 's'}  end to end mean ${fmt(m.mean)} ms; ${describeTime('fsync', m.fsync, writes)}; ${describeTime(commitLabel, m.commit, writes)}`);
  }
}
console.log('');
console.log('tick lateness (how late Raft ticks fired after they were due; per node, over the windows including their warm-up; max since the node started):');
for (const m of ours) {
  const perNode = m.ticks.map((h, i) => h === null || h.count <= 0 ? `n${i + 1} not reported`
    : `n${i + 1} ${h.count} ticks, p50 ${bucketQuantile(h, 0.5)}, p99 ${bucketQuantile(h, 0.99)}, max ${fmt(m.tickMaxMs[i]!)} ms`);
  console.log(`  raftsim ${String(m.clients).padStart(2)} client${m.clients === 1 ? ' ' : 's'}  ${perNode.join('; ')}`);
}
for (const [name, runs] of [['raftsim', ours], ['etcd', theirs ?? []]] as const) {
  for (const m of runs) {
    if (m.errors > 0) {
      console.log(`${name} ${m.clients} clients: ${m.errors} failed puts (first: ${m.firstError})`);
      if (name === 'raftsim') process.exitCode = 1;
    }
  }
}
if (reads.length > 0) printReads(reads);
