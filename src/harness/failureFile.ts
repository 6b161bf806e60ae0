/**
 * `failure.json`: everything needed to replay a failing run, bit for bit: the scenario's content
 * (not just its name, so that editing the bundled file later does not change the replay), the
 * seed, the options, the explicit lists of a shrunk run, the trace hash and the code version.
 */
import { unknownFieldProblem } from '../sim/fields.js';
import { faultActionJson, nodeName, parseFaultAction } from '../sim/faults.js';
import type { FaultAction } from '../sim/faults.js';
import { parseScenario, scenarioJson } from '../sim/scenario.js';
import type { PlannedOp } from '../sim/workload.js';
import { findBug } from './bugs.js';
import type { RunReport, RunSpec, ScenarioOverrides } from './execute.js';

export const FAILURE_FORMAT = 'raftsim-failure/1';

/** The fields of a failure file, in the order they are written; any other field is refused. */
const FIELDS = ['format', 'scenarioRef', 'scenario', 'seed', 'swarm', 'bug', 'overrides', 'plans', 'faults', 'traceHash',
  'violation', 'codeVersion', 'replay'];

export interface FailureFile {
  readonly format: typeof FAILURE_FORMAT;
  readonly scenarioRef: string;
  /** The scenario's content; node ids in its schedule as names (`"n2"`). */
  readonly scenario: unknown;
  readonly seed: number;
  readonly swarm: boolean;
  readonly bug: string | null;
  readonly overrides: ScenarioOverrides | null;
  readonly plans: readonly PlannedOp[][] | null;
  /** The run's explicit fault list, node ids as names (`"n2"`); numbers in files written before names. */
  readonly faults: readonly Record<string, unknown>[] | null;
  readonly traceHash: string;
  readonly violation: unknown;
  readonly codeVersion: string;
  readonly replay: string;
}

/** What a replay command may need beyond the spec. */
export interface ReplayCommandOptions {
  /**
   * The checker's budget in ms. Give it when the verdict depended on it (an `unknown`): `run` and
   * `replay` default to 60 s, `fuzz` to 10 s, so the same run can end differently without it.
   */
  readonly checkTimeoutMs?: number;
}

/**
 * The one command that reruns a spec, used wherever a run is named: the replay line of run, fuzz
 * and replay, their --json, failure.json, history.json's `source` and report.html. It carries every
 * option that changes the run: the scenario, the seed, the bug, and swarm always spelled out
 * (`--swarm` or `--no-swarm`), because `fuzz` defaults to swarm on and `run`/`replay` to off, and a
 * command that leaves it to a default names a different run. With a failure file it names the
 * file, which holds everything. A spec with explicit fault or operation lists or overrides (a
 * shrunk run) has no flags for them: without its file the answer says so, and cannot be run.
 */
export function replayCommand(spec: RunSpec, failureFile?: string, options: ReplayCommandOptions = {}): string {
  const words = failureFile !== undefined ? ['raftsim', 'replay', shellWord(failureFile)] : specCommandWords(spec);
  if (options.checkTimeoutMs !== undefined) words.push('--check-timeout', checkTimeoutFlag(options.checkTimeoutMs));
  return words.join(' ');
}

/** The parts of a spec no flag expresses: only a failure file replays a spec that has them. */
export function specBeyondFlags(spec: RunSpec): string[] {
  const beyond: string[] = [];
  if (spec.faults !== undefined) beyond.push('fault list');
  if (spec.plans !== undefined) beyond.push('operation lists');
  if (spec.overrides !== undefined && Object.keys(spec.overrides).length > 0) beyond.push('overrides');
  return beyond;
}

function specCommandWords(spec: RunSpec): string[] {
  const beyond = specBeyondFlags(spec);
  // Not a runnable command on purpose (a shell stops at the `<`): flags alone would name another run.
  if (beyond.length > 0) return ['raftsim', 'replay', `<its failure.json: no flag holds the run's ${andList(beyond)}>`];
  const words = ['raftsim', 'replay', shellWord(spec.scenarioRef), '--seed', String(spec.seed), spec.swarm ? '--swarm' : '--no-swarm'];
  if (spec.bug !== null) words.push('--bug', shellWord(spec.bug));
  return words;
}

function andList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function checkTimeoutFlag(ms: number): string {
  return Number.isFinite(ms) ? String(ms / 1000) : 'none';
}

