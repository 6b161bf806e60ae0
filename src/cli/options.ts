/**
 * Options and checks shared by the commands that run a scenario.
 */
import type { Argv } from 'yargs';
import { bugNames, findBug } from '../harness/bugs.js';
import { bugScenarioProblem } from '../harness/execute.js';
import type { Scenario } from '../sim/scenario.js';
import { UsageError } from './errors.js';

export interface RunFlags {
  seed?: number;
  swarm: boolean;
  bug?: string;
  'check-timeout': string;
}

export function withRunFlags<T>(yargs: Argv<T>): Argv<T & RunFlags> {
  return yargs
    .option('seed', { type: 'number', describe: 'The seed (a non-negative integer); the same seed gives the same run' })
    .option('swarm', { type: 'boolean', default: false, describe: 'Draw fault kinds and rates from the seed, within the scenario (as fuzz does)' })
    .option('bug', { type: 'string', describe: `Switch on one known bug (see raftsim bugs): ${bugNames().join(', ')}` })
    .option('check-timeout', { type: 'string', default: '60', describe: 'Seconds the linearizability check may take, past which the verdict is unknown; none: no limit' }) as Argv<T & RunFlags>;
}

export function checkSeed(seed: number | undefined): number {
  if (seed === undefined) throw new UsageError('--seed is required (a non-negative integer)');
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, got ${seed}`);
  return seed;
}

export function checkBug(bug: string | undefined, scenario?: Scenario): string | null {
  if (bug === undefined) return null;
  if (!findBug(bug)) throw new UsageError(`unknown bug "${bug}" (known: ${bugNames().join(', ')})`);
  const problem = scenario === undefined ? null : bugScenarioProblem(bug, scenario);
  if (problem !== null) throw new UsageError(problem);
  return bug;
}

/**
 * `--check-timeout`: a number of seconds, or `none` for a check that runs to its verdict (the
 * search is deterministic, so only a person waiting needs a limit). Returns milliseconds, Infinity
 * for none. `allowZero` lets fuzz give the checker no time at all (every verdict unknown).
 */
export function checkTimeoutMs(raw: unknown, allowZero = false): number {
  const text = String(raw).trim();
  if (text === 'none') return Infinity;
  const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(seconds) || (!allowZero && seconds === 0)) {
    throw new UsageError(`--check-timeout must be ${allowZero ? 'a number of seconds (0 or more)' : 'a positive number of seconds'} or none, got ${JSON.stringify(raw)}`);
  }
  return seconds * 1000;
}
