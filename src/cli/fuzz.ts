/**
 * `raftsim fuzz`: a campaign of seeded runs over worker threads, for CI. Each (scenario, seed) run
 * is a simulation with its invariant monitors plus a linearizability check; results are collected
 * per run and reported in seed order, so the outcome does not depend on the number of workers.
 */
import { availableParallelism } from 'node:os';
import chalk from 'chalk';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { bugScenarioProblem, executeRun } from '../harness/execute.js';
import type { RunReport, RunSpec } from '../harness/execute.js';
import { findBug, bugNames } from '../harness/bugs.js';
import { replayCommand, violationJson } from '../harness/failureFile.js';
import { ExitCode, UsageError } from './errors.js';
import { parseDuration, parseNonNegativeInteger, parsePositiveInteger, parseShard, totalRuns } from './fuzz/campaign.js';
import { checkTimeoutMs as checkTimeout } from './options.js';
import type { CampaignPlan, CampaignScenario } from './fuzz/campaign.js';
import { writeFailureFolder } from './fuzz/failureFolder.js';
import { createProgressReporter, wantsProgressBar } from './fuzz/progress.js';
import { runCampaign } from './fuzz/scheduler.js';
import { shardRecord } from './fuzz/shardRecord.js';
import type { FinishedRun } from './fuzz/scheduler.js';
import { buildSummary, formatSummary } from './fuzz/summary.js';
import type { FailureEntry } from './fuzz/summary.js';
import { bundledScenarioNames, loadScenario } from './scenarios.js';

interface FuzzArgs {
  scenarios?: string[];
  scenario?: string[];
  all: boolean;
  seeds?: string;
  duration?: string;
  startSeed: string;
  workers?: string;
  shard?: string;
  keepGoing: boolean;
  out?: string;
  json: boolean;
  checkDeterminism: boolean;
  swarm: boolean;
  bug?: string;
  checkTimeout: string;
}

/** Everything the command line decides, validated. */
interface FuzzSettings {
  readonly plan: CampaignPlan;
  readonly durationMs: number | null;
  readonly workers: number;
  readonly keepGoing: boolean;
  readonly out: string | null;
  readonly json: boolean;
  readonly checkDeterminism: boolean;
  readonly swarm: boolean;
  readonly bug: string | null;
  readonly checkTimeoutMs: number;
}

export const fuzzCommand: CommandModule<object, FuzzArgs> = {
  command: 'fuzz [scenarios..]',
  describe: 'Run many seeds of one or more scenarios over worker threads (a fuzz campaign, e.g. in CI)',
  builder: (yargs: Argv) =>
    yargs
      .positional('scenarios', { type: 'string', array: true, describe: 'Bundled scenario names or paths to scenario JSON files' })
      .option('scenario', { type: 'string', array: true, describe: 'A scenario JSON file of your own (repeatable); same as naming its path' })
      .option('all', { type: 'boolean', default: false, describe: 'Every bundled scenario' })
      .option('seeds', { type: 'string', describe: 'Seeds per scenario: S .. S+N-1' })
      .option('duration', {
        type: 'string',
        describe: 'Instead of --seeds: keep starting seeds until this time is up (30s, 10m, 1h). ' +
          'Which seeds get run then depends on the speed of the machine',
      })
      .option('start-seed', { type: 'string', default: '1', describe: 'The first seed' })
      .option('workers', { type: 'string', describe: 'Worker threads (default: the available parallelism)' })
      .option('shard', { type: 'string', describe: 'i/n: run only shard i of n; seed s goes to shard ((s - start) mod n) + 1' })
      .option('keep-going', { type: 'boolean', default: false, describe: 'Run every seed instead of stopping at the first failure' })
      .option('out', { type: 'string', describe: 'Write a folder per failure here (failure.json, history.json, trace.jsonl, report.html)' })
      .option('json', {
        type: 'boolean', default: false,
        describe: 'Print one JSON summary object instead of text (with coverage: each counter\'s total and runs, and the paths never taken)',
      })
      .option('check-determinism', {
        type: 'boolean', default: false,
        describe: 'Run every seed twice (in different workers) and fail a seed whose two traces differ',
      })
      .option('swarm', { type: 'boolean', default: true, describe: 'Swarm testing: draw fault kinds and rates per seed (--no-swarm: off)' })
      .option('bug', { type: 'string', describe: `Switch on one known bug (${bugNames().join(', ')})` })
      .option('check-timeout', { type: 'string', default: '10', describe: 'Seconds the linearizability check may take per seed, then "unknown"; none: no limit' })
      .example('$0 fuzz lossy-churn --seeds 200', 'seeds 1..200 of lossy-churn, stopping at the first failure')
      .example('$0 fuzz --all --seeds 500 --shard 2/4 --out failures', 'CI job 2 of 4: a quarter of the seeds, a folder per failure')
      .example('$0 fuzz --all --duration 10m --keep-going --json', 'as many seeds as fit in ten minutes; a JSON summary')
      .example('$0 fuzz split-vote --bug grant-every-vote --seeds 20', 'watch the harness catch a known bug')
      .example('$0 fuzz --scenario ./my-scenario.json --seeds 100', 'fuzz a scenario file of your own')
      .epilogue('Exit codes: 0 no failure, 1 a seed failed, 2 bad usage, 3 some linearizability check timed out (and no failure). ' +
        'Progress goes to stderr (a bar on a terminal, plain lines otherwise or when CI is set); results to stdout, ' +
        'ending with a coverage table: fault kinds fired and protocol paths taken, a path never taken flagged.') as unknown as Argv<FuzzArgs>,
  handler: async (args: ArgumentsCamelCase<FuzzArgs>) => {
    const settings = parseSettings(args);
    process.exitCode = await fuzz(settings);
  },
};

