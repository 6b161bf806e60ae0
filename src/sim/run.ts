/**
 * One seeded run of a scenario, start to verdict: draw the workload and the fault schedule from the
 * seed, run the world through the faults phase, heal, require progress, and report.
 * A run is the seed plus two explicit lists (client operations and fault actions); pass them in to
 * rerun a modified run with every other random choice unchanged.
 */
import { AssertionError } from '../raft/assert.js';
import type { CoverageCounts } from './coverage.js';
import type { FaultAction } from './faults.js';
import type { HistoryFile } from './history.js';
import type { NodeFactories, NodeMutant } from './host.js';
import type { LivenessFigures } from './liveness.js';
import type { Invariant, RareSituations } from './monitors.js';
import { majority } from '../raft/quorum.js';
import { drawFaultSchedule } from './nemesis.js';
import { Prng } from './prng.js';
import type { Scenario } from './scenario.js';
import type { TraceRecord } from './trace.js';
import { FixedWorkload, WorkloadDrawer } from './workload.js';
import type { PlannedOp } from './workload.js';
import { World } from './world.js';

export interface RunOptions {
  readonly seed: number;
  readonly keepTrace?: boolean;
  /** Subclasses of the core to run instead of it (a known bug from the harness's catalog; see NodeFactories). */
  readonly factories?: NodeFactories;
  readonly maxEvents?: number;
  /** Test-only: a node broken on purpose, to show a monitor firing in a real run (see NodeMutant). */
  readonly mutant?: NodeMutant;
  /** Explicit lists, replacing the ones drawn from the seed (for shrinking). */
  readonly plans?: readonly PlannedOp[][];
  readonly faults?: readonly FaultAction[];
  /** What the history file names as its source: the command that reruns this run (the harness builds it). */
  readonly source?: string;
}

export type ViolationKind = 'safety' | 'liveness' | 'crash';

/** Liveness after the heal: a stable leader in time, operations finished, elections that settle. */
export type LivenessInvariant = 'leader-after-heal' | 'operations-complete' | 'elections-after-heal' | 'term-growth-after-heal' | 'elections' | 'leaderless-time' | 'leader-cut-off';

export interface Violation {
  readonly kind: ViolationKind;
  readonly invariant: Invariant | LivenessInvariant | 'event-budget' | 'exception';
  readonly message: string;
  readonly timeMs: number;
  readonly nodes?: number[];
  readonly term?: number | null;
  readonly index?: number | null;
  /** For a crash on a failed core assertion: its message (an invariant the core checks itself). */
  readonly assertion?: string;
}

export interface RunResult {
  readonly scenario: string;
  readonly seed: number;
  readonly ok: boolean;
  readonly traceHash: string;
  readonly violation: Violation | null;
  /** Trace events: every send, delivery, drop, tick, fsync, apply, fault, client call and return. */
  readonly events: number;
  /** Events popped from the event queue (a delivery, a tick, an fsync completion, …). */
  readonly queueEvents: number;
  readonly virtualMs: number;
  readonly operations: number;
  readonly pendingOperations: number;
  /** Elections, time without a leader, highest term: how well the cluster kept a leader. */
  readonly liveness: LivenessFigures;
  /** Legal but rare situations the monitors saw (each once raised a false alarm): see SafetyMonitor.rareSituations. */
  readonly rareSituations: RareSituations;
  readonly faults: readonly FaultAction[];
  /** Each client's operations as far as the run drew them: with `faults`, the run's explicit lists. */
  readonly plans: readonly PlannedOp[][];
  readonly history: HistoryFile;
  readonly trace: TraceRecord[] | null;
  /** What the run exercised: every counter of COVERAGE_COUNTERS (coverage.ts), by name, in order. */
  readonly coverage: CoverageCounts;
}

export const DEFAULT_MAX_EVENTS = 50_000_000;
/** How long a run goes on after the heal when the scenario requires nothing. */
const SETTLE_MS_DEFAULT = 30_000;

export async function runScenario(scenario: Scenario, options: RunOptions): Promise<RunResult> {
  const prng = new Prng(String(options.seed));
  const workload = options.plans ? new FixedWorkload(options.plans) : new WorkloadDrawer(scenario, prng.child('workload'));
  const faults = options.faults ?? drawFaultSchedule(scenario, prng.child('nemesis'));
  const world = new World({
    scenario, seed: String(options.seed), workload, clients: options.plans?.length ?? scenario.workload.clients, keepTrace: options.keepTrace ?? false,
    factories: options.factories, mutant: options.mutant, maxEvents: options.maxEvents ?? DEFAULT_MAX_EVENTS,
  });
  for (const action of faults) world.schedule({ kind: 'fault', action }, action.atMs);
  world.schedule({ kind: 'heal-all' }, scenario.durationMs);

  const { leaderWithinMs, opsCompleteWithinMs, stableLeaderMs } = scenario.liveness;
  const healAt = scenario.durationMs;
  const leaderDeadline = leaderWithinMs === null ? 0 : leaderWithinMs + stableLeaderMs;
  const endMs = healAt + Math.max(leaderDeadline, opsCompleteWithinMs ?? 0, leaderWithinMs || opsCompleteWithinMs ? 0 : SETTLE_MS_DEFAULT);
  const outcome = await world.runUntil(endMs, () =>
    world.healed && world.clientsFinished() && (leaderWithinMs === null || world.liveness.isStable(world.now, stableLeaderMs)));

  let violation = findViolation(world, outcome, scenario);
  if (!violation) {
    // Quorums are the latest committed configuration's: a majority of its voters must hold every acknowledged write.
    const config = world.monitor.latestCommittedConfig;
    world.monitor.checkAcknowledgedWritesKept(config.voters, majority(config.voters.length));
    violation = safety(world);
  }
  return {
    scenario: scenario.name,
    seed: options.seed,
    ok: violation === null,
    traceHash: world.trace.hash(),
    violation,
    events: world.trace.events,
    queueEvents: world.dispatched,
    virtualMs: world.now,
    operations: world.history.operations.length,
    pendingOperations: world.history.pending,
    liveness: world.liveness.figures(world.now),
    rareSituations: world.monitor.rareSituations(),
    faults,
    plans: workload.drawn.map((list) => list.slice()),
    history: world.history.toFile(options.source ?? `scenario ${scenario.name}, seed ${options.seed}`),
    trace: world.trace.records,
    coverage: world.coverage.result({ hosts: world.hosts, clients: world.clientLinks.clients, history: world.history }),
  };
}

