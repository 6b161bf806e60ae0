/**
 * `raftsim jepsen`: a Jepsen-style test of a REAL cluster of `raftsim serve` processes on loopback.
 * Concurrent HTTP clients record a history while a seeded nemesis SIGKILLs and restarts nodes
 * (the leader too, a majority, or all of them), pauses them (SIGSTOP/SIGCONT, some past the
 * client's deadline) and partitions them (the test-only admin endpoint), faults overlapping; then everything heals, every key is read once through the leader, and the history is
 * checked for linearizability and for lost acknowledged writes. Exit 0 ok, 1 not linearizable / a
 * lost write / a node died / no recovery, 3 unknown (the check ran out of time), 2 bad usage.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomInt } from 'node:crypto';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { summarizeFaults } from '../jepsen/faultSummary.js';
import { writeHistory, writeOutputs } from '../jepsen/output.js';
import { formatLatency, formatPerformanceTable, formatShare, measurePerformance } from '../jepsen/performance.js';
import { generateClusterSecret, SECRET_ENV } from '../runtime/clusterSecret.js';
import { freePortRange } from '../jepsen/ports.js';
import { plural } from '../jepsen/report.js';
import { runJepsen, TIMING, type JepsenResult } from '../jepsen/run.js';
import { FAULT_KINDS, type FaultKind } from '../jepsen/types.js';
import { ExitCode, UsageError } from './errors.js';
import { checkTimeoutMs, integer } from './options.js';

interface JepsenArgs {
  nodes: number;
  clients: number;
  duration: string;
  faults: string;
  seed?: number;
  out?: string;
  json: boolean;
  'base-port'?: number;
  'check-timeout': string;
}

export const jepsenCommand: CommandModule<object, JepsenArgs> = {
  command: 'jepsen',
  describe: 'Jepsen-style test of a real local cluster: faults (kill, pause, partition, membership changes), a recorded history, linearizability',
  builder: (yargs: Argv) => yargs
    .option('nodes', { default: 3, coerce: integer('--nodes'), describe: 'Cluster size: 3 or 5' })
    .option('clients', { default: 5, coerce: integer('--clients', { min: 1, max: 64 }), describe: 'Concurrent HTTP clients (1 to 64)' })
    .option('duration', { type: 'string', default: '60s', describe: 'How long the fault plan lasts: 60s, 2m, 500ms (a bare number is seconds); slow restarts shift it later, not shorter' })
    .option('faults', { type: 'string', default: FAULT_KINDS.join(','), describe: `Fault kinds, comma-separated: ${FAULT_KINDS.join(', ')} (or none)` })
    .option('seed', { coerce: integer('--seed', { min: 0 }), describe: 'Seed of the fault schedule and the operations (default: random, printed)' })
    .option('out', { type: 'string', describe: 'Folder for history.json, faults.json, report.html and node logs (default: a new temp folder)' })
    .option('json', { type: 'boolean', default: false, describe: 'Print one JSON object at the end instead of progress lines' })
    .option('base-port', { coerce: integer('--base-port', { min: 1, max: 65535 }), describe: 'Node k listens on 127.0.0.1:(base-port + k - 1) (default: free ports)' })
    .option('check-timeout', { type: 'string', default: '60', describe: 'Seconds the linearizability check may take, past which the verdict is unknown; none: no limit' })
    .example('$0 jepsen --duration 30s --seed 7', '3 nodes, 5 clients, every fault kind for 30 s')
    .example('$0 jepsen --nodes 5 --faults partition,kill --out ./jepsen-run', 'five nodes, no pauses, results kept in ./jepsen-run') as unknown as Argv<JepsenArgs>,
  handler: async (args: ArgumentsCamelCase<JepsenArgs>) => {
    const nodes = args.nodes;
    if (nodes !== 3 && nodes !== 5) throw new UsageError(`--nodes: must be 3 or 5, got ${nodes}`);
    const clients = args.clients;
    if (!Number.isInteger(clients) || clients < 1 || clients > 64) throw new UsageError(`--clients must be 1 to 64, got ${clients}`);
    const durationMs = parseDuration(args.duration);
    const faults = parseFaults(args.faults);
    const seed = args.seed ?? randomInt(0, 2 ** 31);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, got ${seed}`);
    const checkTimeout = checkTimeoutMs(args['check-timeout']);
    const given = args['base-port'];
    if (given !== undefined && (!Number.isInteger(given) || given < 1 || given + nodes - 1 > 65535)) {
      throw new UsageError(`--base-port: must leave room for ${nodes} ports below 65536, got ${given}`);
    }
    const script = process.argv[1];
    if (script === undefined) throw new UsageError('cannot tell which script to run the nodes with');
    const out = resolve(args.out ?? mkdtempSync(join(tmpdir(), 'raftsim-jepsen-out-')));
    const basePort = given ?? await freePortRange(nodes);
    const say = (line: string): void => { if (!args.json) process.stdout.write(`${line}\n`); };
    say(`seed ${seed} · jepsen · ${nodes} nodes on 127.0.0.1:${basePort}-${basePort + nodes - 1}, ${clients} clients, faults ${faults.join(',') || 'none'} for ${durationMs / 1000} s`);
    say(`output in ${out}`);
    // Ctrl-C: the exit hook of the node processes kills every node, paused or not.
    const interrupt = (): void => { process.stderr.write('raftsim: interrupted; every node killed\n'); process.exit(ExitCode.failure); };
    process.on('SIGINT', interrupt);
    process.on('SIGTERM', interrupt);
    // The nodes inherit our environment: give them a cluster secret of this run's own.
    process.env[SECRET_ENV] ??= generateClusterSecret();
    let result: JepsenResult;
    try {
      result = await runJepsen({
        nodes, clients, durationMs, faults, seed, basePort, serveCommand: [script, 'serve'], logDir: join(out, 'logs'),
        checkTimeoutMs: checkTimeout, log: say, onHistory: (history) => writeHistory(history, seed, out),
      });
    } finally {
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
    }
    writeOutputs(result, out);
    const code = result.verdict === 'ok' ? ExitCode.ok : result.verdict === 'unknown' ? ExitCode.unknown : ExitCode.failure;
    if (args.json) {
      process.stdout.write(`${JSON.stringify(summaryJson(result, out))}\n`);
    } else {
      printSummary(result, out);
    }
    process.exitCode = code;
  },
};

function summaryJson(result: JepsenResult, out: string): unknown {
  const perf = measurePerformance(result.history);
  return {
    seed: result.options.seed, verdict: result.verdict, ok: result.verdict === 'ok',
    check: result.check?.result ?? null,
    operations: result.history.length, answered: result.stats.ok, unknown: result.stats.unknown, notApplied: result.stats.notApplied,
    unknownShare: perf.unknownShare,
    latencyMs: perf.latency, latencyMsByKind: perf.latencyByKind,
    throughput: {
      meanPerSecond: round1(perf.meanPerSecond),
      perSecondByKind: Object.fromEntries(Object.entries(perf.perSecondByKind).map(([kind, rate]) => [kind, round1(rate)])),
      bucketMs: perf.bucketMs, completedPerBucket: perf.completedPerBucket, latencyMsPerBucket: perf.latencyPerBucket,
    },
    timeBase: 'ms since the test started (console, faults.json, node logs, history.json)', faultsPhaseStart: result.faultsPhaseStart,
    faults: summarizeFaults(result.faults, result.options.nodes, TIMING.deadlineMs), faultsSkipped: result.skipped.length,
    acknowledgedWrites: { verified: result.lostWrites.verified, superseded: result.lostWrites.superseded, lost: result.lostWrites.lost.length },
    problems: result.problems, out, wallMs: result.endTime,
  };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function printSummary(result: JepsenResult, out: string): void {
  const { stats, lostWrites } = result;
  const perf = measurePerformance(result.history);
  const f = summarizeFaults(result.faults, result.options.nodes, TIMING.deadlineMs);
  const verdict = result.verdict === 'ok' ? 'PASS' : result.verdict === 'unknown' ? 'UNKNOWN' : 'FAIL';
  process.stdout.write(`${verdict} ${result.history.length} operations (${stats.unknown} unknown = ${formatShare(perf.unknownShare)}, ${stats.notApplied} not applied and left out), ` +
    `${plural(f.kill, 'kill')}, ${plural(f.pause, 'pause')}, ${plural(f.partition, 'partition')}, ${plural(f.member, 'membership change')}; check: ${result.check?.result ?? 'not run'}; ` +
    `acknowledged writes: ${lostWrites.verified} verified, ${lostWrites.superseded} possibly replaced, ${lostWrites.lost.length} lost\n`);
  process.stdout.write(`  latency ${formatLatency(perf.latency)}; throughput ${perf.meanPerSecond.toFixed(1)} answered operations/s (per second, with the faults, in report.html)\n`);
  for (const line of formatPerformanceTable(perf)) process.stdout.write(`    ${line}\n`);
  process.stdout.write(`  faults: ${plural(f.majorityKills, 'majority kill')} (${f.allNodeKills} of every node), ${plural(f.longPauses, 'pause')} longer than the ${TIMING.deadlineMs} ms client deadline, ` +
    `${f.overlapping} begun while another was in force, ${plural(f.minorityClientPartitions, 'partition')} with clients on the minority side, ` +
    `${f.memberLeaderRemovals} of the leader removed; ${f.notFullyApplied} not carried out fully, ${result.skipped.length} planned but skipped\n`);
  for (const problem of result.problems.slice(0, 10)) process.stdout.write(`  ${problem.kind}: ${problem.message}\n`);
  if (result.problems.length > 10) process.stdout.write(`  … and ${result.problems.length - 10} more\n`);
  for (const line of result.explanation.slice(0, 40)) process.stdout.write(`  ${line}\n`);
  process.stdout.write(`wrote ${join(out, 'history.json')}, faults.json, report.html (node logs in logs/)\n`);
}

/** "60s", "2m", "500ms", "1.5s" or a bare number of seconds → ms. */
export function parseDuration(text: string): number {
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m)?\s*$/.exec(String(text));
  if (match === null) throw new UsageError(`--duration must look like 60s, 2m or 500ms, got "${text}"`);
  const unit = match[2] ?? 's';
  const ms = Math.round(Number(match[1]) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : 60_000));
  if (ms < 1_000 || ms > 24 * 3_600_000) throw new UsageError(`--duration must be from 1s to 24h, got "${text}"`);
  return ms;
}

export function parseFaults(text: string): FaultKind[] {
  const items = String(text).split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 1 && items[0] === 'none') return [];
  if (items.length === 0) throw new UsageError(`--faults names no fault kind (use ${FAULT_KINDS.join(',')} or none)`);
  const kinds: FaultKind[] = [];
  for (const item of items) {
    if (!(FAULT_KINDS as readonly string[]).includes(item)) throw new UsageError(`unknown fault kind "${item}" (known: ${FAULT_KINDS.join(', ')}, or none)`);
    if (!kinds.includes(item as FaultKind)) kinds.push(item as FaultKind);
  }
  return kinds;
}
