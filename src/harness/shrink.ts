/**
 * Shrinking: finds a smaller run that fails the same way (the same violation kind and invariant,
 * and for a failed assertion the same assertion). A run is the seed plus explicit lists (the fault
 * schedule and each client's operations) and a few sizes (cluster, faults phase); the shrinker
 * cuts items and sizes, keeping every other random choice where it was, and keeps a cut only if
 * the run still fails the same way.
 *
 * It goes round the passes (shrinkPasses.ts) until a whole round keeps no cut: then no single
 * operation, fault, client, key, node or window of the faults phase (a sixteenth of it, at least a
 * tick) can go, and the result is "minimal" (a local minimum: two cuts together might still go).
 * Or the budget (runs, wall time) runs out first, and it says so. After every kept cut the run is
 * cut short just past the moment its failure was settled (shrinkTrim.ts), so virtual time shrinks
 * with the rest; and a candidate may not run past 1.5 times the best run's events, so a cut that
 * fails only much later counts as one that does not fail (the run must not grow in time).
 */
import { executeRun } from './execute.js';
import type { ExecuteOptions, RunReport, RunSpec } from './execute.js';
import { cutClients, cutEachClient, cutFaults, cutKeys, cutNodes, cutOperations, cutTime, focusOnFailingKeys } from './shrinkPasses.js';
import { ShrinkSearch, failureKey, sizeOf } from './shrinkSearch.js';
import type { RunSize, ShrinkProgress } from './shrinkSearch.js';

export { sizeOf } from './shrinkSearch.js';
export type { RunSize, ShrinkPass, ShrinkProgress } from './shrinkSearch.js';

export const DEFAULT_MAX_RUNS = 2000;

export interface ShrinkOptions extends ExecuteOptions {
  /** At most this many runs, the original included. */
  readonly maxRuns?: number;
  /** At most this much wall time, by `now` (the caller's clock); ignored without `now`. */
  readonly timeBudgetMs?: number;
  readonly onProgress?: (progress: ShrinkProgress) => void;
}

/** minimal: a whole round kept no cut; budget: the runs or the time ran out first. */
export type ShrinkOutcome = 'minimal' | 'budget';

export interface ShrinkResult {
  readonly original: RunReport;
  readonly shrunk: RunReport;
  readonly before: RunSize;
  readonly after: RunSize;
  readonly runs: number;
  /** Wall time, by `now` (null without one). */
  readonly elapsedMs: number | null;
  readonly outcome: ShrinkOutcome;
}

export async function shrinkRun(spec: RunSpec, options: ShrinkOptions = {}): Promise<ShrinkResult> {
  const { maxRuns = DEFAULT_MAX_RUNS, timeBudgetMs, onProgress, ...execute } = options;
  const startedAt = options.now?.();
  const original = await executeRun(spec, execute);
  if (failureKey(original) === null) throw new Error('shrink: the run does not fail');
  const search = new ShrinkSearch(original, { maxRuns, timeBudgetMs, now: options.now, onProgress, startedAt }, execute);
  await search.trim();
  for (let round = 0; !search.exhausted(); round++) {
    const bestBefore = search.best;
    await roundOfCuts(search, round === 0);
    if (search.best === bestBefore && !search.budgetHit) break;
  }
  const budgetHit = search.budgetHit;
  // A safety violation or a crash: end exactly there, even where that gains only a few ms. The run
  // is the same up to its violation, so the minimum stays one. (Not a linearizability failure,
  // whose operations in flight may end otherwise.)
  if (search.best.violation!.kind !== 'linearizability') await search.trim(true);
  const outcome: ShrinkOutcome = budgetHit ? 'budget' : 'minimal';
  return { original, shrunk: search.best, before: sizeOf(original), after: sizeOf(search.best), runs: search.runs, elapsedMs: search.elapsedMs(), outcome };
}

/** Every kind of cut once; the first round also cuts each client's list by itself. */
async function roundOfCuts(search: ShrinkSearch, first: boolean): Promise<void> {
  const options = { fine: !first };
  if (first) await focusOnFailingKeys(search);
  // Whole clients, keys and nodes first: few runs, and each kept one makes every later run cheaper.
  await cutClients(search);
  await cutKeys(search);
  await cutNodes(search);
  await cutOperations(search, options);
  await cutTime(search, options);
  await cutFaults(search, options);
  if (first) await cutEachClient(search);
}
