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
    .option('seed', { coerce: integer('--seed', { min: 0 }), describe: 'The seed (a non-negative integer); the same seed gives the same run' })
    .option('swarm', { type: 'boolean', default: false, describe: 'Draw fault kinds and rates from the seed, within the scenario (as fuzz does)' })
    .option('bug', { type: 'string', describe: `Switch on one known bug (see raftsim bugs): ${bugNames().join(', ')}` })
    .option('check-timeout', { type: 'string', default: '60', describe: 'Seconds the linearizability check may take, past which the verdict is unknown; none: no limit' }) as Argv<T & RunFlags>;
}

export function checkSeed(seed: number | undefined): number {
  if (seed === undefined) throw new UsageError('--seed is required (a non-negative integer)');
  return parseInteger('--seed', seed, { min: 0 });
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
  const text = optionText('--check-timeout', raw);
  if (text === 'none') return Infinity;
  if (!DECIMAL.test(text)) throw new UsageError(`--check-timeout: not a number of seconds (or none): ${shown(text)}`);
  const seconds = Number(text);
  if (seconds < 0 || (!allowZero && seconds === 0)) throw new UsageError(`--check-timeout: must be ${allowZero ? '≥ 0' : '> 0'} seconds (or none), got ${text}`);
  return seconds * 1000;
}

/** The range a number given on the command line must fall in. */
export interface Bounds {
  readonly min?: number;
  readonly max?: number;
  /** The number must be above `min`, not equal to it. */
  readonly aboveMin?: boolean;
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * A whole number from the command line, or a UsageError that echoes what was given:
 * `--seed: not an integer: abc`, `--workers: must be ≥ 1, got 0`.
 */
export function parseInteger(flag: string, raw: unknown, bounds: Bounds = {}): number {
  const text = optionText(flag, raw);
  const value = INTEGER.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) throw new UsageError(`${flag}: not an integer: ${shown(text)}`);
  return inBounds(flag, value, bounds);
}

/** A number from the command line (a time, a rate): `--from: not a number: 4s`. */
export function parseDecimal(flag: string, raw: unknown, bounds: Bounds = {}): number {
  const text = optionText(flag, raw);
  if (!DECIMAL.test(text)) throw new UsageError(`${flag}: not a number: ${shown(text)}`);
  return inBounds(flag, Number(text), bounds);
}

/**
 * For yargs' `coerce`, so a numeric option is checked while the line is parsed:
 * `.option('seed', { coerce: integer('--seed', { min: 0 }) })`. The option has no `type`: as a
 * number yargs would hand over NaN for "abc", and as a string its help would say [string].
 */
export function integer(flag: string, bounds: Bounds = {}): (raw: unknown) => number {
  return (raw) => parseInteger(flag, raw, bounds);
}

export function decimal(flag: string, bounds: Bounds = {}): (raw: unknown) => number {
  return (raw) => parseDecimal(flag, raw, bounds);
}

function optionText(flag: string, raw: unknown): string {
  if (Array.isArray(raw)) throw new UsageError(`${flag}: given ${raw.length} times (${raw.join(', ')}); give it once`);
  // An untyped option given without a value comes as true.
  return typeof raw === 'boolean' ? '' : String(raw ?? '').trim();
}

function shown(text: string): string {
  return text === '' ? '(nothing)' : text;
}

function inBounds(flag: string, value: number, { min, max, aboveMin }: Bounds): number {
  if (min !== undefined && aboveMin && value <= min) throw new UsageError(`${flag}: must be > ${min}, got ${value}`);
  if (min !== undefined && value < min) throw new UsageError(`${flag}: must be ≥ ${min}, got ${value}`);
  if (max !== undefined && value > max) throw new UsageError(`${flag}: must be ≤ ${max}, got ${value}`);
  return value;
}
