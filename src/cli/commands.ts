/**
 * Every raftsim command, and how the help shows them: main.ts parses with this; tests read the
 * help of each command through it without starting a process.
 */
import type { Argv, CommandModule } from 'yargs';
import { bugsCommand } from './bugs.js';
import { checkCommand } from './check.js';
import { clientCommand } from './client.js';
import { clusterCommand } from './cluster.js';
import { fuzzCommand } from './fuzz.js';
import { jepsenCommand } from './jepsen.js';
import { memberCommand } from './member.js';
import { mergeCommand } from './merge.js';
import { replayRunCommand } from './replay.js';
import { runCommand } from './run.js';
import { scenariosCommand } from './scenariosCommand.js';
import { serveCommand } from './serve.js';
import { shrinkCommand } from './shrink.js';
import { transferLeaderCommand } from './transferLeader.js';

// `any`: each module has its own argument type, and yargs takes them all.
export const COMMANDS: CommandModule<object, any>[] = [
  runCommand, fuzzCommand, mergeCommand, replayRunCommand, shrinkCommand, checkCommand, scenariosCommand, bugsCommand,
  serveCommand, clusterCommand, clientCommand, jepsenCommand, transferLeaderCommand, memberCommand,
];

/** The names a user types: run, fuzz, … */
export const COMMAND_NAMES: readonly string[] = COMMANDS.map((c) => String(c.command).split(' ')[0]!);

/** The commands, under the name raftsim, with help that is never wrapped. */
export function withCommands<T>(cli: Argv<T>): Argv<T> {
  return cli
    .scriptName('raftsim')
    .usage('$0 <command> [options]')
    .command(COMMANDS)
    // No wrapping: a wrapped example command breaks mid-way and cannot be copied whole.
    .wrap(null);
}
