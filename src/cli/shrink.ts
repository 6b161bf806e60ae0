/**
 * `raftsim shrink <failure.json> [--out FILE]`: finds a smaller run that fails the same way and
 * writes it as a failure file; prints the sizes before and after.
 */
import { writeFileSync } from 'node:fs';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { toFailureFile } from '../harness/failureFile.js';
import { shrinkRun } from '../harness/shrink.js';
import type { RunSize } from '../harness/shrink.js';
import { codeVersion } from './codeVersion.js';
import { UsageError } from './errors.js';
import { checkTimeoutMs, integer } from './options.js';
import { loadRunTarget } from './replay.js';

interface ShrinkArgs {
  failure: string;
  out?: string;
  'max-runs': number;
  'check-timeout': string;
}

export const shrinkCommand: CommandModule<object, ShrinkArgs> = {
  command: 'shrink <failure>',
  describe: 'Find a smaller run that fails the same way: fewer faults, clients, operations, less time, fewer nodes',
  builder: (yargs: Argv) =>
    yargs
      .positional('failure', { type: 'string', demandOption: true, describe: 'A failure.json (from fuzz --out, or an earlier shrink)' })
      .option('out', { type: 'string', describe: 'Where to write the smaller failure (default: next to the input, as <name>.shrunk.json)' })
      .option('max-runs', { default: 400, coerce: integer('--max-runs', { min: 1 }), describe: 'Try at most this many candidate runs' })
      .option('check-timeout', { type: 'string', default: '10', describe: 'Seconds each linearizability check may take; none: no limit' })
      .example('$0 shrink failures/lossy-churn-seed-17/failure.json', 'write failures/lossy-churn-seed-17/failure.shrunk.json') as unknown as Argv<ShrinkArgs>,
  handler: async (args: ArgumentsCamelCase<ShrinkArgs>) => {
    if (!args.failure.endsWith('.json')) throw new UsageError(`${args.failure}: shrink takes a failure.json`);
    const { spec, recorded } = loadRunTarget(args.failure, { swarm: false, 'check-timeout': '60' });
    if (!recorded) throw new UsageError(`${args.failure}: not a failure file (no "format": "raftsim-failure/1")`);
    if (!(Number.isInteger(args['max-runs']) && args['max-runs'] >= 1)) throw new UsageError(`--max-runs must be a positive integer, got ${args['max-runs']}`);
    const now = () => performance.now();
    const started = now();
    let result;
    try {
      result = await shrinkRun(spec, { maxRuns: args['max-runs'], checkTimeoutMs: checkTimeoutMs(args['check-timeout']), now,
        onProgress: (runs, size) => process.stderr.write(`  run ${runs}: ${describeSize(size)}\n`) });
    } catch (error) {
      if ((error as Error).message.startsWith('shrink: the run does not fail')) throw new UsageError(`${args.failure}: the run does not fail (any more), so there is nothing to shrink`);
      throw error;
    }
    const out = args.out ?? args.failure.replace(/\.json$/, '.shrunk.json');
    const file = toFailureFile(result.shrunk, codeVersion(), `raftsim replay ${out}`);
    writeFileSync(out, JSON.stringify(file, null, 1) + '\n');
    const v = result.shrunk.violation!;
    process.stdout.write(`fails the same way: ${v.kind}: ${v.invariant}: ${v.message}\n`);
    process.stdout.write(`before  ${describeSize(result.before)}\n`);
    process.stdout.write(`after   ${describeSize(result.after)}\n`);
    process.stdout.write(`${result.runs} runs in ${((now() - started) / 1000).toFixed(1)} s; wrote ${out}\n`);
    process.stdout.write(`replay: raftsim replay ${out}\n`);
  },
};

function describeSize(size: RunSize): string {
  return `${size.faults} faults, ${size.clients} clients, ${size.operations} operations, ${size.durationMs} ms, ${size.nodes} nodes`;
}
