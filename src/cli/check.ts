/** `raftsim check`: placeholder until the checker lands. */
import type { CommandModule } from 'yargs';

export const checkCommand: CommandModule = {
  command: 'check <histories..>',
  describe: 'Check histories for linearizability',
  handler: () => {
    process.exitCode = 3;
  },
};
