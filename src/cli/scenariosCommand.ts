/**
 * `raftsim scenarios [--json]`: every bundled scenario with its one-line description.
 */
import chalk from 'chalk';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { bundledScenarioNames, loadScenario } from './scenarios.js';

interface ScenariosArgs {
  json: boolean;
}

export const scenariosCommand: CommandModule<object, ScenariosArgs> = {
  command: 'scenarios',
  describe: 'List the bundled scenarios',
  builder: (yargs: Argv) =>
    yargs
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON: objects with name, description, nodes, clients, durationMs' })
      .example('$0 scenarios', 'list them') as unknown as Argv<ScenariosArgs>,
  handler: (args: ArgumentsCamelCase<ScenariosArgs>) => {
    const scenarios = bundledScenarioNames().map((name) => loadScenario(name));
    if (args.json) {
      const rows = scenarios.map((s) => ({ name: s.name, description: s.description, nodes: s.nodes, clients: s.workload.clients, durationMs: s.durationMs }));
      process.stdout.write(JSON.stringify(rows, null, 1) + '\n');
      return;
    }
    for (const s of scenarios) process.stdout.write(`${chalk.bold(s.name.padEnd(20))} ${s.description}\n`);
  },
};
