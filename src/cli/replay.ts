/**
 * `raftsim replay <failure.json> | <scenario> --seed N`: reruns a run bit for bit, confirms its
 * trace hash against the recorded one (saying so plainly when the code has changed the run), and
 * with --verbose tells the story of the run, event by event.
 */
import { existsSync, readFileSync } from 'node:fs';
import chalk from 'chalk';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { effectiveScenario, executeRun } from '../harness/execute.js';
import type { RunSpec } from '../harness/execute.js';
import { fromFailureFile, replayCommand } from '../harness/failureFile.js';
import { nodeIdProblem, nodeName, parseNodeId } from '../sim/faults.js';
import { codeVersion } from './codeVersion.js';
import { UsageError } from './errors.js';
import { checkBug, checkSeed, checkTimeoutMs, decimal, parseInteger, withRunFlags } from './options.js';
import type { RunFlags } from './options.js';
import { exitCodeOf, printVerdict, verdictJson } from './report.js';
import { checkReportPath, withReportFlag, writeReport } from './reportFlag.js';
import { loadScenario } from './scenarios.js';
import { formatTrace, traceKinds } from './traceView.js';
import type { TraceFilter } from './traceView.js';

interface ReplayArgs extends RunFlags {
  target: string;
  verbose: boolean;
  node?: string;
  client?: string;
  key?: string;
  kind?: string;
  from?: number;
  to?: number;
  report?: string;
  json: boolean;
}

export interface LoadedRun {
  readonly spec: RunSpec;
  readonly recorded: { traceHash: string; codeVersion: string } | null;
  readonly source: string;
}

/** A failure file, or a scenario with --seed; a scenario path and a failure file both end in .json. */
export function loadRunTarget(target: string, flags: RunFlags): LoadedRun {
  const failure = readFailureFile(target);
  if (failure) {
    if (flags.seed !== undefined || flags.bug !== undefined) throw new UsageError(`${target} is a failure file: it fixes the seed and the bug; drop --seed and --bug`);
    return failure;
  }
  const scenario = loadScenario(target);
  const spec: RunSpec = { scenario, scenarioRef: target, seed: checkSeed(flags.seed), swarm: flags.swarm, bug: checkBug(flags.bug, scenario) };
  return { spec, recorded: null, source: target };
}

