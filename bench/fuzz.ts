/**
 * `npm run bench:fuzz`: fuzz campaign throughput over worker threads. The campaign is the one
 * `raftsim fuzz lossy-churn --seeds 500 --keep-going` runs (swarm on, no bug, checks included),
 * driven through the same scheduler and workers; seeds per second with 1 worker, then with 2, and
 * the ratio (the aim: 2 workers at least 1.8 times one). Each campaign's workers start cold, as in
 * real use, so the JIT warm-up of every worker (a second or two, paid by all workers at once) is
 * part of the figure; 500 seeds make it a small part. BENCH_SEEDS and BENCH_SCENARIO change the campaign.
 */
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { loadScenario } from '../src/cli/scenarios.js';
import type { CampaignPlan } from '../src/cli/fuzz/campaign.js';
import { runCampaign } from '../src/cli/fuzz/scheduler.js';
import type { CampaignRun } from '../src/cli/fuzz/scheduler.js';

const scenarioName = process.env.BENCH_SCENARIO ?? 'lossy-churn';
const seeds = Number(process.env.BENCH_SEEDS ?? 500);
const plan: CampaignPlan = {
  scenarios: [{ ref: scenarioName, scenario: loadScenario(scenarioName) }], startSeed: 1, seedCount: seeds, shard: null,
};

/** A campaign, and the CPU it used per wall second (all threads): how many cores it actually got. */
async function campaign(workers: number): Promise<CampaignRun & { cores: number }> {
  const cpu = process.cpuUsage();
  const run = await runCampaign(plan, { scenarios: plan.scenarios, swarm: true, bug: null, checkTimeoutMs: 10_000 }, {
    workers, keepGoing: true, checkDeterminism: false, deadline: null,
  });
  const used = process.cpuUsage(cpu);
  return { ...run, cores: (used.user + used.system) / 1000 / run.wallMs };
}

/**
 * The machine's own scaling, for reading the ratio: the same pure CPU loop (no allocation, no
 * messages) in 1 and in 2 threads at once. On a machine whose 2 CPUs scale perfectly this is 2.0x;
 * a fuzz ratio near it means the campaign itself loses nothing to parallelism.
 */
async function machineScaling(): Promise<number> {
  const loop = `const { parentPort } = require('node:worker_threads');
    let h = 0x811c9dc5; const start = Date.now(); let n = 0;
    while (Date.now() - start < 2000) { for (let i = 0; i < 100000; i++) h = Math.imul(h ^ i, 16777619); n++; }
    parentPort.postMessage(n + (h & 0));`;
  const spin = (threads: number) => Promise.all(Array.from({ length: threads }, () => new Promise<number>((resolve) => {
    const worker = new Worker(loop, { eval: true });
    worker.once('message', (n: number) => { void worker.terminate(); resolve(n); });
  })));
  const alone = (await spin(1))[0]!;
  const together = (await spin(2)).reduce((a, b) => a + b, 0);
  return together / alone;
}

const rate = (run: CampaignRun) => run.runs.length / (run.wallMs / 1000);
const gc = process.execArgv.includes('--single-threaded-gc') ? 'single-threaded GC, as raftsim fuzz runs' : 'parallel GC (raftsim fuzz runs with --single-threaded-gc)';
console.log(`bench:fuzz  campaign: raftsim fuzz ${scenarioName} --seeds ${seeds} --keep-going (swarm, checks on); ${gc}; ` +
  `${availableParallelism()} CPUs, load average ${loadavg()[0]!.toFixed(1)} (other work on the machine skews the ratio)`);
const one = await campaign(1);
console.log(`  1 worker   ${rate(one).toFixed(1).padStart(6)} seeds/s  (${(one.wallMs / 1000).toFixed(2)} s, ${one.cores.toFixed(2)} cores busy)`);
const two = await campaign(2);
console.log(`  2 workers  ${rate(two).toFixed(1).padStart(6)} seeds/s  (${(two.wallMs / 1000).toFixed(2)} s, ${two.cores.toFixed(2)} cores busy)`);
console.log(`  ratio      ${(rate(two) / rate(one)).toFixed(2)}x  (aim: >= 1.8x)`);
console.log(`  machine    ${(await machineScaling()).toFixed(2)}x  (a pure CPU loop in 2 threads against 1: the most any ratio can be here)`);
const same = JSON.stringify(one.runs.map((r) => [r.seed, r.outcome.traceHash, r.outcome.status])) ===
  JSON.stringify(two.runs.map((r) => [r.seed, r.outcome.traceHash, r.outcome.status]));
if (!same) {
  console.error('bench:fuzz: the two campaigns disagree on some run: the results depend on the number of workers');
  process.exitCode = 1;
}
