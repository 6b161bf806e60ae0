/** A virtual clock for the simfs tests: `after` queues a callback; `run` fires them in time order. */
import { SimFileSystem, type SimFsOptions } from '../../../src/sim/simfs/index.js';

export class FakeScheduler {
  time = 0;
  private queue: { at: number; order: number; fn: () => void }[] = [];
  private order = 0;

  now(): number {
    return this.time;
  }

  after(ms: number, fn: () => void): void {
    this.queue.push({ at: this.time + ms, order: this.order++, fn });
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Fires every queued callback due by `until` (all when omitted), in time order, letting promises settle between. */
  async run(until = Infinity): Promise<void> {
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at || a.order - b.order);
      const next = this.queue[0];
      if (next === undefined || next.at > until) break;
      this.queue.shift();
      this.time = next.at;
      next.fn();
      await settle();
    }
    if (until !== Infinity && until > this.time) this.time = until;
  }
}

export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

export function makeFs(options: Partial<Omit<SimFsOptions, 'scheduler'>> = {}): { fs: SimFileSystem; clock: FakeScheduler } {
  const clock = new FakeScheduler();
  const fs = new SimFileSystem({ scheduler: clock, fsyncMs: () => 5, capacityBytes: 1 << 20, ...options });
  return { fs, clock };
}

/** Syncs `start()` and runs the clock until it resolves. */
export async function synced(clock: FakeScheduler, start: () => Promise<void>): Promise<void> {
  const done = start();
  await clock.run();
  await done;
}

export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
export const text = (data: Uint8Array | undefined): string | undefined =>
  data === undefined ? undefined : new TextDecoder().decode(data);

/** The error's code, or 'resolved' when the promise resolved. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return String((error as NodeJS.ErrnoException).code ?? (error as Error).message);
  }
}
