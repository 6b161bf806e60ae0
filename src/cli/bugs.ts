/**
 * `raftsim bugs [--json] [--self-test]`: the catalog of known bugs that `--bug NAME` runs (mutants of the core, src/mutants);
 * with --self-test, fuzz each bug's scenario until the harness catches it, and print how many
 * seeds that took.
 */
import chalk from 'chalk';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { BUGS } from '../harness/bugs.js';
import { replayCommand } from '../harness/failureFile.js';
import { searchBug } from '../harness/selfTest.js';
import { UsageError } from './errors.js';
import { integer } from './options.js';
import { loadScenario } from './scenarios.js';

interface BugsArgs {
  json: boolean;
  'self-test': boolean;
  'max-seeds': number;
}

export const bugsCommand: CommandModule<object, BugsArgs> = {
  command: 'bugs',
  describe: 'List the known bugs that --bug runs; --self-test shows the harness catches each',
  builder: (yargs: Argv) =>
    yargs
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON' })
      .option('self-test', { type: 'boolean', default: false, describe: 'Fuzz each bug until it is caught; exit 1 if one is not within --max-seeds' })
      .option('max-seeds', { default: 2000, coerce: integer('--max-seeds', { min: 1 }), describe: 'With --self-test: the seed budget per bug' })
      .example('$0 bugs', 'list the bugs')
      .example('$0 run split-vote --seed 1 --bug grant-every-vote', 'watch one get caught')
      .example('$0 bugs --self-test', 'the self-test CI runs') as unknown as Argv<BugsArgs>,
  handler: async (args: ArgumentsCamelCase<BugsArgs>) => {
    if (!args['self-test']) {
      if (args.json) process.stdout.write(JSON.stringify(BUGS.map(({ name, description, scenario, caughtBy, needs }) => ({ name, description, scenario, caughtBy, needs })), null, 1) + '\n');
      else for (const bug of BUGS) process.stdout.write(`${chalk.bold(bug.name.padEnd(28))} ${bug.description}\n${''.padEnd(29)}needs: ${bug.needs}; caught by: ${bug.caughtBy.join(', ')}\n`);
      return;
    }
    const maxSeeds = args['max-seeds'];
    if (!(Number.isInteger(maxSeeds) && maxSeeds >= 1)) throw new UsageError(`--max-seeds must be a positive integer, got ${maxSeeds}`);
    const results = [];
    for (const bug of BUGS) {
      const started = performance.now();
      const scenario = loadScenario(bug.scenario);
      const { found, otherFailures } = await searchBug(bug, scenario, maxSeeds, { timeoutMs: 20_000, now: () => performance.now() });
      // The self-test runs with swarm on: the seed alone, without --swarm, names another run.
      const replay = found ? replayCommand({ scenario, scenarioRef: bug.scenario, seed: found.seed, swarm: true, bug: bug.name }) : null;
      const entry = { name: bug.name, scenario: bug.scenario, seeds: found?.seedsTried ?? null, seed: found?.seed ?? null,
        violation: found ? `${found.kind}/${found.invariant}` : null, replay, otherFailures, wallMs: Math.round(performance.now() - started) };
      results.push(entry);
      if (!args.json) {
        const verdict = found ? chalk.green(`caught after ${found.seedsTried} seeds`) + ` (seed ${found.seed}: ${found.kind}/${found.invariant})` : chalk.red(`NOT caught by ${bug.caughtBy.join(' or ')} in ${maxSeeds} seeds`);
        process.stdout.write(`${bug.name.padEnd(28)} ${bug.scenario.padEnd(18)} ${verdict}\n`);
        if (replay !== null) process.stdout.write(`${''.padEnd(47)}replay: ${replay}\n`);
        if (otherFailures.length > 0) process.stdout.write(`${''.padEnd(47)}(failed for another reason first: ${otherFailures.map((f) => `seed ${f.seed} ${f.violation}`).join(', ')})\n`);
      }
    }
    if (args.json) process.stdout.write(JSON.stringify(results, null, 1) + '\n');
    process.exitCode = results.every((r) => r.seed !== null) ? 0 : 1;
  },
};