function parseSettings(args: FuzzArgs): FuzzSettings {
  const named = [...(args.scenarios ?? []), ...(args.scenario ?? [])];
  if (args.all && named.length > 0) throw new UsageError('give scenario names or --all, not both');
  if (!args.all && named.length === 0) throw new UsageError('name at least one scenario, or use --all');
  if (args.seeds !== undefined && args.duration !== undefined) throw new UsageError('give --seeds or --duration, not both');
  if (args.seeds === undefined && args.duration === undefined) throw new UsageError('give --seeds N or --duration (e.g. 10m)');
  const seedCount = args.seeds === undefined ? null : parsePositiveInteger('--seeds', args.seeds);
  const durationMs = args.duration === undefined ? null : parseDuration(args.duration);
  const startSeed = parseNonNegativeInteger('--start-seed', args.startSeed);
  const workers = args.workers === undefined ? availableParallelism() : parsePositiveInteger('--workers', args.workers);
  const shard = args.shard === undefined ? null : parseShard(args.shard);
  const bug = args.bug ?? null;
  if (bug !== null && !findBug(bug)) throw new UsageError(`unknown bug "${bug}" (known: ${bugNames().join(', ')})`);
  const checkTimeoutMs = checkTimeout(args.checkTimeout, true);
  const refs = [...new Set(args.all ? bundledScenarioNames() : named)];
  const scenarios: CampaignScenario[] = refs.map((ref) => ({ ref, scenario: loadScenario(ref) }));
  for (const { scenario } of scenarios) {
    const problem = bug === null ? null : bugScenarioProblem(bug, scenario);
    if (problem !== null) throw new UsageError(problem);
  }
  return {
    plan: { scenarios, startSeed, seedCount, shard }, durationMs, workers,
    keepGoing: args.keepGoing, out: args.out ?? null, json: args.json, checkDeterminism: args.checkDeterminism,
    swarm: args.swarm, bug, checkTimeoutMs,
  };
}

