/**
 * `npm run bench:shrink`: the shrinker on every catalog bug. For each, the run that catches it
 * (its scenario, swarm on, the seed of the README's catalog table, as `bugs --self-test` finds
 * it) is shrunk with a budget of BENCH_SHRINK_SECONDS (default 30) of wall time; one line each:
 * sizes before → after (faults, clients, operations, virtual ms), runs, seconds, minimal|budget.
 * A figure, not a test: wall times vary with the machine. `node dist/bench/shrink.js BUG…` runs
 * only the bugs named.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../src/cli/scenarios.js';
import { BUGS } from '../src/harness/bugs.js';
import type { BugEntry } from '../src/harness/bugs.js';
import { shrinkRun } from '../src/harness/shrink.js';
import type { RunSize, ShrinkResult } from '../src/harness/shrink.js';
import { findBugSeed } from '../src/harness/selfTest.js';

const SECONDS = Number(process.env.BENCH_SHRINK_SECONDS ?? 30);
const MAX_RUNS = Number(process.env.BENCH_SHRINK_RUNS ?? 5000);
const CHECK_TIMEOUT_MS = 10_000;
const now = () => performance.now();

/** The seed in the README's catalog table (the self-test's figure), or the self-test's search. */
async function catchingSeed(bug: BugEntry): Promise<number | null> {
  const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
  const row = readme.split('\n').find((line) => line.startsWith(`| \`${bug.name}\` |`));
  const seed = Number(row?.split('|')[6]?.trim());
  if (Number.isInteger(seed) && seed >= 1) return seed;
  return (await findBugSeed(bug, loadScenario(bug.scenario), 2000, { timeoutMs: CHECK_TIMEOUT_MS, now }))?.seed ?? null;
}

const size = (s: RunSize): string => `${s.faults} faults, ${s.clients} clients, ${s.operations} ops, ${s.virtualMs} ms, ${s.nodes} nodes`;

function line(bug: BugEntry, seed: number, result: ShrinkResult): string {
  const seconds = ((result.elapsedMs ?? 0) / 1000).toFixed(1);
  return `${bug.name.padEnd(30)} ${`${bug.scenario} seed ${seed}`.padEnd(26)} ${size(result.before)} → ${size(result.after)}; ` +
    `${result.runs} runs, ${seconds} s, ${result.outcome === 'minimal' ? 'minimal' : 'budget'}`;
}

const only = process.argv.slice(2);
const bugs = only.length ? BUGS.filter((bug) => only.includes(bug.name)) : BUGS;
console.log(`shrink each catalog bug's catching run: budget ${SECONDS} s or ${MAX_RUNS} runs each, check time-out ${CHECK_TIMEOUT_MS / 1000} s`);
for (const bug of bugs) {
  const seed = await catchingSeed(bug);
  if (seed === null) {
    console.log(`${bug.name}: no catching seed`);
    continue;
  }
  const spec = { scenario: loadScenario(bug.scenario), scenarioRef: bug.scenario, seed, swarm: true, bug: bug.name };
  const result = await shrinkRun(spec, { maxRuns: MAX_RUNS, timeBudgetMs: SECONDS * 1000, checkTimeoutMs: CHECK_TIMEOUT_MS, now });
  console.log(line(bug, seed, result));
}
