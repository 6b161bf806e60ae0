#!/usr/bin/env node
/**
 * The `raftsim` command. Each subcommand lives in its own file and exports a yargs CommandModule
 * whose handler sets `process.exitCode`. Bad input is a UsageError: one line on stderr, exit 2.
 */
import yargs from 'yargs';
import type { CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { checkCommand } from './check.js';
import { ExitCode, UsageError } from './errors.js';
import { bugsCommand } from './bugs.js';
import { clientCommand } from './client.js';
import { clusterCommand } from './cluster.js';
import { fuzzCommand } from './fuzz.js';
import { rerunWithSingleThreadedGc, wantsSingleThreadedGc } from './gcFlags.js';
import { jepsenCommand } from './jepsen.js';
import { replayRunCommand } from './replay.js';
import { runCommand } from './run.js';
import { scenariosCommand } from './scenariosCommand.js';
import { serveCommand } from './serve.js';
import { shrinkCommand } from './shrink.js';
import { applyColorChoice, exitQuietlyWhenReaderLeaves, isYargsError, oneLine, unknownCommandProblem } from './terminal.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each module has its own argument type
const COMMANDS: CommandModule<object, any>[] = [
  runCommand, fuzzCommand, replayRunCommand, shrinkCommand, checkCommand, scenariosCommand, bugsCommand,
  serveCommand, clusterCommand, clientCommand, jepsenCommand,
];
const COMMAND_NAMES = COMMANDS.map((c) => String(c.command).split(' ')[0]!);

function fail(message: string): never {
  process.stderr.write(`raftsim: ${oneLine(message)}\n`);
  process.exit(ExitCode.usage);
}

async function main(): Promise<void> {
  // A reader that stops early (`raftsim bugs | head`) is not an error: stop quietly, no stack trace.
  exitQuietlyWhenReaderLeaves(fail);
  const args = process.argv.slice(2);
  applyColorChoice(args);
  const unknown = unknownCommandProblem(args, COMMAND_NAMES);
  if (unknown !== null) fail(unknown);
  if (wantsSingleThreadedGc(args)) {
    process.exitCode = await rerunWithSingleThreadedGc();
    return;
  }
  if (args.includes('--no-color')) process.env.NO_COLOR = '1';
  try {
    await yargs(hideBin(process.argv))
      .scriptName('raftsim')
      .usage('$0 <command> [options]')
      .command(COMMANDS)
      // No wrapping: a wrapped example command breaks mid-way and cannot be copied whole.
      .wrap(null)
      .option('color', { type: 'boolean', default: true, describe: 'Color output (also: NO_COLOR)' })
      .demandCommand(1, `Name a command: ${COMMAND_NAMES.join(', ')}`)
      .strict()
      .fail((message, error) => {
        // A coerce function's UsageError reaches here wrapped in yargs' own error: bad input too.
        if (error && !(error instanceof UsageError) && !isYargsError(error)) throw error;
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
