/**
 * Bad input from a user (a CLI argument, a scenario or history file). The CLI prints its message
 * as one line on stderr and exits 2. Never thrown for bugs in our own code.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Exit codes of every raftsim command. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  unknown: 3,
} as const;
