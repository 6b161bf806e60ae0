/**
 * A fuzz worker thread: receives the campaign's scenarios once (workerData), then runs each seed it
 * is sent and answers with a small RunOutcome. An exception thrown by our own code is the run's
 * result (a `crash` violation), not the end of the worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { executeRun } from '../../harness/execute.js';
import { packCoverage } from './coverage.js';
import { crashOutcome } from './protocol.js';
import type { RunOutcome, RunRequest, WorkerMessage, WorkerReply, WorkerSetup } from './protocol.js';

const setup = workerData as WorkerSetup;
const port = parentPort;
if (!port) throw new Error('src/cli/fuzz/worker.js runs only as a worker thread');

// Runs one request at a time, in the order they came: a run waits on its storage engine's promises.
let queue: Promise<void> = Promise.resolve();
port.on('message', (request: RunRequest) => {
  queue = queue.then(async () => {
    const reply: WorkerReply = { type: 'result', job: request.job, outcome: await runOne(request) };
    port.postMessage(reply);
  });
});
port.postMessage({ type: 'ready' } satisfies WorkerMessage);

async function runOne({ scenarioIndex, seed }: RunRequest): Promise<RunOutcome> {
  const { ref, scenario } = setup.scenarios[scenarioIndex]!;
  const started = performance.now();
  try {
    const report = await executeRun(
      { scenario, scenarioRef: ref, seed, swarm: setup.swarm, bug: setup.bug },
      { checkTimeoutMs: setup.checkTimeoutMs, now: () => performance.now() },
    );
    const v = report.violation;
    return {
      scenarioIndex, seed, status: report.status,
      violation: v && {
        kind: v.kind, invariant: v.invariant, message: v.message, timeMs: v.timeMs,
        ...('nodes' in v ? { nodes: v.nodes, term: v.term, index: v.index } : {}),
        ...('operation' in v && v.operation !== undefined ? { operation: v.operation } : {}),
      },
      traceHash: report.sim.traceHash, events: report.sim.events, virtualMs: report.sim.virtualMs,
      operations: report.sim.operations, pendingOperations: report.sim.pendingOperations,
      checked: report.check !== null, checkMs: report.checkMs, wallMs: performance.now() - started,
      coverage: packCoverage(report.coverage),
    };
  } catch (error) {
    return crashOutcome(scenarioIndex, seed, `exception: ${(error as Error)?.message ?? String(error)}`, performance.now() - started);
  }
}

