/**
 * `npm run bench:sim`: simulator speed on one core, for a 5-node cluster with 5 clients under
 * lossy-churn. Prints queue events per second (each delivery, tick, fsync completion, client step),
 * trace events per second (every send, delivery, drop, apply, … that goes into the hash) and
 * virtual seconds simulated per wall second. Several rounds over the same seeds; medians.
 */
import { loadScenario } from '../src/cli/scenarios.js';
import { runScenario } from '../src/sim/run.js';

const SEEDS = Number(process.env.BENCH_SEEDS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const scenarioName = process.argv[2] ?? 'lossy-churn';
const scenario = loadScenario(scenarioName);

// Warm up the JIT on a few seeds first.
for (let seed = 1000; seed < 1003; seed++) await runScenario(scenario, { seed });

const rounds: { queue: number; trace: number; virtualPerWall: number; wallMs: number }[] = [];
for (let round = 0; round < ROUNDS; round++) {
  let queueEvents = 0;
  let traceEvents = 0;
  let virtualMs = 0;
  const started = performance.now();
  for (let seed = 1; seed <= SEEDS; seed++) {
    const result = await runScenario(scenario, { seed });
    if (!result.ok) console.error(`seed ${seed} failed: ${result.violation?.message}`);
    queueEvents += result.queueEvents;
    traceEvents += result.events;
    virtualMs += result.virtualMs;
  }
  const wallMs = performance.now() - started;
  rounds.push({
    queue: queueEvents / (wallMs / 1000),
    trace: traceEvents / (wallMs / 1000),
    virtualPerWall: virtualMs / wallMs,
    wallMs,
  });
}

const median = (values: number[]) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`bench:sim  scenario ${scenarioName} (${scenario.nodes} nodes, ${scenario.workload.clients} clients), ${SEEDS} seeds x ${ROUNDS} rounds, one core`);
console.log(`  queue events/s        ${fmt(median(rounds.map((r) => r.queue)))}`);
console.log(`  trace events/s        ${fmt(median(rounds.map((r) => r.trace)))}`);
console.log(`  virtual s per wall s  ${fmt(median(rounds.map((r) => r.virtualPerWall)))}`);
console.log(`  wall per round        ${(median(rounds.map((r) => r.wallMs)) / 1000).toFixed(2)} s`);
