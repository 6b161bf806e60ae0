/** Small explicit runs for the fault tests: a scenario from a few fields, a world with its trace. */
import type { FaultAction } from '../../src/sim/faults.js';
import type { NodeHost } from '../../src/sim/host.js';
import { Prng } from '../../src/sim/prng.js';
import { parseScenario, type Scenario } from '../../src/sim/scenario.js';
import type { TraceRecord } from '../../src/sim/trace.js';
import { WorkloadDrawer } from '../../src/sim/workload.js';
import { World } from '../../src/sim/world.js';

/**
 * A quiet 3-node cluster with one client: no drops, latency 1..5 ms, fsync 1..2 ms, on the model
 * disk (these tests pin the world's fault mechanics to the fsync; test/sim/engine runs the engine).
 */
export function tinyScenario(fields: Record<string, unknown> = {}): Scenario {
  const base: Record<string, unknown> = {
    nodes: 3,
    timing: { latencyMsMin: 1, latencyMsMean: 2, latencyMsMax: 5, fsyncMsMin: 1, fsyncMsMax: 2 },
    workload: { clients: 1, opsPerClient: 100_000, keys: 3 },
    disk: { storage: 'model' },
    durationMs: 3000,
    liveness: { leaderWithinMs: 3000, opsCompleteWithinMs: 5000 },
  };
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(fields)) {
    const old = base[key];
    merged[key] = isObject(old) && isObject(value) ? { ...old, ...value } : value;
  }
  return parseScenario(merged, 'test');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface TestRun {
  readonly world: World;
  readonly trace: TraceRecord[];
  /** Ticks per node, counted as the node runs them. */
  readonly ticks: number[];
  /** [time, node] of every tick. */
  readonly tickTimes: [number, number][];
}

/** Builds the world as runScenario does, with these faults, and runs it to `endMs`. */
export function runWorld(scenario: Scenario, seed: number, faults: readonly FaultAction[], endMs = scenario.durationMs + 2000): TestRun {
  const world = makeWorld(scenario, seed, faults);
  const ticks = new Array<number>(scenario.nodes + 1).fill(0);
  const tickTimes: [number, number][] = [];
  const tickOnce = world.tickOnce.bind(world);
  world.tickOnce = (host: NodeHost) => {
    ticks[host.id]++;
    tickTimes.push([world.now, host.id]);
    tickOnce(host);
  };
  world.runUntil(endMs, () => false);
  if (world.crashError) throw world.crashError;
  return { world, trace: world.trace.records!, ticks, tickTimes };
}

export function makeWorld(scenario: Scenario, seed: number, faults: readonly FaultAction[]): World {
  const prng = new Prng(String(seed));
  const world = new World({
    scenario, seed: String(seed), workload: new WorkloadDrawer(scenario, prng.child('workload')),
    clients: scenario.workload.clients, keepTrace: true, maxEvents: 5_000_000,
  });
  for (const action of faults) world.schedule({ kind: 'fault', action }, action.atMs);
  world.schedule({ kind: 'heal-all' }, scenario.durationMs);
  return world;
}

export function records(run: TestRun, ev: string, where: (r: TraceRecord) => boolean = () => true): TraceRecord[] {
  return run.trace.filter((r) => r.ev === ev && where(r));
}

/** The leader of the highest term once the run settled. */
export function leaderAt(run: TestRun, t: number): number | null {
  let leader: number | null = null;
  let term = -1;
  const roles = new Map<number, { role: string; term: number }>();
  for (const r of run.trace) {
    if (Number(r.t) > t) break;
    if (r.ev === 'role') roles.set(Number(r.node), { role: String(r.role), term: Number(r.term) });
    if (r.ev === 'crash') roles.delete(Number(r.node));
  }
  for (const [node, state] of roles) {
    if (state.role === 'leader' && state.term > term) {
      leader = node;
      term = state.term;
    }
  }
  return leader;
}