function readFailureFile(target: string): LoadedRun | null {
  if (!target.endsWith('.json') || !existsSync(target)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(target, 'utf8'));
  } catch (error) {
    throw new UsageError(`${target}: not valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  if (typeof raw !== 'object' || raw === null || !('format' in raw)) return null;
  const loaded = fromFailureFile(raw);
  if (typeof loaded === 'string') throw new UsageError(`${target}: ${loaded}`);
  return { spec: loaded.spec, recorded: { traceHash: loaded.traceHash, codeVersion: loaded.codeVersion }, source: target };
}

export const replayRunCommand: CommandModule<object, ReplayArgs> = {
  command: 'replay <target>',
  describe: 'Rerun a failure bit for bit and confirm its trace hash; --verbose tells its story',
  builder: (yargs: Argv) =>
    withReportFlag(withRunFlags(yargs))
      .positional('target', { type: 'string', demandOption: true, describe: 'A failure.json, or a scenario (with --seed)' })
      .option('verbose', { type: 'boolean', default: false, describe: 'Print every event, colored by node and kind; --node, --client, --key, --kind, --from and --to narrow it (and imply it)' })
      .option('node', { type: 'string', describe: 'Only events on or to/from this node (n1, n2, …); any filter implies --verbose' })
      .option('client', { type: 'string', describe: 'Only this client\'s operations (3 or c3): calls, answers, time-outs, applies' })
      .option('key', { type: 'string', describe: 'Only operations on this key (k1, …): calls, answers, time-outs, applies' })
      .option('kind', { type: 'string', describe: 'Only these event kinds, comma-separated (call,return,timeout,give-up,fault,role,apply,…)' })
      .option('from', { coerce: decimal('--from', { min: 0 }), describe: 'Only events at or after this virtual ms' })
      .option('to', { coerce: decimal('--to', { min: 0 }), describe: 'Only events at or before this virtual ms' })
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON object (with hashMatches) instead of text' })
      .example('$0 replay failures/lossy-churn-seed-17/failure.json', 'rerun a failure found by fuzz')
      .example('$0 replay failures/lossy-churn-seed-17/failure.json --report report.html', 'and write its report, opening at the failure')
      .example('$0 replay lossy-churn --seed 17 --swarm --verbose --node n3 --from 4000 --to 4500', 'read what n3 did in half a second')
      .example('$0 replay lossy-churn --seed 17 --swarm --verbose --key k2 --kind call,return,timeout', 'follow the operations on key k2') as unknown as Argv<ReplayArgs>,
  handler: async (args: ArgumentsCamelCase<ReplayArgs>) => {
    const { spec, recorded, source } = loadRunTarget(args.target, args);
    const filter = checkTraceFilter(args, spec);
    const reportPath = checkReportPath(args.report);
    // 0 too: fuzz accepts it, and its unknowns are replayed with the budget they had (replayCommand).
    const timeoutMs = checkTimeoutMs(args['check-timeout'], true);
    const started = performance.now();
    // A filter asks for the story: it implies --verbose rather than being ignored without it.
    const verbose = args.verbose || ['node', 'client', 'key', 'kind', 'from', 'to'].some((flag) => args[flag as keyof ReplayArgs] !== undefined);
    const report = await executeRun(spec, { keepTrace: (verbose && !args.json) || reportPath !== undefined, checkTimeoutMs: timeoutMs, now: () => performance.now() });
    const wallMs = performance.now() - started;
    const replay = replayCommand(spec, recorded ? source : undefined, report.status === 'unknown' ? { checkTimeoutMs: timeoutMs } : {});
    if (reportPath) writeReport(reportPath, report, replay);
    const hashMatches = recorded ? recorded.traceHash === report.sim.traceHash : null;
    if (args.json) {
      process.stdout.write(JSON.stringify({ ...verdictJson(report, wallMs, replay), recordedTraceHash: recorded?.traceHash ?? null, hashMatches }) + '\n');
    } else {
      if (verbose && report.sim.trace) {
        checkKinds(filter.kinds, report.sim.trace);
        for (const line of formatTrace(report.sim.trace, filter)) process.stdout.write(`${line}\n`);
      }
      process.stdout.write(`seed ${spec.seed} · scenario ${spec.scenario.name}${spec.swarm ? ' · swarm' : ''}${spec.bug ? ` · bug ${spec.bug}` : ''}\n`);
      printVerdict(report, wallMs, replay);
      if (recorded) printHashCheck(recorded, report.sim.traceHash);
    }
    process.exitCode = exitCodeOf(report);
  },
};

/** --node (`n3`, or `3`), --client (`c2` or `2`), --key, --kind, --from and --to, checked against the run's cluster. */
function checkTraceFilter(args: ReplayArgs, spec: RunSpec): TraceFilter {
  let node: number | undefined;
  if (args.node !== undefined) {
    const parsed = parseNodeId(args.node);
    if (parsed === null) throw new UsageError(`--node ${nodeIdProblem(args.node)}`);
    const size = effectiveScenario(spec).nodes;
    if (parsed > size) throw new UsageError(`--node ${nodeName(parsed)}: the cluster has ${size} nodes (n1 to n${size})`);
    node = parsed;
  }
  let client: number | undefined;
  if (args.client !== undefined) {
    const clients = effectiveScenario(spec).workload.clients;
    client = parseInteger('--client', String(args.client).replace(/^c/, ''), { min: 1 });
    if (client > clients) throw new UsageError(`--client: the run has ${clients} clients (1 to ${clients}), got ${client}`);
  }
  if (args.key !== undefined && String(args.key).trim() === '') throw new UsageError('--key: names no key');
  const kinds = args.kind === undefined ? undefined : String(args.kind).split(',').map((k) => k.trim()).filter((k) => k !== '');
  if (kinds !== undefined && kinds.length === 0) throw new UsageError('--kind: names no event kind (e.g. call,return,timeout)');
  if (args.from !== undefined && args.to !== undefined && args.to < args.from) throw new UsageError(`--to (${args.to}) must not be before --from (${args.from})`);
  return { node, client, key: args.key === undefined ? undefined : String(args.key), kinds, fromMs: args.from, toMs: args.to };
}

/** A --kind the run never produced is most likely a typo: say so, with the kinds it has. */
function checkKinds(kinds: readonly string[] | undefined, trace: Parameters<typeof traceKinds>[0]): void {
  const present = traceKinds(trace);
  const missing = (kinds ?? []).filter((kind) => !present.includes(kind));
  if (missing.length > 0) throw new UsageError(`--kind: this run has no ${missing.join(', ')} event; its kinds are ${present.join(', ')}`);
}

function printHashCheck(recorded: { traceHash: string; codeVersion: string }, actual: string): void {
  if (recorded.traceHash === actual) {
    process.stdout.write(`${chalk.green('same run')}: the trace hash equals the recorded one (${actual})\n`);
    return;
  }
  const now = codeVersion();
  const why = recorded.codeVersion === now
    ? `the code version is the same (${now}), so something in the run is not deterministic: please report it`
    : `the code has changed since the failure was recorded (recorded with ${recorded.codeVersion}, now ${now}), and it changed the run`;
  process.stdout.write(`${chalk.yellow('different run')}: recorded trace hash ${recorded.traceHash}, now ${actual}: ${why}\n`);
}
