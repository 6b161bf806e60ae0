/**
 * Shrinking: finds a smaller run that fails the same way (the same violation kind and invariant).
 * A run is the seed plus explicit lists — the fault schedule and each client's operations — and a
 * few sizes (cluster, duration); the shrinker cuts items and sizes, keeping every other random
 * choice where it was, and keeps a cut only if the run still fails the same way.
 * Passes, repeated until none helps (or the budget of runs is spent):
 *   1. faults: drop chunks of the schedule, halves first, down to single actions;
 *   2. clients: empty a client's whole list;
 *   3. operations: cut each client's list short, then drop chunks of it;
 *   4. time: shorten the faults phase;
 *   5. cluster: try fewer nodes (when no fault names a node beyond them).
 */
import type { FaultAction } from '../sim/faults.js';
import type { PlannedOp } from '../sim/workload.js';
import { executeRun } from './execute.js';
import type { ExecuteOptions, RunReport, RunSpec } from './execute.js';

export interface ShrinkOptions extends ExecuteOptions {
  /** At most this many candidate runs. */
  readonly maxRuns?: number;
  readonly onProgress?: (runs: number, best: RunSize) => void;
}

export interface RunSize {
  readonly faults: number;
  readonly clients: number;
  readonly operations: number;
  readonly durationMs: number;
  readonly nodes: number;
}

export interface ShrinkResult {
  readonly original: RunReport;
  readonly shrunk: RunReport;
  readonly before: RunSize;
  readonly after: RunSize;
  readonly runs: number;
}

export function sizeOf(report: RunReport): RunSize {
  const plans = report.spec.plans ?? report.sim.plans;
  return {
    faults: (report.spec.faults ?? report.sim.faults).length,
    clients: plans.filter((list) => list.length > 0).length,
    operations: plans.reduce((sum, list) => sum + list.length, 0),
    durationMs: report.effective.durationMs,
    nodes: report.effective.nodes,
  };
}

export async function shrinkRun(spec: RunSpec, options: ShrinkOptions = {}): Promise<ShrinkResult> {
  const maxRuns = options.maxRuns ?? 400;
  const original = await executeRun(spec, options);
  if (original.status !== 'fail') throw new Error('shrink: the run does not fail');
  const target = `${original.violation!.kind}/${original.violation!.invariant}`;
  // Make the lists explicit, so that every later change is a cut of a list.
  let best: RunReport = { ...original, spec: { ...spec, faults: original.sim.faults, plans: original.sim.plans.map((l) => l.slice()) } };
  let runs = 1;
  const tryCandidate = async (candidate: RunSpec): Promise<boolean> => {
    if (runs >= maxRuns) return false;
    runs++;
    const report = await executeRun(candidate, options);
    const same = report.status === 'fail' && `${report.violation!.kind}/${report.violation!.invariant}` === target;
    if (same) {
      best = report;
      options.onProgress?.(runs, sizeOf(best));
    }
    return same;
  };
  for (let round = 0; round < 6 && runs < maxRuns; round++) {
    const before = JSON.stringify(sizeOf(best));
    await shrinkFaults(() => best.spec, tryCandidate);
    await shrinkClients(() => best.spec, tryCandidate);
    await shrinkOperations(() => best.spec, tryCandidate);
    await shrinkDuration(() => best, tryCandidate);
    await shrinkNodes(() => best, tryCandidate);
    if (JSON.stringify(sizeOf(best)) === before) break;
  }
  return { original, shrunk: best, before: sizeOf(original), after: sizeOf(best), runs };
}

type Try = (candidate: RunSpec) => Promise<boolean>;

/** Drops chunks of a list, from halves down to single items (ddmin-style); returns nothing. */
async function cutChunks<T>(get: () => readonly T[], rebuild: (items: T[]) => RunSpec, tryCandidate: Try): Promise<void> {
  for (let chunk = Math.max(1, Math.floor(get().length / 2)); chunk >= 1; chunk = Math.floor(chunk / 2)) {
    for (let start = 0; start < get().length; ) {
      const items = get();
      const candidate = [...items.slice(0, start), ...items.slice(start + chunk)];
      if (!(await tryCandidate(rebuild(candidate)))) start += chunk;
    }
  }
}

async function shrinkFaults(spec: () => RunSpec, tryCandidate: Try): Promise<void> {
  await cutChunks<FaultAction>(() => spec().faults ?? [], (faults) => ({ ...spec(), faults }), tryCandidate);
}

async function shrinkClients(spec: () => RunSpec, tryCandidate: Try): Promise<void> {
  const count = spec().plans?.length ?? 0;
  for (let client = count - 1; client >= 0; client--) {
    const plans = spec().plans!;
    if (plans[client]!.length === 0) continue;
    await tryCandidate({ ...spec(), plans: plans.map((list, i) => (i === client ? [] : list)) });
  }
}

async function shrinkOperations(spec: () => RunSpec, tryCandidate: Try): Promise<void> {
  const count = spec().plans?.length ?? 0;
  for (let client = 0; client < count; client++) {
    const withList = (list: PlannedOp[]): RunSpec => ({ ...spec(), plans: spec().plans!.map((l, i) => (i === client ? list : l)) });
    // Cut the list short: binary search for the shortest prefix that still fails.
    let low = 0;
    let high = spec().plans![client]!.length;
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      if (await tryCandidate(withList(spec().plans![client]!.slice(0, mid)))) high = mid;
      else low = mid + 1;
    }
    await cutChunks<PlannedOp>(() => spec().plans![client]!, withList, tryCandidate);
  }
}

async function shrinkDuration(best: () => RunReport, tryCandidate: Try): Promise<void> {
  const lastFault = Math.max(0, ...(best().spec.faults ?? []).map((a) => a.atMs));
  for (let attempt = 0; attempt < 8; attempt++) {
    const current = best().effective.durationMs;
    const shorter = Math.max(lastFault + 1, Math.floor(current / 2));
    if (shorter >= current) return;
    if (!(await tryCandidate({ ...best().spec, overrides: { ...best().spec.overrides, durationMs: shorter } }))) {
      const gentler = Math.max(lastFault + 1, Math.floor((current * 3) / 4));
      if (gentler >= current || !(await tryCandidate({ ...best().spec, overrides: { ...best().spec.overrides, durationMs: gentler } }))) return;
    }
  }
}

async function shrinkNodes(best: () => RunReport, tryCandidate: Try): Promise<void> {
  for (let nodes = 1; nodes < best().effective.nodes; nodes++) {
    const named = (best().spec.faults ?? []).every((action) => maxNode(action) <= nodes);
    if (named && (await tryCandidate({ ...best().spec, overrides: { ...best().spec.overrides, nodes } }))) return;
  }
}

function maxNode(action: FaultAction): number {
  switch (action.kind) {
    case 'crash': case 'isolate': return action.node === 'leader' ? 0 : action.node;
    case 'restart': case 'bridge': return action.node;
    case 'crash-many': return Math.max(0, ...action.nodes);
    case 'partition': return Math.max(0, ...action.groups.flat());
    case 'ring': return Math.max(0, ...action.order);
    case 'one-way': case 'hold': case 'release': return Math.max(action.from, action.to);
    default: return 0;
  }
}
