#!/usr/bin/env node
/**
 * The `raftsim` command. Each subcommand lives in its own file and exports a yargs CommandModule
 * whose handler sets `process.exitCode`. Bad input is a UsageError: one line on stderr, exit 2.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { checkCommand } from './check.js';
import { ExitCode, UsageError } from './errors.js';
import { bugsCommand } from './bugs.js';
import { clientCommand } from './client.js';
import { clusterCommand } from './cluster.js';
import { fuzzCommand } from './fuzz.js';
import { rerunWithSingleThreadedGc, wantsSingleThreadedGc } from './gcFlags.js';
import { jepsenCommand } from './jepsen.js';
import { mergeCommand } from './merge.js';
import { replayRunCommand } from './replay.js';
import { runCommand } from './run.js';
import { scenariosCommand } from './scenariosCommand.js';
import { serveCommand } from './serve.js';
import { shrinkCommand } from './shrink.js';

function fail(message: string): never {
  process.stderr.write(`raftsim: ${message.split('\n')[0]}\n`);
  process.exit(ExitCode.usage);
}

async function main(): Promise<void> {
  // A reader that stops early (`raftsim bugs | head`) is not an error: stop quietly, no stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    fail(error.message);
  });
  const args = process.argv.slice(2);
  if (wantsSingleThreadedGc(args)) {
    process.exitCode = await rerunWithSingleThreadedGc();
    return;
  }
  if (args.includes('--no-color')) process.env.NO_COLOR = '1';
  try {
    await yargs(hideBin(process.argv))
      .scriptName('raftsim')
      .usage('$0 <command> [options]')
      .command(runCommand)
      .command(fuzzCommand)
      .command(mergeCommand)
      .command(replayRunCommand)
      .command(shrinkCommand)
      .command(checkCommand)
      .command(scenariosCommand)
      .command(bugsCommand)
      .command(serveCommand)
      .command(clusterCommand)
      .command(clientCommand)
      .command(jepsenCommand)
      .option('color', { type: 'boolean', default: true, describe: 'Color output (also: NO_COLOR)' })
      .demandCommand(1, 'Name a command: run, fuzz, replay, shrink, merge, check, scenarios, bugs, serve, cluster, client, jepsen')
      .strict()
      .recommendCommands()
      .fail((message, error) => {
        if (error && !(error instanceof UsageError)) throw error;
        fail(error ? error.message : message);
      })
      .help()
      .version()
      .parseAsync();
  } catch (error) {
    if (error instanceof UsageError) fail(error.message);
    throw error;
  }
}

await main();
