/**
 * `raftsim shrink <failure.json> [--out FILE]`: finds a smaller run that fails the same way and
 * writes it as a failure file; prints the sizes before and after, and whether the result is a
 * minimum or the budget (runs, wall time) ran out first.
 */
import { writeFileSync } from 'node:fs';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { toFailureFile } from '../harness/failureFile.js';
import { DEFAULT_MAX_RUNS, shrinkRun } from '../harness/shrink.js';
import type { ShrinkResult } from '../harness/shrink.js';
import { codeVersion } from './codeVersion.js';
import { UsageError } from './errors.js';
import { checkTimeoutMs } from './options.js';
import { loadRunTarget } from './replay.js';
import { createShrinkProgress, describeSize } from './shrinkProgress.js';

interface ShrinkArgs {
  failure: string;
  out?: string;
  'max-runs': number;
  'time-budget': number;
  'check-timeout': string;
  quiet: boolean;
}

export const DEFAULT_TIME_BUDGET_S = 120;

export const shrinkCommand: CommandModule<object, ShrinkArgs> = {
  command: 'shrink <failure>',
  describe: 'Find a smaller run that fails the same way: fewer operations, faults, clients, keys, nodes, less time',
  builder: (yargs: Argv) =>
    yargs
      .positional('failure', { type: 'string', demandOption: true, describe: 'A failure.json (from fuzz --out, or an earlier shrink)' })
      .option('out', { type: 'string', describe: 'Where to write the smaller failure (default: next to the input, as <name>.shrunk.json)' })
      .option('max-runs', { type: 'number', default: DEFAULT_MAX_RUNS, describe: 'Try at most this many runs' })
      .option('time-budget', { type: 'number', default: DEFAULT_TIME_BUDGET_S, describe: 'Stop after this many seconds of wall time' })
      .option('check-timeout', { type: 'string', default: '10', describe: 'Seconds each linearizability check may take; none: no limit' })
      .option('quiet', { type: 'boolean', default: false, describe: 'No progress line on stderr' })
      .example('$0 shrink failures/lossy-churn-seed-17/failure.json', 'write failures/lossy-churn-seed-17/failure.shrunk.json') as unknown as Argv<ShrinkArgs>,
  handler: async (args: ArgumentsCamelCase<ShrinkArgs>) => {
    if (!args.failure.endsWith('.json')) throw new UsageError(`${args.failure}: shrink takes a failure.json`);
    const { spec, recorded } = loadRunTarget(args.failure, { swarm: false, 'check-timeout': '60' });
    if (!recorded) throw new UsageError(`${args.failure}: not a failure file (no "format": "raftsim-failure/1")`);
    if (!(Number.isInteger(args['max-runs']) && args['max-runs'] >= 1)) throw new UsageError(`--max-runs must be a positive integer, got ${args['max-runs']}`);
    const budget = args['time-budget'];
    if (!(Number.isFinite(budget) && budget > 0)) throw new UsageError(`--time-budget must be a positive number of seconds, got ${budget}`);
    const now = () => performance.now();
    const progress = args.quiet ? null : createShrinkProgress(process.stderr, now);
    let result: ShrinkResult;
    try {
      result = await shrinkRun(spec, { maxRuns: args['max-runs'], timeBudgetMs: budget * 1000, checkTimeoutMs: checkTimeoutMs(args['check-timeout']), now,
        onProgress: progress ? (p) => progress.update(p) : undefined });
    } catch (error) {
      if ((error as Error).message.startsWith('shrink: the run does not fail')) throw new UsageError(`${args.failure}: the run does not fail (any more), so there is nothing to shrink`);
      throw error;
    } finally {
      progress?.finish();
    }
    const out = args.out ?? args.failure.replace(/\.json$/, '.shrunk.json');
    const file = toFailureFile(result.shrunk, codeVersion(), `raftsim replay ${out}`);
    writeFileSync(out, JSON.stringify(file, null, 1) + '\n');
    const v = result.shrunk.violation!;
    process.stdout.write(`fails the same way: ${v.kind}: ${v.invariant}: ${v.message}\n`);
    process.stdout.write(`before  ${describeSize(result.before)}\n`);
    process.stdout.write(`after   ${describeSize(result.after)}\n`);
    process.stdout.write(`${outcomeLine(result)}\n`);
    process.stdout.write(`wrote ${out}\nreplay: raftsim replay ${out}\n`);
  },
};

/** "minimal (…)" or "budget exhausted (N runs, T s)": whether to shrink the result again. */
export function outcomeLine(result: ShrinkResult): string {
  const spent = `${result.runs} runs, ${((result.elapsedMs ?? 0) / 1000).toFixed(1)} s`;
  if (result.outcome === 'minimal') return `minimal (${spent}): no single operation, fault, client, key, node or time window can go and still fail the same way`;
  return `budget exhausted (${spent}): a smaller run may exist; shrink the written file to go on`;
}
