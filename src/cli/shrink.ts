/**
 * `raftsim shrink <failure.json> [--out FILE]`: finds a smaller run that fails the same way and
 * writes it as a failure file; prints the sizes before and after, and whether the result is a
 * minimum or the budget (runs, wall time) ran out first.
 */
import { writeFileSync } from 'node:fs';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { replayCommand, toFailureFile } from '../harness/failureFile.js';
import { executeRun } from '../harness/execute.js';
import { DEFAULT_MAX_RUNS, shrinkRun } from '../harness/shrink.js';
import type { ShrinkResult } from '../harness/shrink.js';
import { codeVersion } from './codeVersion.js';
import { UsageError } from './errors.js';
import { checkTimeoutMs, decimal, integer } from './options.js';
import { violationHeadline } from './report.js';
import { checkReportPath, withReportFlag, writeReport } from './reportFlag.js';
import { loadRunTarget } from './replay.js';
import { createShrinkProgress, describeSize } from './shrinkProgress.js';

interface ShrinkArgs {
  failure: string;
  out?: string;
  'max-runs': number;
  'time-budget': number;
  'check-timeout': string;
  quiet: boolean;
  report?: string;
}

export const DEFAULT_TIME_BUDGET_S = 120;

export const shrinkCommand: CommandModule<object, ShrinkArgs> = {
  command: 'shrink <failure>',
  describe: 'Find a smaller run that fails the same way: fewer operations, faults, clients, keys, nodes, less time',
  builder: (yargs: Argv) =>
    withReportFlag(yargs)
      .positional('failure', { type: 'string', demandOption: true, describe: 'A failure.json (from fuzz --out, or an earlier shrink)' })
      .option('out', { type: 'string', describe: 'Where to write the smaller failure (default: next to the input, as <name>.shrunk.json)' })
      .option('max-runs', { default: DEFAULT_MAX_RUNS, coerce: integer('--max-runs', { min: 1 }), describe: 'Try at most this many runs' })
      .option('time-budget', { default: DEFAULT_TIME_BUDGET_S, coerce: decimal('--time-budget', { min: 0, aboveMin: true }), describe: 'Stop after this many seconds of wall time' })
      .option('check-timeout', { type: 'string', default: '10', describe: 'Seconds each linearizability check may take; none: no limit' })
      .option('quiet', { type: 'boolean', default: false, describe: 'No progress line on stderr' })
      .example('$0 shrink failures/lossy-churn-seed-17/failure.json', 'write failures/lossy-churn-seed-17/failure.shrunk.json')
      .example('$0 shrink failures/lossy-churn-seed-17/failure.json --time-budget 30 --report shrunk.html', 'at most 30 s, then the shrunk run\'s report') as unknown as Argv<ShrinkArgs>,
  handler: async (args: ArgumentsCamelCase<ShrinkArgs>) => {
    if (!args.failure.endsWith('.json')) throw new UsageError(`${args.failure}: shrink takes a failure.json`);
    const { spec, recorded } = loadRunTarget(args.failure, { swarm: false, 'check-timeout': '60' });
    if (!recorded) throw new UsageError(`${args.failure}: not a failure file (no "format": "raftsim-failure/1")`);
    const budget = args['time-budget'];
    const reportPath = checkReportPath(args.report);
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
    const replay = replayCommand(result.shrunk.spec, out);
    const file = toFailureFile(result.shrunk, codeVersion(), replay);
    writeFileSync(out, JSON.stringify(file, null, 1) + '\n');
    if (reportPath) {
      // The shrunk run once more, keeping its trace this time, for the page's roles, messages and time-outs.
      const traced = await executeRun(result.shrunk.spec, { keepTrace: true, checkTimeoutMs: checkTimeoutMs(args['check-timeout']), now });
      writeReport(reportPath, traced, replay);
    }
    process.stdout.write(`fails the same way: ${violationHeadline(result.shrunk.violation!)}\n`);
    process.stdout.write(`before  ${describeSize(result.before)}\n`);
    process.stdout.write(`after   ${describeSize(result.after)}\n`);
    process.stdout.write(`${outcomeLine(result)}\n`);
    process.stdout.write(`wrote ${out}\nreplay: ${replay}\n`);
  },
};

/** "minimal (…)" or "budget exhausted (N runs, T s)": whether to shrink the result again. */
export function outcomeLine(result: ShrinkResult): string {
  const spent = `${result.runs} runs, ${((result.elapsedMs ?? 0) / 1000).toFixed(1)} s`;
  if (result.outcome === 'minimal') return `minimal (${spent}): no single operation, fault, client, key, node or time window can go and still fail the same way`;
  return `budget exhausted (${spent}): a smaller run may exist; shrink the written file to go on`;
}