async function fuzz(settings: FuzzSettings): Promise<number> {
  const { plan } = settings;
  if (!settings.json) process.stdout.write(`${describeCampaign(settings)}\n`);
  const startedAt = performance.now();
  const deadline = settings.durationMs === null ? null : startedAt + settings.durationMs;
  const progress = createProgressReporter(wantsProgressBar(), { stream: process.stderr, startedAt, deadline });
  progress.update({ done: 0, total: totalRuns(plan), failed: 0, unknown: 0 });
  const campaign = await runCampaign(plan, {
    scenarios: plan.scenarios, swarm: settings.swarm, bug: settings.bug, checkTimeoutMs: settings.checkTimeoutMs,
  }, {
    workers: settings.workers, keepGoing: settings.keepGoing, checkDeterminism: settings.checkDeterminism, deadline,
    onProgress: (p) => progress.update(p),
  }).finally(() => progress.finish());

  const specOf = (run: FinishedRun): RunSpec => {
    const { ref, scenario } = plan.scenarios[run.scenarioIndex]!;
    return { scenario, scenarioRef: ref, seed: run.seed, swarm: settings.swarm, bug: settings.bug };
  };
  const failures: FailureEntry[] = [];
  // One at a time: each re-run keeps its whole trace in memory.
  for (const run of campaign.runs.filter((r) => r.outcome.status === 'fail')) failures.push(await describeFailure(run, specOf(run), settings));
  const summary = buildSummary({
    runs: campaign.runs,
    scenarioRefs: plan.scenarios.map((s) => s.ref),
    failures,
    // Unknowns: their verdict depends on the checker's budget (fuzz's default differs from replay's).
    replayOf: (run) => replayCommand(specOf(run), undefined, { checkTimeoutMs: settings.checkTimeoutMs }),
    wallMs: campaign.wallMs,
    workers: settings.workers,
    shard: plan.shard ? `${plan.shard.index}/${plan.shard.count}` : null,
    stoppedEarly: campaign.stoppedEarly,
    campaign: {
      scenarios: plan.scenarios.map((s) => s.ref), startSeed: plan.startSeed, seedCount: plan.seedCount,
      durationMs: settings.durationMs, swarm: settings.swarm, bug: settings.bug, checkDeterminism: settings.checkDeterminism,
    },
  });
  // --json shows node ids as names (n1 …), as every other output does.
  const json = () => JSON.stringify({
    ...summary, failures: summary.failures.map((f) => ({ ...f, violation: violationJson(f.violation) })),
    shardRecord: shardRecord({ plan, runs: campaign.runs, keepGoing: settings.keepGoing, checkTimeoutMs: settings.checkTimeoutMs }),
  });
  process.stdout.write(settings.json ? json() + '\n' : formatSummary(summary));
  if (summary.failed > 0) return ExitCode.failure;
  return summary.unknown > 0 ? ExitCode.unknown : ExitCode.ok;
}

/** A failure as reported; with --out, its folder written from a re-run with the trace kept. */
async function describeFailure(run: FinishedRun, spec: RunSpec, settings: FuzzSettings): Promise<FailureEntry> {
  const entry = {
    scenario: spec.scenarioRef, seed: run.seed, violation: run.outcome.violation!,
    replay: replayCommand(spec), traceHash: run.outcome.traceHash,
  };
  if (settings.out === null) return entry;
  const rerun = await executeRun(spec, { keepTrace: true, checkTimeoutMs: settings.checkTimeoutMs, now: () => performance.now() });
  if (rerun.sim.traceHash !== run.outcome.traceHash && run.outcome.violation?.kind !== 'determinism') {
    process.stderr.write(`raftsim: warning: the re-run of ${spec.scenarioRef} seed ${run.seed} gave trace ${rerun.sim.traceHash}, ` +
      `not ${run.outcome.traceHash}: the run is not deterministic\n`);
  }
  // The folder records the campaign's verdict (a determinism failure has none in a single run).
  const report: RunReport = { ...rerun, status: 'fail', violation: (rerun.violation ?? run.outcome.violation) as RunReport['violation'] };
  const written = writeFailureFolder(settings.out, report);
  return { ...entry, replay: written.replay, folder: written.folder };
}

function describeCampaign(settings: FuzzSettings): string {
  const { plan } = settings;
  const names = plan.scenarios.length <= 3 ? plan.scenarios.map((s) => s.ref).join(', ') : `${plan.scenarios.length} scenarios`;
  const seeds = plan.seedCount === null
    ? `seeds from ${plan.startSeed} for ${settings.durationMs! / 1000} s`
    : `seeds ${plan.startSeed}..${plan.startSeed + plan.seedCount - 1}`;
  const extras = [
    plan.shard ? `shard ${plan.shard.index}/${plan.shard.count}` : null,
    settings.swarm ? 'swarm' : 'no swarm',
    settings.bug ? chalk.yellow(`bug ${settings.bug}`) : null,
    settings.checkDeterminism ? 'determinism check' : null,
    `${settings.workers} worker${settings.workers === 1 ? '' : 's'}`,
  ].filter(Boolean);
  return `fuzz ${names} · ${seeds} · ${extras.join(' · ')}`;
}
