/**
 * Drives a campaign's runs through the worker pool and collects one result per run, whatever the
 * number of workers. Jobs go out in the plan's order; results come back in any order and are kept
 * by their place in the plan, so the report never depends on which worker was faster.
 *
 * Stopping at the first failure, deterministically: when run f fails, runs after f are cancelled
 * (queued ones dropped, running ones stopped) and runs before f, all already started, finish. One
 * of them may fail too and become the new f. The campaign reports the lowest failing run: the one a
 * single worker going through the plan in order would have stopped at.
 *
 * `--check-determinism` makes two jobs of each run, never given to the same worker when there are
 * several, and fails the run if their trace hashes differ.
 */
import { runAt, totalRuns } from './campaign.js';
import type { CampaignPlan, PlannedRun } from './campaign.js';
import { WorkerPool } from './pool.js';
import { crashOutcome } from './protocol.js';
import type { RunOutcome, WorkerReply, WorkerSetup } from './protocol.js';

export interface SchedulerOptions {
  readonly workers: number;
  readonly keepGoing: boolean;
  readonly checkDeterminism: boolean;
  /** performance.now() after which no new run starts (a --duration campaign); null: none. */
  readonly deadline: number | null;
  readonly onProgress?: (progress: CampaignProgress) => void;
  readonly workerUrl?: URL;
}

export interface CampaignProgress {
  readonly done: number;
  /** null: open-ended (--duration). */
  readonly total: number | null;
  readonly failed: number;
  readonly unknown: number;
}

export interface FinishedRun extends PlannedRun {
  readonly outcome: RunOutcome;
}

export interface CampaignRun {
  /** In plan order. */
  readonly runs: FinishedRun[];
  /** Stopped at a failure before the plan (or the time) ran out. */
  readonly stoppedEarly: boolean;
  readonly wallMs: number;
}

interface Job {
  readonly id: number;
  readonly run: PlannedRun;
  readonly attempt: number;
}

export function runCampaign(plan: CampaignPlan, setup: WorkerSetup, options: SchedulerOptions): Promise<CampaignRun> {
  return new Scheduler(plan, setup, options).run();
}

class Scheduler {
  private readonly attemptsPerRun: number;
  private readonly total: number | null;
  private readonly queue: Job[] = [];
  /** Outcomes so far of runs not yet finished, by run index then attempt. */
  private readonly partial = new Map<number, (RunOutcome | undefined)[]>();
  /** Which worker has (or had) each attempt of a run, to keep a run's two attempts apart. */
  private readonly workersOfRun = new Map<number, Set<number>>();
  private readonly finished = new Map<number, FinishedRun>();
  private nextRun = 0;
  /** The lowest failing run so far (index); runs after it are cancelled. */
  private firstFailure: number | null = null;
  private failed = 0;
  private unknown = 0;
  private readonly started = performance.now();
  private pool!: WorkerPool;
  private poolSize = 1;
  private settle!: { resolve: (run: CampaignRun) => void; reject: (error: Error) => void };
  private done = false;

  constructor(private readonly plan: CampaignPlan, private readonly setup: WorkerSetup, private readonly options: SchedulerOptions) {
    this.attemptsPerRun = options.checkDeterminism ? 2 : 1;
    this.total = totalRuns(plan);
  }