/** A word as a POSIX shell reads it back: as is when plain, else single-quoted. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

export function toFailureFile(report: RunReport, codeVersion: string, replay: string): FailureFile {
  const { spec } = report;
  return {
    format: FAILURE_FORMAT,
    scenarioRef: spec.scenarioRef,
    scenario: scenarioJson(spec.scenario),
    seed: spec.seed,
    swarm: spec.swarm,
    bug: spec.bug,
    overrides: spec.overrides ?? null,
    plans: spec.plans ?? null,
    faults: spec.faults?.map(faultActionJson) ?? null,
    traceHash: report.sim.traceHash,
    violation: violationJson(report.violation),
    codeVersion,
    replay,
  };
}

/** A violation as a user reads it (failure.json, --json): the nodes it names as `"n2"`. */
export function violationJson<T extends object>(violation: T | null): T | null {
  if (violation === null || !('nodes' in violation) || !Array.isArray(violation.nodes)) return violation;
  return { ...violation, nodes: violation.nodes.map((node: unknown) => (typeof node === 'number' ? nodeName(node) : node)) };
}

/**
 * Reads a failure file back into a spec; returns a one-line problem (starting with the field's
 * path) instead. Node ids may be names (`"n2"`) or, in files written before names, numbers.
 */
export function fromFailureFile(raw: unknown): { spec: RunSpec; traceHash: string; codeVersion: string; violation: unknown } | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return '(top level): must be a JSON object';
  const f = raw as Record<string, unknown>;
  if (f.format !== FAILURE_FORMAT) return `format: must be "${FAILURE_FORMAT}", got ${JSON.stringify(f.format)}`;
  const unknown = unknownFieldProblem(f, '', FIELDS);
  if (unknown) return unknown;
  if (typeof f.scenarioRef !== 'string') return `scenarioRef: must be a string, got ${JSON.stringify(f.scenarioRef)}`;
  if (typeof f.seed !== 'number' || !Number.isSafeInteger(f.seed) || f.seed < 0) return `seed: must be a non-negative integer, got ${JSON.stringify(f.seed)}`;
  if (typeof f.swarm !== 'boolean') return `swarm: must be true or false, got ${JSON.stringify(f.swarm)}`;
  if (f.bug !== null && (typeof f.bug !== 'string' || !findBug(f.bug))) return `bug: must be null or a known bug name, got ${JSON.stringify(f.bug)}`;
  if (typeof f.traceHash !== 'string') return `traceHash: must be a string, got ${JSON.stringify(f.traceHash)}`;
  let scenario;
  try {
    scenario = parseScenario(f.scenario, f.scenarioRef.replace(/^.*\//, '').replace(/\.json$/, ''), { recorded: true });
  } catch (error) {
    return `scenario.${(error as Error).message}`;
  }
  const faults = parseFaults(f.faults);
  if (typeof faults === 'string') return faults;
  const plans = parsePlans(f.plans);
  if (typeof plans === 'string') return plans;
  const overrides = parseOverrides(f.overrides);
  if (typeof overrides === 'string') return overrides;
  const spec: RunSpec = {
    scenario, scenarioRef: f.scenarioRef, seed: f.seed, swarm: f.swarm, bug: (f.bug as string | null) ?? null,
    ...(faults ? { faults } : {}), ...(plans ? { plans } : {}), ...(overrides ? { overrides } : {}),
  };
  return { spec, traceHash: f.traceHash, codeVersion: typeof f.codeVersion === 'string' ? f.codeVersion : 'unknown', violation: f.violation };
}

function parseFaults(value: unknown): FaultAction[] | null | string {
  if (value === null || value === undefined) return null;
  if (!Array.isArray(value)) return 'faults: must be null or a list of fault actions';
  const actions: FaultAction[] = [];
  for (const [i, item] of value.entries()) {
    const action = parseFaultAction(item, `faults[${i}]`);
    if (typeof action === 'string') return action;
    actions.push(action);
  }
  return actions;
}

function parsePlans(value: unknown): PlannedOp[][] | null | string {
  if (value === null || value === undefined) return null;
  if (!Array.isArray(value) || !value.every(Array.isArray)) return 'plans: must be null or a list of lists of operations';
  for (const [c, list] of (value as unknown[][]).entries()) {
    for (const [i, item] of list.entries()) {
      const op = item as { thinkMs?: unknown; op?: { f?: unknown; key?: unknown } };
      if (typeof op !== 'object' || op === null || typeof op.thinkMs !== 'number' || typeof op.op !== 'object' || op.op === null ||
        !['get', 'put', 'append', 'delete', 'cas'].includes(op.op.f as string) || typeof op.op.key !== 'string') {
        return `plans[${c}][${i}]: must be {thinkMs, op: {f, key, …}}`;
      }
    }
  }
  return value as PlannedOp[][];
}

function parseOverrides(value: unknown): ScenarioOverrides | null | string {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return 'overrides: must be null or an object';
  const o = value as Record<string, unknown>;
  const unknown = unknownFieldProblem(o, 'overrides', ['nodes', 'durationMs']);
  if (unknown) return unknown;
  const max: Record<string, number> = { nodes: 9, durationMs: 1e9 };
  for (const key of Object.keys(o)) {
    const value = o[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max[key]!) return `overrides.${key}: must be an integer between 1 and ${max[key]}, got ${JSON.stringify(value)}`;
  }
  return o as ScenarioOverrides;
}
