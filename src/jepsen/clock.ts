/**
 * The test's clock: integer milliseconds since the test started, from `performance.now()` (which
 * is monotonic, unlike Date.now). A call time is rounded down and a return time up, so every
 * recorded interval contains the real one: rounding can only add concurrency, never remove it,
 * and so can never turn a linearizable history into one that looks otherwise.
 */
export class TestClock {
  private readonly origin = performance.now();

  /** For a call (and the start of anything). */
  call(): number {
    return Math.floor(performance.now() - this.origin);
  }

  /** For a return (and the end of anything). */
  ret(): number {
    return Math.ceil(performance.now() - this.origin);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** `promise`, or `fallback` once `ms` have passed, whichever comes first. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => { timer = setTimeout(() => resolve(fallback), ms); });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
