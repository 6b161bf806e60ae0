/**
 * `raftsim run <scenario> --seed N`: one seeded run of a scenario, with every safety invariant
 * checked after every event and the history checked for linearizability; a verdict, the trace
 * hash, and on failure the command to replay it.
 */
import { writeFileSync } from 'node:fs';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { executeRun } from '../harness/execute.js';
import { replayCommand } from '../harness/failureFile.js';
import { UsageError } from './errors.js';
import { checkBug, checkSeed, checkTimeoutMs, withRunFlags } from './options.js';
import type { RunFlags } from './options.js';
import { exitCodeOf, printVerdict, verdictJson } from './report.js';
import { checkReportPath, withReportFlag, writeReport } from './reportFlag.js';
import { loadScenario } from './scenarios.js';
import { traceRecordJson } from './traceView.js';

interface RunArgs extends RunFlags {
  scenario?: string;
  history?: string;
  trace?: string;
  report?: string;
  json: boolean;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run [scenario]',
  describe: 'Run one scenario with one seed; check every invariant and linearizability',
  builder: (yargs: Argv) =>
    withReportFlag(withRunFlags(yargs))
      .positional('scenario', { type: 'string', describe: 'A bundled scenario name, or a path to a scenario JSON file (also: --scenario FILE)' })
      .option('history', { type: 'string', describe: 'Write the client history (checker format) to this file' })
      .option('trace', { type: 'string', describe: 'Write the full event trace (JSON lines) to this file' })
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON object instead of text' })
      .example('$0 run lossy-churn --seed 1', 'run the lossy-churn scenario with seed 1')
      .example('$0 run split-vote --seed 1 --bug grant-every-vote', 'watch a known bug get caught')
      .example('$0 run --scenario ./my-scenario.json --seed 7 --history h.json', 'run your own scenario and keep its history') as unknown as Argv<RunArgs>,
  handler: async (args: ArgumentsCamelCase<RunArgs>) => {
    const seed = checkSeed(args.seed);
    const timeoutMs = checkTimeoutMs(args['check-timeout']);
    const reportPath = checkReportPath(args.report);
    if (args.scenario === undefined) throw new UsageError('name a scenario (raftsim scenarios lists them) or give --scenario FILE');
    const ref = args.scenario;
    const scenario = loadScenario(ref);
    const bug = checkBug(args.bug, scenario);
    if (!args.json) process.stdout.write(`seed ${seed} · scenario ${scenario.name} · ${scenario.nodes} nodes, ${scenario.workload.clients} clients${args.swarm ? ' · swarm' : ''}${bug ? ` · bug ${bug}` : ''}\n`);
    const spec = { scenario, scenarioRef: ref, seed, swarm: args.swarm, bug };
    const started = performance.now();
    const report = await executeRun(spec, { keepTrace: args.trace !== undefined || reportPath !== undefined, checkTimeoutMs: timeoutMs, now: () => performance.now() });
    const wallMs = performance.now() - started;
    if (args.history) writeFileSync(args.history, JSON.stringify(report.sim.history, null, 1) + '\n');
    if (args.trace && report.sim.trace) writeFileSync(args.trace, report.sim.trace.map((r) => JSON.stringify(traceRecordJson(r))).join('\n') + '\n');
    // An unknown verdict depends on the checker's budget, so its command names it.
    const replay = replayCommand(spec, undefined, report.status === 'unknown' ? { checkTimeoutMs: timeoutMs } : {});
    if (reportPath) writeReport(reportPath, report, replay);
    if (args.json) process.stdout.write(JSON.stringify(verdictJson(report, wallMs, replay)) + '\n');
    else printVerdict(report, wallMs, replay);
    process.exitCode = exitCodeOf(report);
  },
};

