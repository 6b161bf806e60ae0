/**
 * A fixed-size pool of fuzz worker threads. The pool only carries jobs to workers and answers
 * back; which job goes where, and when, is the scheduler's business. It keeps `size` workers alive:
 * a worker that dies (or is stopped because its job was cancelled) is replaced at once.
 */
import { Worker } from 'node:worker_threads';
import type { RunRequest, WorkerMessage, WorkerReply, WorkerSetup } from './protocol.js';

export interface PoolEvents {
  /** A worker answered; it is idle again. */
  readonly onReply: (workerId: number, reply: WorkerReply) => void;
  /**
   * A worker died while running `job`, and a fresh (idle) worker has taken its place; or, with
   * `job` null, a worker died before it was ready or while idle (it could not start), and was not replaced.
   */
  readonly onDeath: (workerId: number, job: number | null, error: Error) => void;
}

interface Slot {
  readonly id: number;
  readonly worker: Worker;
  job: number | null;
  /** Set when we stop it ourselves, so that its exit is not taken for a death. */
  stopping: boolean;
  lastError: Error | null;
  /** Its modules loaded (jobs sent before are queued by the thread until then). */
  ready: boolean;
}

/** The built worker, next to this file both under dist/ and (for the type of the URL) src/. */
export const WORKER_URL = new URL('./worker.js', import.meta.url);

export class WorkerPool {
  private readonly slots = new Map<number, Slot>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly setup: WorkerSetup,
    private readonly events: PoolEvents,
    private readonly workerUrl: URL = WORKER_URL,
  ) {
    for (let i = 0; i < size; i++) this.spawn();
  }

  /** Ids of the workers with no job, oldest first. */
  idleWorkers(): number[] {
    return [...this.slots.values()].filter((slot) => slot.job === null).map((slot) => slot.id);
  }

  busyCount(): number {
    return [...this.slots.values()].filter((slot) => slot.job !== null).length;
  }

  dispatch(workerId: number, request: RunRequest): void {
    const slot = this.slots.get(workerId);
    if (!slot || slot.job !== null) throw new Error(`worker ${workerId} is not idle`);
    slot.job = request.job;
    slot.worker.postMessage(request);
  }

  /** Stops the workers running these jobs (their answers would be thrown away) and replaces them. */
  cancel(shouldCancel: (job: number) => boolean): void {
    for (const slot of [...this.slots.values()]) {
      if (slot.job === null || !shouldCancel(slot.job)) continue;
      this.retire(slot);
      this.spawn();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = [...this.slots.values()];
    for (const slot of slots) slot.stopping = true;
    this.slots.clear();
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private spawn(): void {
    if (this.closed || this.slots.size >= this.size) return;
    const worker = new Worker(this.workerUrl, { workerData: this.setup, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
    const slot: Slot = { id: this.nextId++, worker, job: null, stopping: false, lastError: null, ready: false };
    this.slots.set(slot.id, slot);
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') {
        slot.ready = true;
        return;
      }
      const reply = message;
      if (slot.stopping || slot.job !== reply.job) return;
      slot.job = null;
      this.events.onReply(slot.id, reply);
    });
    worker.on('error', (error: unknown) => {
      slot.lastError = error instanceof Error ? error : new Error(String(error));
    });
    worker.on('exit', (code) => {
      if (slot.stopping) return;
      this.slots.delete(slot.id);
      const error = slot.lastError ?? new Error(`worker exited with code ${code}`);
      // A worker that dies before it is ready failed to start; a replacement would fail the same way.
      if (!slot.ready || slot.job === null) return this.events.onDeath(slot.id, null, error);
      this.spawn();
      this.events.onDeath(slot.id, slot.job, error);
    });
  }

  private retire(slot: Slot): void {
    slot.stopping = true;
    this.slots.delete(slot.id);
    void slot.worker.terminate();
  }
}
