/**
 * A run from start to verdict, the way every command does it: the simulation with its monitors,
 * then the linearizability check of the recorded history. A run passes only when both hold; a
 * check that runs out of time is `unknown`, never a pass.
 */
import { checkOperations, raftsimKvModel } from '../checker/index.js';
import type { CheckResult } from '../checker/index.js';
import type { CoverageCounts } from '../sim/coverage.js';
import { coverageOutOfScope } from '../sim/coverageScope.js';
import type { FaultAction } from '../sim/faults.js';
import { Prng } from '../sim/prng.js';
import { runScenario } from '../sim/run.js';
import type { RunResult, Violation } from '../sim/run.js';
import type { Scenario } from '../sim/scenario.js';
import { swarmScenario } from '../sim/swarm.js';
import type { PlannedOp } from '../sim/workload.js';
import { findMutant } from '../mutants/index.js';
import { findBug } from './bugs.js';
import { replayCommand } from './failureFile.js';
import { linearizabilityViolation } from './linearizabilityViolation.js';
import type { LinearizabilityViolation } from './linearizabilityViolation.js';

/** Everything that determines a run. */
export interface RunSpec {
  /** The scenario as written (before swarm). */
  readonly scenario: Scenario;
  /** How the user named it: a bundled name or a path. */
  readonly scenarioRef: string;
  readonly seed: number;
  /** Draw fault kinds and rates per seed (swarm testing). */
  readonly swarm: boolean;
  readonly bug: string | null;
  /** Explicit lists replacing the drawn ones (a shrunk run). */
  readonly plans?: readonly PlannedOp[][];
  readonly faults?: readonly FaultAction[];
  /** Overrides of the effective scenario (a shrunk run: fewer nodes, clients, a shorter time). */
  readonly overrides?: ScenarioOverrides;
}

export interface ScenarioOverrides {
  readonly nodes?: number;
  readonly durationMs?: number;
}

export interface ExecuteOptions {
  readonly keepTrace?: boolean;
  /** Give the checker this long; needs `now`. Without it the check runs to the end. */
  readonly checkTimeoutMs?: number;
  /** A clock for the checker's time-out (the caller's: src/ outside cli reads no clock). */
  readonly now?: () => number;
  /** Skip the linearizability check (for benchmarks of the simulator alone). */
  readonly skipCheck?: boolean;
  /** End the run as a liveness/event-budget failure past this many trace events (the shrinker's bound on a candidate). */
  readonly maxEvents?: number;
}

export type RunStatus = 'pass' | 'fail' | 'unknown';

export interface RunReport {
  readonly spec: RunSpec;
  /** The scenario the run actually used (after swarm and overrides). */
  readonly effective: Scenario;
  readonly status: RunStatus;
  readonly violation: (Violation | LinearizabilityViolation) | null;
  readonly sim: RunResult;
  readonly check: CheckResult | null;
  readonly checkMs: number;
  /** What the run exercised, and which counters its effective scenario could not move at all. */
  readonly coverage: RunCoverage;
}

export interface RunCoverage {
  /** `sim.coverage`: every counter by name. */
  readonly counts: CoverageCounts;
  /** Counters the effective scenario does not enable (a fault kind it never fires, snapshots when it never compacts). */
  readonly outOfScope: readonly string[];
}

export type { LinearizabilityViolation } from './linearizabilityViolation.js';

/** The scenario a spec runs: swarm draws (from the seed) and overrides applied. */
/** Why a bug cannot run on a scenario (a storage engine bug on the model disk), or null. */
export function bugScenarioProblem(bug: string, scenario: Scenario): string | null {
  if (findMutant(bug)?.layer !== 'storage' || scenario.disk.storage === 'engine') return null;
  return `bug ${bug} lives in the storage engine, but scenario ${scenario.name} runs the model disk (disk.storage "model"), where it cannot happen`;
}

export function effectiveScenario(spec: RunSpec): Scenario {
  let scenario = spec.scenario;
  if (spec.swarm) scenario = swarmScenario(scenario, new Prng(String(spec.seed)).child('swarm'));
  if (spec.overrides) scenario = { ...scenario, ...spec.overrides };
  // A shrunk cluster smaller than its bootstrap configuration keeps every node a voter.
  const voters = scenario.membership?.initialVoters;
  if (voters !== undefined && voters > scenario.nodes) scenario = { ...scenario, membership: { initialVoters: scenario.nodes } };
  return scenario;
}

export async function executeRun(spec: RunSpec, options: ExecuteOptions = {}): Promise<RunReport> {
  const effective = effectiveScenario(spec);
  const bug = spec.bug === null ? undefined : findBug(spec.bug);
  if (spec.bug !== null && !bug) throw new Error(`unknown bug ${spec.bug}`);
  const mutant = bug === undefined ? undefined : findMutant(bug.name);
  if (bug !== undefined && !mutant) throw new Error(`bug ${bug.name} has no mutant in src/mutants`);
  const mismatch = bug === undefined ? null : bugScenarioProblem(bug.name, effective);
  if (mismatch !== null) throw new Error(mismatch);
  const sim = await runScenario(effective, {
    seed: spec.seed, keepTrace: options.keepTrace, factories: mutant,
    plans: spec.plans, faults: spec.faults, source: replayCommand(spec), maxEvents: options.maxEvents,
  });
  const coverage: RunCoverage = { counts: sim.coverage, outOfScope: coverageOutOfScope(effective) };
  if (sim.violation || options.skipCheck) {
    return { spec, effective, status: sim.violation ? 'fail' : 'pass', violation: sim.violation, sim, check: null, checkMs: 0, coverage };
  }
  const started = options.now?.() ?? 0;
  const check = checkOperations(raftsimKvModel, sim.history.operations as never, {
    timeoutMs: options.checkTimeoutMs, now: options.now,
  });
  const checkMs = (options.now?.() ?? 0) - started;
  if (check.result === 'linearizable') return { spec, effective, status: 'pass', violation: null, sim, check, checkMs, coverage };
  if (check.result === 'unknown') return { spec, effective, status: 'unknown', violation: null, sim, check, checkMs, coverage };
  const violation = linearizabilityViolation(sim.history.operations as never, check, sim.virtualMs);
  return { spec, effective, status: 'fail', violation, sim, check, checkMs, coverage };
}
