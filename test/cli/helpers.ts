import { raftsimSync, type CliResult } from '../support/cli.js';

/** Runs the built CLI to the end, without color. */
export function raftsim(...args: string[]): CliResult {
  return raftsimSync(args);
}
