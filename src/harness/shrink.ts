/**
 * Shrinking: finds a smaller run that fails the same way (the same violation kind and invariant,
 * and for a failed assertion the same assertion). A run is the seed plus explicit lists (the fault
 * schedule and each client's operations) and a few sizes (cluster, faults phase); the shrinker
 * cuts items and sizes, keeping every other random choice where it was, and keeps a cut only if
 * the run still fails the same way.
 *
 * It goes round the passes (shrinkPasses.ts) until a whole round keeps no cut: then no single
 * operation, fault, client, key, node or window of the faults phase can go, and the result is
 * "minimal" (a local minimum: two cuts together might still go). Or the budget (runs, wall time)
 * runs out first, and it says so. A run that stops at its violation (safety, crash) is cut short
 * just past it after every step, so virtual time shrinks with the rest.
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
    const runsBefore = search.best;
    await roundOfCuts(search, round === 0);
    if (search.best === runsBefore && !search.budgetHit) break;
  }
  // Ends exactly at the violation, even where that gains only a few ms (a trim keeps the run as it was up to there).
  const budgetHit = search.budgetHit;
  await search.trim(true);
  const outcome: ShrinkOutcome = budgetHit ? 'budget' : 'minimal';
  return { original, shrunk: search.best, before: sizeOf(original), after: sizeOf(search.best), runs: search.runs, elapsedMs: search.elapsedMs(), outcome };
}

/** Every kind of cut once; the first round also cuts each client's list by itself. */
async function roundOfCuts(search: ShrinkSearch, first: boolean): Promise<void> {
  const options = { fine: !first };
  if (first) await focusOnFailingKeys(search);
  await cutOperations(search, options);
  await cutTime(search, options);
  await cutFaults(search, options);
  await cutClients(search);
  await cutKeys(search);
  await cutNodes(search);
  if (first) await cutEachClient(search);
}
