/**
 * The disk's fsyncs in virtual time: serial (each starts when the previous one ends), each taking
 * what the world's fault model says for its start. A crash bumps the epoch: the fsyncs in flight
 * then never complete (their promises stay pending, as the process that awaited them is gone).
 */

export interface SimScheduler {
  now(): number;
  after(ms: number, fn: () => void): void;
}

export class FsyncQueue {
  private busyUntil = 0;
  private epochNow = 0;

  constructor(
    private readonly scheduler: SimScheduler,
    private readonly fsyncMs: (serviceStart: number) => number,
  ) {}

  get epoch(): number {
    return this.epochNow;
  }

  /** Queues an fsync; `onDurable` runs when it completes (unless a crash came first). */
  sync(onDurable: () => void): Promise<void> {
    const now = this.scheduler.now();
    const serviceStart = Math.max(this.busyUntil, now);
    const latency = this.fsyncMs(serviceStart);
    if (!(latency >= 0)) throw new Error(`simfs: fsyncMs gave ${latency}`);
    this.busyUntil = serviceStart + latency;
    const epoch = this.epochNow;
    return new Promise((resolve) => {
      this.scheduler.after(this.busyUntil - now, () => {
        if (epoch !== this.epochNow) return;
        onDurable();
        resolve();
      });
    });
  }

  /** The power went: fsyncs in flight are forgotten, and the disk is idle. */
  crash(): void {
    this.epochNow++;
    this.busyUntil = this.scheduler.now();
  }
}
