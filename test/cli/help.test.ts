/**
 * `raftsim <command> --help`, read in-process through the same command list and help settings as
 * main.ts: every example command stays whole on one line, however long (yargs would otherwise wrap
 * it at 80 columns, in the middle of a command a user copies).
 */
import yargs from 'yargs';
import type { Argv, CommandModule } from 'yargs';
import { describe, expect, it } from 'vitest';
import { COMMANDS, withCommands } from '../../src/cli/commands.js';

async function helpOf(command: string): Promise<string> {
  let output = '';
  await withCommands(yargs([command, '--help'])).exitProcess(false).help()
    .parseAsync([command, '--help'], {}, (_error, _argv, text) => { output = text; });
  return output;
}

/** The example commands a module's builder declares, read by a stand-in that records `.example`. */
function examplesOf(module: CommandModule<object, unknown>): string[] {
  const examples: string[] = [];
  const recorder: unknown = new Proxy(() => undefined, {
    get: (_target, method) => (...args: unknown[]) => {
      if (method === 'example') {
        const pairs = Array.isArray(args[0]) ? (args[0] as [string, string][]) : [[args[0], args[1]] as [string, string]];
        for (const [command] of pairs) examples.push(command.replace('$0', 'raftsim'));
      }
      return recorder;
    },
  });
  (module.builder as (y: Argv) => unknown)(recorder as Argv);
  return examples;
}

describe('raftsim help', () => {
  it.each(COMMANDS.map((module) => [String(module.command).split(' ')[0]!, module] as const))('%s --help shows each example command whole on one line', async (name, module) => {
    const examples = examplesOf(module);
    expect(examples.length).toBeGreaterThan(0);
    const lines = (await helpOf(name)).split('\n');
    for (const example of examples) expect(lines.some((line) => line.includes(example)), example).toBe(true);
  });
});
