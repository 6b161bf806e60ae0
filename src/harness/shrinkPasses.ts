/**
 * One pass of the shrinker per kind of cut. Passes that cut a list use ddmin (halves, quarters, …,
 * single items); the others try each item once (a client, a key, a node). `fine`: start ddmin at
 * single items (every pass after the first, when the lists are already short and what is left is
 * to show that no single item can go).
 */
import { ddmin } from './ddmin.js';
import {
  dropKey, dropNode, keepKeys, keepOps, keepWindows, keysOf, opsInTimeOrder, timeWindows, withClientList, withFaults, within,
} from './shrinkCuts.js';
import type { RunReport } from './execute.js';
import type { PlannedOp } from '../sim/workload.js';
import type { ExplicitSpec, OpRef } from './shrinkCuts.js';
import type { ShrinkSearch } from './shrinkSearch.js';

/** The faults phase is cut in about this many windows (none shorter than a tick). */
export const TIME_WINDOWS = 16;

export interface PassOptions {
  readonly fine: boolean;
}

const startChunk = (options: PassOptions): number | undefined => (options.fine ? 1 : undefined);

/** Operations across clients, in rough time order: the later half of the run first. */
export async function cutOperations(search: ShrinkSearch, options: PassOptions): Promise<void> {
  const base = search.spec;
  const candidate = (kept: OpRef[]): ExplicitSpec => ({ ...search.spec, plans: within(keepOps(base, kept).plans, search.spec.plans) });
  await ddmin(opsInTimeOrder(base.plans), (kept) => search.attempt(candidate(kept), 'operations'),
    { startChunk: startChunk(options), stop: () => search.exhausted() });
}

/** Each client's own list, by ddmin (what the cut across clients, aligned on positions, can miss). */
export async function cutEachClient(search: ShrinkSearch): Promise<void> {
  for (let client = search.spec.plans.length - 1; client >= 0; client--) {
    if (search.spec.plans[client]!.length < 2) continue;
    const candidate = (list: PlannedOp[]): ExplicitSpec => ({ ...search.spec, plans: within(withClientList(search.spec, client, list).plans, search.spec.plans) });
    await ddmin(search.spec.plans[client]!, (list) => search.attempt(candidate(list), 'operations'), { stop: () => search.exhausted() });
  }
}

export async function cutFaults(search: ShrinkSearch, options: PassOptions): Promise<void> {
  // No trim while faults go (it would drop faults too); once, after.
  await ddmin(search.spec.faults.slice(), (kept) => search.attempt(withFaults(search.spec, kept), 'faults', false),
    { startChunk: startChunk(options), stop: () => search.exhausted() });
  await search.trim();
}

/**
 * Windows of the faults phase: a dropped window takes its faults with it and brings the heal
 * earlier. Not for a liveness failure: its invariants count from the heal (elections after it, a
 * leader within a bound of it), so a heal moved to the start would fail them for no bug at all.
 */
export async function cutTime(search: ShrinkSearch, options: PassOptions): Promise<void> {
  if (search.best.violation!.kind === 'liveness') return;
  await search.trim();
  const base = search.spec;
  const windows = timeWindows(search.best.effective.durationMs, TIME_WINDOWS, search.best.effective.timing.tickMs);
  await ddmin(windows, (kept) => search.attempt({ ...keepWindows(base, windows, kept), plans: search.spec.plans }, 'time', false),
    { startChunk: startChunk(options), stop: () => search.exhausted() });
  await search.trim();
}

/** Whole clients: each one's list emptied. */
export async function cutClients(search: ShrinkSearch): Promise<void> {
  for (let client = search.spec.plans.length - 1; client >= 0; client--) {
    if (search.exhausted()) return;
    if (search.spec.plans[client]!.length > 0) await search.attempt(withClientList(search.spec, client, []), 'clients');
  }
}

/** For a linearizability failure: every key but the ones the checker found at fault, at once (one run for many). */
export async function focusOnFailingKeys(search: ShrinkSearch): Promise<void> {
  const failing = failingKeys(search.best);
  if (failing.size > 0 && !search.exhausted()) await search.attempt(keepKeys(search.spec, failing), 'keys');
}

/** Every operation on one key. */
export async function cutKeys(search: ShrinkSearch): Promise<void> {
  for (const key of keysOf(search.spec.plans)) {
    if (search.exhausted()) return;
    await search.attempt(dropKey(search.spec, key), 'keys');
  }
}

/** One node at a time, highest first, with the faults that name it. */
export async function cutNodes(search: ShrinkSearch): Promise<void> {
  for (let node = search.best.effective.nodes; node >= 1; node--) {
    const nodes = search.best.effective.nodes;
    if (nodes <= 1 || search.exhausted()) return;
    if (node <= nodes) await search.attempt(dropNode(search.spec, nodes, node), 'nodes');
  }
}

/** The keys of the parts the checker found not linearizable (none for another failure). */
function failingKeys(report: RunReport): Set<string> {
  const keys = new Set<string>();
  const operations = report.sim.history.operations;
  for (const part of report.check?.parts ?? []) {
    if (part.result !== 'not-linearizable') continue;
    for (const index of part.operations) keys.add(operations[index]!.input.key);
  }
  return keys;
}
