#!/usr/bin/env node
/**
 * The `raftsim` command. Each subcommand lives in its own file and exports a yargs CommandModule
 * whose handler sets `process.exitCode`. Bad input is a UsageError: one line on stderr, exit 2.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { COMMAND_NAMES, withCommands } from './commands.js';
import { ExitCode, UsageError } from './errors.js';
import { rerunWithSingleThreadedGc, wantsSingleThreadedGc } from './gcFlags.js';
import { applyColorChoice, exitQuietlyWhenReaderLeaves, isYargsError, oneLine, unknownCommandProblem } from './terminal.js';

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
    await withCommands(yargs(hideBin(process.argv)))
      .option('color', { type: 'boolean', default: true, describe: 'Color output (--no-color or NO_COLOR: none; never on a pipe or a file unless FORCE_COLOR is set)' })
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