/**
 * How long a node may lead without hearing from a majority: the scenario's liveness.maxLeaderCutOffMs,
 * else with CheckQuorum on one minimum election timeout (thesis §6.2: the leader steps down within
 * an election timeout), by the leader's own ticks; without CheckQuorum, unbounded.
 */
export function leaderCutOffBound(scenario: Scenario): number | null {
  const explicit = scenario.liveness.maxLeaderCutOffMs;
  if (explicit !== undefined) return explicit;
  return scenario.raft.checkQuorum === true ? scenario.timing.electionTicksMin * scenario.timing.tickMs : null;
}

function findViolation(world: World, outcome: string, scenario: Scenario): Violation | null {
  if (world.crashError) {
    const error = world.crashError;
    // Where it was thrown: our first frame, past the assert helper itself (which every assertion shares).
    const where = error.stack?.split('\n').find((line) => line.includes('/src/') && !line.includes('/raft/assert.'))?.trim() ?? '';
    const message = `${error.name}: ${error.message}${where ? ` (${where})` : ''}`;
    const assertion = error instanceof AssertionError ? { assertion: error.message } : {};
    return { kind: 'crash', invariant: 'exception', message, timeMs: world.now, ...assertion };
  }
  const fromMonitor = safety(world);
  if (fromMonitor) return fromMonitor;
  if (outcome === 'budget') {
    return { kind: 'liveness', invariant: 'event-budget', message: `the run used its budget of ${world.options.maxEvents} events`, timeMs: world.now };
  }
  const { leaderWithinMs, opsCompleteWithinMs, stableLeaderMs, maxElectionsAfterHeal, maxTermGrowthAfterHeal } = scenario.liveness;
  const healAt = scenario.durationMs;
  const figures = world.liveness.figures(world.now);
  const liveness = (invariant: LivenessInvariant, message: string): Violation => ({ kind: 'liveness', invariant, message, timeMs: world.now });
  const { maxElections, maxLeaderlessMs } = scenario.liveness;
  const maxLeaderCutOffMs = leaderCutOffBound(scenario);
  if (maxLeaderCutOffMs !== null && figures.longestLeaderCutOffMs > maxLeaderCutOffMs) {
    return liveness('leader-cut-off', `a node led ${figures.longestLeaderCutOffMs} ms without hearing from a majority, more than ${maxLeaderCutOffMs} ms (CheckQuorum steps down within an election timeout)`);
  }
  if (maxElections !== undefined && figures.elections > maxElections) {
    return liveness('elections', `${figures.elections} elections over the run, more than the scenario's ${maxElections}`);
  }
  if (maxLeaderlessMs !== undefined && figures.leaderlessMs > maxLeaderlessMs) {
    return liveness('leaderless-time', `${figures.leaderlessMs} ms without a leader over the run, more than the scenario's ${maxLeaderlessMs}`);
  }
  if (maxElectionsAfterHeal !== null && figures.electionsAfterHeal > maxElectionsAfterHeal) {
    return liveness('elections-after-heal', `${figures.electionsAfterHeal} elections after the heal at ${healAt} ms, more than the scenario's ${maxElectionsAfterHeal}`);
  }
  if (maxTermGrowthAfterHeal !== null && figures.termGrowthAfterHeal > maxTermGrowthAfterHeal) {
    return liveness('term-growth-after-heal', `the highest term grew by ${figures.termGrowthAfterHeal} after the heal at ${healAt} ms (to ${figures.highestTerm}), more than the scenario's ${maxTermGrowthAfterHeal}`);
  }
  const stableFrom = figures.stableFromMs;
  if (leaderWithinMs !== null && (stableFrom === null || !world.liveness.isStable(world.now, stableLeaderMs) || stableFrom > healAt + leaderWithinMs)) {
    return liveness('leader-after-heal', `no leader held its term for ${stableLeaderMs} ms without an election, from within ${leaderWithinMs} ms after the heal at ${healAt} ms`);
  }
  if (opsCompleteWithinMs !== null && !world.clientsFinished()) {
    const pending = world.history.pending;
    return { kind: 'liveness', invariant: 'operations-complete' as const, message: `${pending} client operations still unfinished ${opsCompleteWithinMs} ms after the heal at ${healAt} ms`, timeMs: world.now };
  }
  return null;
}

function safety(world: World): Violation | null {
  const v = world.monitor.violation;
  if (!v) return null;
  return { kind: 'safety', invariant: v.invariant, message: v.message, timeMs: v.timeMs, nodes: v.nodes, term: v.term, index: v.index };
}
