/**
 * `npm run bench:sim`: simulator speed on one core, for a 5-node cluster with 5 clients under
 * lossy-churn, with each disk: the fast in-memory model and the real storage engine on the
 * simulated file system (disk.storage "model" and "engine"), rounds interleaved so that both see
 * the same machine. Prints queue events per second (each delivery, tick, fsync completion, engine
 * wake-up, client step), trace events per second (every send, delivery, drop, apply, … that goes
 * into the hash) and virtual seconds simulated per wall second. Medians over the rounds.
 */
import { loadScenario } from '../src/cli/scenarios.js';
import { runScenario } from '../src/sim/run.js';
import type { Scenario, StorageModel } from '../src/sim/scenario.js';

const SEEDS = Number(process.env.BENCH_SEEDS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const scenarioName = process.argv[2] ?? 'lossy-churn';
const base = loadScenario(scenarioName);
const MODELS: readonly StorageModel[] = ['model', 'engine'];
const withDisk = (storage: StorageModel): Scenario => ({ ...base, disk: { ...base.disk, storage } });

interface Round { queue: number; trace: number; virtualPerWall: number; wallMs: number }

async function round(scenario: Scenario): Promise<Round> {
  let queueEvents = 0;
  let traceEvents = 0;
  let virtualMs = 0;
  const started = performance.now();
  for (let seed = 1; seed <= SEEDS; seed++) {
    const result = await runScenario(scenario, { seed });
    if (!result.ok) console.error(`${scenario.disk.storage} seed ${seed} failed: ${result.violation?.message}`);
    queueEvents += result.queueEvents;
    traceEvents += result.events;
    virtualMs += result.virtualMs;
  }
  const wallMs = performance.now() - started;
  return { queue: queueEvents / (wallMs / 1000), trace: traceEvents / (wallMs / 1000), virtualPerWall: virtualMs / wallMs, wallMs };
}

// Warm up the JIT on a few seeds of each first.
for (const storage of MODELS) for (let seed = 1000; seed < 1003; seed++) await runScenario(withDisk(storage), { seed });

const rounds = new Map<StorageModel, Round[]>(MODELS.map((m) => [m, []]));
for (let r = 0; r < ROUNDS; r++) for (const storage of MODELS) rounds.get(storage)!.push(await round(withDisk(storage)));

const median = (values: number[]) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`bench:sim  scenario ${scenarioName} (${base.nodes} nodes, ${base.workload.clients} clients), ${SEEDS} seeds x ${ROUNDS} rounds, one core`);
console.log(`  ${'disk.storage'.padEnd(22)}${MODELS.map((m) => m.padStart(12)).join('')}`);
const row = (label: string, pick: (r: Round) => number, show: (n: number) => string) =>
  console.log(`  ${label.padEnd(22)}${MODELS.map((m) => show(median(rounds.get(m)!.map(pick))).padStart(12)).join('')}`);
row('queue events/s', (r) => r.queue, fmt);
row('trace events/s', (r) => r.trace, fmt);
row('virtual s per wall s', (r) => r.virtualPerWall, fmt);
row('wall per round (s)', (r) => r.wallMs / 1000, (n) => n.toFixed(2));
const ratio = median(rounds.get('engine')!.map((r) => r.wallMs)) / median(rounds.get('model')!.map((r) => r.wallMs));
console.log(`  the engine's rounds take ${ratio.toFixed(2)}x the model's wall time for the same seeds`);
