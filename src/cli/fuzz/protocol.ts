/**
 * What the main thread and the fuzz workers say to each other. Results are small on purpose: no
 * history, no trace. A failing seed is re-run in the main thread when its files are wanted (the
 * run is deterministic, so the re-run is the same run).
 */
import type { RunStatus } from '../../harness/execute.js';
import type { Scenario } from '../../sim/scenario.js';
import type { BlamedOperationJson } from '../../harness/linearizabilityViolation.js';

/** Given to every worker once, at start (`workerData`). */
export interface WorkerSetup {
  readonly scenarios: readonly { readonly ref: string; readonly scenario: Scenario }[];
  readonly swarm: boolean;
  readonly bug: string | null;
  readonly checkTimeoutMs: number;
}

export interface RunRequest {
  /** The pool's id of this job (a run, or one of its two attempts under --check-determinism). */
  readonly job: number;
  readonly scenarioIndex: number;
  readonly seed: number;
}

/** A violation as reported by a run, without the long explanation of a linearizability failure. */
export interface ViolationSummary {
  readonly kind: string;
  readonly invariant: string;
  readonly message: string;
  readonly timeMs: number;
  readonly nodes?: number[];
  readonly term?: number | null;
  readonly index?: number | null;
  /** A linearizability failure: the operation it is blamed on. */
  readonly operation?: BlamedOperationJson;
}

export interface RunOutcome {
  readonly scenarioIndex: number;
  readonly seed: number;
  readonly status: RunStatus;
  readonly violation: ViolationSummary | null;
  readonly traceHash: string;
  readonly events: number;
  readonly virtualMs: number;
  readonly operations: number;
  readonly pendingOperations: number;
  /** Whether the linearizability check ran (it does not after a violation in the simulation). */
  readonly checked: boolean;
  readonly checkMs: number;
  readonly wallMs: number;
  /** What the run exercised (see src/cli/fuzz/coverage.ts); absent when the run crashed in its worker. */
  readonly coverage?: OutcomeCoverage;
}

/** A run's coverage, compact: counts in COVERAGE_NAMES order, and the indexes of counters out of its scope. */
export interface OutcomeCoverage {
  readonly counts: readonly number[];
  readonly outOfScope: readonly number[];
}

export type WorkerMessage =
  /** Sent once the worker's modules have loaded: a worker that dies before this could not start. */
  | { readonly type: 'ready' }
  | WorkerReply;

export interface WorkerReply {
  readonly type: 'result';
  readonly job: number;
  readonly outcome: RunOutcome;
}

/** A run that ended in an exception of our own code, or whose worker died under it. */
export function crashOutcome(scenarioIndex: number, seed: number, message: string, wallMs: number): RunOutcome {
  return {
    scenarioIndex, seed, status: 'fail',
    violation: { kind: 'crash', invariant: 'exception', message, timeMs: 0 },
    traceHash: '', events: 0, virtualMs: 0, operations: 0, pendingOperations: 0, checked: false, checkMs: 0, wallMs,
  };
}
