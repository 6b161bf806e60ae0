/**
 * The cuts the shrinker tries, as pure functions from a run spec to a smaller one: its fault list,
 * its operations (in rough time order, across clients), a key, a node, a window of the faults
 * phase. Each keeps every other choice of the run where it was; whether the smaller run still
 * fails the same way is for a run to say (shrink.ts).
 */
import type { FaultAction } from '../sim/faults.js';
import type { PlannedOp } from '../sim/workload.js';
import type { RunSpec } from './execute.js';

/** A spec whose lists are explicit (every spec the shrinker makes). */
export type ExplicitSpec = RunSpec & { readonly plans: readonly PlannedOp[][]; readonly faults: readonly FaultAction[] };

/** One operation of one client: client index (0-based) and position in its list. */
export interface OpRef {
  readonly client: number;
  readonly index: number;
}

export function withFaults(spec: ExplicitSpec, faults: readonly FaultAction[]): ExplicitSpec {
  return { ...spec, faults };
}

export function withDuration(spec: ExplicitSpec, durationMs: number): ExplicitSpec {
  return { ...spec, overrides: { ...spec.overrides, durationMs } };
}

/**
 * Every operation, ordered by position then client: the first operation of each client, then the
 * second, … Lists advance together in time, so the later half of this order is roughly the later
 * half of the run, and ddmin's halves cut time across all clients at once.
 */
export function opsInTimeOrder(plans: readonly (readonly PlannedOp[])[]): OpRef[] {
  const refs: OpRef[] = [];
  const longest = Math.max(0, ...plans.map((list) => list.length));
  for (let index = 0; index < longest; index++) {
    for (let client = 0; client < plans.length; client++) if (index < plans[client]!.length) refs.push({ client, index });
  }
  return refs;
}

/** The spec with only the operations `kept` (from opsInTimeOrder of its plans), each client's in order. */
export function keepOps(spec: ExplicitSpec, kept: readonly OpRef[]): ExplicitSpec {
  const keep = spec.plans.map(() => new Set<number>());
  for (const ref of kept) keep[ref.client]!.add(ref.index);
  return { ...spec, plans: spec.plans.map((list, client) => list.filter((_, index) => keep[client]!.has(index))) };
}

/**
 * `plans` without the operations `current` no longer has (by identity: every list is cut from the
 * same objects). A ddmin builds its candidates from the lists it started with; a trim after a kept
 * cut may have dropped more since, which the next candidate must not bring back.
 */
export function within(plans: readonly (readonly PlannedOp[])[], current: readonly (readonly PlannedOp[])[]): PlannedOp[][] {
  const still = new Set(current.flat());
  return plans.map((list) => list.filter((planned) => still.has(planned)));
}

export function withClientList(spec: ExplicitSpec, client: number, list: readonly PlannedOp[]): ExplicitSpec {
  return { ...spec, plans: spec.plans.map((l, i) => (i === client ? list.slice() : l)) };
}

/** The keys the operations touch, in first-use order. */
export function keysOf(plans: readonly (readonly PlannedOp[])[]): string[] {
  return [...new Set(opsInTimeOrder(plans).map((ref) => plans[ref.client]![ref.index]!.op.key))];
}

export function dropKey(spec: ExplicitSpec, key: string): ExplicitSpec {
  return { ...spec, plans: spec.plans.map((list) => list.filter((planned) => planned.op.key !== key)) };
}

/** Only the operations on `keys`: for a linearizability failure, the keys the checker found at fault. */
export function keepKeys(spec: ExplicitSpec, keys: ReadonlySet<string>): ExplicitSpec {
  return { ...spec, plans: spec.plans.map((list) => list.filter((planned) => keys.has(planned.op.key))) };
}

/** The faults phase in equal windows: about `count` of them, none shorter than `minMs`. */
export function timeWindows(durationMs: number, count: number, minMs: number): { start: number; end: number }[] {
  const size = Math.max(1, minMs, Math.ceil(durationMs / count));
  const windows: { start: number; end: number }[] = [];
  for (let start = 0; start < durationMs; start += size) windows.push({ start, end: Math.min(durationMs, start + size) });
  return windows;
}

/**
 * The faults phase with only the windows `kept`: faults inside a dropped window go, later ones move
 * earlier by the time dropped before them, and the phase (the heal) ends as much earlier.
 */
export function keepWindows(spec: ExplicitSpec, all: readonly { start: number; end: number }[], kept: readonly { start: number; end: number }[]): ExplicitSpec {
  const keptSet = new Set(kept);
  const shiftAt = (time: number): number | null => {
    let dropped = 0;
    for (const window of all) {
      if (time < window.start) break;
      if (time < window.end) return keptSet.has(window) ? time - dropped : null;
      if (!keptSet.has(window)) dropped += window.end - window.start;
    }
    return time - dropped;
  };
  const faults: FaultAction[] = [];
  for (const action of spec.faults) {
    const atMs = shiftAt(action.atMs);
    if (atMs !== null) faults.push({ ...action, atMs });
  }
  const durationMs = Math.max(1, kept.reduce((sum, window) => sum + window.end - window.start, 0));
  return withDuration(withFaults(spec, faults), durationMs);
}

/** Node ids an action names (the leader, resolved when it fires, names none). */
export function nodesNamed(action: FaultAction): number[] {
  const a = action as Record<string, unknown>;
  const named: number[] = [];
  for (const field of ['node', 'from', 'to']) if (typeof a[field] === 'number') named.push(a[field] as number);
  for (const field of ['nodes', 'order']) if (Array.isArray(a[field])) named.push(...(a[field] as number[]));
  if (Array.isArray(a.groups)) named.push(...(a.groups as number[][]).flat());
  return named;
}

/**
 * The cluster without node `node`: faults that name it go, and nodes above it move down by one,
 * so that a cluster of n − 1 nodes is numbered 1 … n − 1 again.
 */
export function dropNode(spec: ExplicitSpec, nodes: number, node: number): ExplicitSpec {
  const renumber = (id: number): number => (id > node ? id - 1 : id);
  const faults = spec.faults
    .filter((action) => !nodesNamed(action).includes(node))
    .map((action) => renumberAction(action, renumber));
  return { ...withFaults(spec, faults), overrides: { ...spec.overrides, nodes: nodes - 1 } };
}

function renumberAction(action: FaultAction, renumber: (id: number) => number): FaultAction {
  const a = { ...(action as Record<string, unknown>) };
  for (const field of ['node', 'from', 'to']) if (typeof a[field] === 'number') a[field] = renumber(a[field] as number);
  for (const field of ['nodes', 'order']) if (Array.isArray(a[field])) a[field] = (a[field] as number[]).map(renumber);
  if (Array.isArray(a.groups)) a.groups = (a.groups as number[][]).map((group) => group.map(renumber));
  return a as unknown as FaultAction;
}
