/**
 * Options and checks shared by the commands that run a scenario.
 */
import type { Argv } from 'yargs';
import { bugNames, findBug } from '../harness/bugs.js';
import { UsageError } from './errors.js';

export interface RunFlags {
  seed?: number;
  swarm: boolean;
  bug?: string;
  'check-timeout': number;
}

export function withRunFlags<T>(yargs: Argv<T>): Argv<T & RunFlags> {
  return yargs
    .option('seed', { type: 'number', describe: 'The seed (a non-negative integer); the same seed gives the same run' })
    .option('swarm', { type: 'boolean', default: false, describe: 'Draw fault kinds and rates from the seed, within the scenario (as fuzz does)' })
    .option('bug', { type: 'string', describe: `Switch on one known bug (see raftsim bugs): ${bugNames().join(', ')}` })
    .option('check-timeout', { type: 'number', default: 60, describe: 'Seconds the linearizability check may take; past it the verdict is unknown' }) as Argv<T & RunFlags>;
}

export function checkSeed(seed: number | undefined): number {
  if (seed === undefined) throw new UsageError('--seed is required (a non-negative integer)');
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, got ${seed}`);
  return seed;
}

export function checkBug(bug: string | undefined): string | null {
  if (bug === undefined) return null;
  if (!findBug(bug)) throw new UsageError(`unknown bug "${bug}" (known: ${bugNames().join(', ')})`);
  return bug;
}

export function checkTimeoutMs(seconds: number): number {
  if (!(seconds > 0) || !Number.isFinite(seconds)) throw new UsageError(`--check-timeout must be a positive number of seconds, got ${seconds}`);
  return seconds * 1000;
}