  run(): Promise<CampaignRun> {
    return new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
      // No more workers than jobs: each would start (and warm up) for nothing.
      const jobs = this.total === null ? Infinity : this.total * this.attemptsPerRun;
      this.poolSize = Math.max(1, Math.min(this.options.workers, jobs));
      this.pool = new WorkerPool(this.poolSize, this.setup, {
        onReply: (_workerId, reply) => this.onReply(reply),
        onDeath: (_workerId, job, error) => this.onDeath(job, error),
      }, this.options.workerUrl);
      this.pump();
    });
  }

  /** Gives every idle worker a job, or ends the campaign when nothing is left to run or wait for. */
  private pump(): void {
    if (this.done) return;
    for (const workerId of this.pool.idleWorkers()) {
      const job = this.takeJobFor(workerId);
      if (!job) continue; // another idle worker may still take a queued second attempt
      let workers = this.workersOfRun.get(job.run.index);
      if (!workers) this.workersOfRun.set(job.run.index, (workers = new Set()));
      workers.add(workerId);
      this.pool.dispatch(workerId, { job: job.id, scenarioIndex: job.run.scenarioIndex, seed: job.run.seed });
    }
    if (this.pool.busyCount() === 0 && this.queue.length === 0) void this.finish();
  }

  /** The first queued job this worker may take, else the first job of the next run in the plan. */
  private takeJobFor(workerId: number): Job | undefined {
    const allowed = (job: Job) => this.poolSize === 1 || !this.workersOfRun.get(job.run.index)?.has(workerId);
    let queued = this.queue.findIndex(allowed);
    if (queued < 0) {
      if (!this.mayStartRun(this.nextRun)) return undefined;
      const run = runAt(this.plan, this.nextRun++);
      this.partial.set(run.index, []);
      for (let attempt = 0; attempt < this.attemptsPerRun; attempt++) {
        this.queue.push({ id: run.index * this.attemptsPerRun + attempt, run, attempt });
      }
      queued = this.queue.findIndex(allowed);
    }
    return this.queue.splice(queued, 1)[0];
  }

  private mayStartRun(index: number): boolean {
    if (this.total !== null && index >= this.total) return false;
    if (this.firstFailure !== null && index > this.firstFailure) return false;
    return this.options.deadline === null || performance.now() < this.options.deadline;
  }

  private onReply(reply: WorkerReply): void {
    this.record(reply.job, reply.outcome);
    this.pump();
  }

  private onDeath(jobId: number | null, error: Error): void {
    if (jobId === null) {
      this.fail(new Error(`a fuzz worker could not start: ${error.message}`));
      return;
    }
    const runIndex = Math.floor(jobId / this.attemptsPerRun);
    const run = runAt(this.plan, runIndex);
    this.record(jobId, crashOutcome(run.scenarioIndex, run.seed, `the worker died: ${error.message}`, 0));
    this.pump();
  }

  private record(jobId: number, outcome: RunOutcome): void {
    const runIndex = Math.floor(jobId / this.attemptsPerRun);
    const attempts = this.partial.get(runIndex);
    if (!attempts) return; // a cancelled run
    attempts[jobId % this.attemptsPerRun] = outcome;
    if (attempts.filter(Boolean).length < this.attemptsPerRun) return;
    this.partial.delete(runIndex);
    this.workersOfRun.delete(runIndex);
    const combined = combineAttempts(attempts as RunOutcome[]);
    this.finished.set(runIndex, { ...runAt(this.plan, runIndex), outcome: combined });
    if (combined.status === 'fail') this.failed++;
    if (combined.status === 'unknown') this.unknown++;
    if (combined.status === 'fail' && !this.options.keepGoing) this.stopAfter(runIndex);
    this.options.onProgress?.({ done: this.finished.size, total: this.total, failed: this.failed, unknown: this.unknown });
  }

  /** Cancels every run after a failing one; runs before it go on. */
  private stopAfter(failing: number): void {
    if (this.firstFailure !== null && this.firstFailure <= failing) return;
    this.firstFailure = failing;
    const cancelled = (runIndex: number) => runIndex > failing;
    for (let i = this.queue.length - 1; i >= 0; i--) if (cancelled(this.queue[i]!.run.index)) this.queue.splice(i, 1);
    for (const runIndex of [...this.partial.keys()]) if (cancelled(runIndex)) this.partial.delete(runIndex);
    for (const [runIndex, outcome] of [...this.finished]) {
      if (!cancelled(runIndex)) continue;
      // A run after the failure that finished first does not count: one worker would never have run it.
      this.finished.delete(runIndex);
      if (outcome.outcome.status === 'fail') this.failed--;
      if (outcome.outcome.status === 'unknown') this.unknown--;
    }
    this.pool.cancel((job) => cancelled(Math.floor(job / this.attemptsPerRun)));
  }

  private async finish(): Promise<void> {
    this.done = true;
    await this.pool.close();
    const runs = [...this.finished.values()].sort((a, b) => a.index - b.index);
    this.settle.resolve({
      runs,
      stoppedEarly: this.firstFailure !== null && (this.total === null || this.firstFailure < this.total - 1),
      wallMs: performance.now() - this.started,
    });
  }

  private fail(error: Error): void {
    if (this.done) return;
    this.done = true;
    void this.pool.close().finally(() => this.settle.reject(error));
  }
}

/** One result from a run's attempts: a determinism failure if their traces differ, else the worst. */
export function combineAttempts(attempts: readonly RunOutcome[]): RunOutcome {
  const first = attempts[0]!;
  if (attempts.length === 1) return first;
  const crashed = attempts.find((a) => a.violation?.kind === 'crash' && a.traceHash === '');
  if (crashed) return crashed;
  const hashes = attempts.map((a) => a.traceHash);
  if (hashes.some((hash) => hash !== first.traceHash)) {
    return {
      ...first, status: 'fail',
      violation: {
        kind: 'determinism', invariant: 'trace-hash', timeMs: 0,
        message: `two runs of the same seed gave different traces: trace hashes ${hashes.join(' and ')}`,
      },
    };
  }
  // Same trace, so the same simulation; only a check that timed out in one attempt can differ.
  const rank = { fail: 2, unknown: 1, pass: 0 } as const;
  return attempts.reduce((worst, a) => (rank[a.status] > rank[worst.status] ? a : worst), first);
}
