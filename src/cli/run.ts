/**
 * `raftsim run <scenario> --seed N`: one seeded run of a scenario, with every safety invariant
 * checked after every event, a verdict, the trace hash, and on failure the command to replay it.
 */
import { writeFileSync } from 'node:fs';
import chalk from 'chalk';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { runScenario } from '../sim/run.js';
import type { RunResult } from '../sim/run.js';
import { ExitCode, UsageError } from './errors.js';
import { loadScenario } from './scenarios.js';

interface RunArgs {
  scenario: string;
  seed: number;
  history?: string;
  trace?: string;
  json: boolean;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <scenario>',
  describe: 'Run one scenario with one seed and check every safety invariant',
  builder: (yargs: Argv) =>
    yargs
      .positional('scenario', { type: 'string', demandOption: true, describe: 'A bundled scenario name or a path to a scenario JSON file' })
      .option('seed', { type: 'number', demandOption: true, describe: 'The seed (an integer); the same seed gives the same run' })
      .option('history', { type: 'string', describe: 'Write the client history (checker format) to this file' })
      .option('trace', { type: 'string', describe: 'Write the full event trace (JSON lines) to this file' })
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON object instead of text' })
      .example('$0 run lossy-churn --seed 1', 'run the lossy-churn scenario with seed 1')
      .example('$0 run ./my-scenario.json --seed 7 --history h.json', 'run your own scenario and keep its history') as Argv<RunArgs>,
  handler: (args: ArgumentsCamelCase<RunArgs>) => {
    if (!Number.isSafeInteger(args.seed) || args.seed < 0) throw new UsageError(`--seed must be a non-negative integer, got ${args.seed}`);
    const scenario = loadScenario(args.scenario);
    if (!args.json) process.stdout.write(`seed ${args.seed} · scenario ${scenario.name} · ${scenario.nodes} nodes, ${scenario.workload.clients} clients\n`);
    const started = performance.now();
    const result = runScenario(scenario, { seed: args.seed, keepTrace: args.trace !== undefined });
    const wallMs = performance.now() - started;
    if (args.history) writeFileSync(args.history, JSON.stringify(result.history, null, 1) + '\n');
    if (args.trace && result.trace) writeFileSync(args.trace, result.trace.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const replay = `raftsim run ${args.scenario} --seed ${args.seed}`;
    if (args.json) process.stdout.write(JSON.stringify(summary(result, replay, wallMs)) + '\n');
    else printHuman(result, replay, wallMs);
    process.exitCode = result.ok ? ExitCode.ok : ExitCode.failure;
  },
};

function summary(result: RunResult, replay: string, wallMs: number): Record<string, unknown> {
  return {
    scenario: result.scenario,
    seed: result.seed,
    ok: result.ok,
    traceHash: result.traceHash,
    violation: result.violation,
    events: result.events,
    virtualMs: result.virtualMs,
    operations: result.operations,
    pendingOperations: result.pendingOperations,
    faults: result.faults.length,
    wallMs: Math.round(wallMs),
    replay: result.ok ? null : replay,
  };
}

function printHuman(result: RunResult, replay: string, wallMs: number): void {
  const figures = `${result.operations} operations (${result.pendingOperations} unknown), ${result.faults.length} faults, ` +
    `${result.events} events, ${(result.virtualMs / 1000).toFixed(1)} virtual s in ${(wallMs / 1000).toFixed(2)} s`;
  if (result.ok) {
    process.stdout.write(`${chalk.green('PASS')} ${figures}\n`);
  } else {
    const v = result.violation!;
    process.stdout.write(`${chalk.red('FAIL')} ${v.kind}: ${v.invariant} at ${v.timeMs} ms: ${v.message}\n`);
    process.stdout.write(`     ${figures}\n`);
  }
  process.stdout.write(`trace ${result.traceHash}\n`);
  if (!result.ok) process.stdout.write(`replay: ${replay}\n`);
}
