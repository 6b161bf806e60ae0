/**
 * Delta debugging (Zeller's ddmin, complement form): cut a list down to a part that still fails,
 * trying to drop chunks of half the list, then quarters, eighths, … down to single items. At single
 * items it scans again until a whole scan drops nothing, so that the result is 1-minimal: leaving
 * out any one item of it no longer fails (unless `stop` cut the search short).
 * Pure: it knows nothing of runs; `fails` decides, and may be as slow as a simulated run.
 */

export interface DdminOptions {
  /** The first chunk size (default: half the list); 1 skips the coarse steps (a list already cut once). */
  readonly startChunk?: number;
  /** Checked before every try: true ends the search at once (a spent budget). */
  readonly stop?: () => boolean;
}

export interface DdminResult<T> {
  readonly items: T[];
  /** True when a whole scan of single items dropped nothing: no one item can go. */
  readonly oneMinimal: boolean;
}

export async function ddmin<T>(
  items: readonly T[],
  fails: (candidate: T[]) => Promise<boolean>,
  options: DdminOptions = {},
): Promise<DdminResult<T>> {
  const stop = options.stop ?? (() => false);
  let current = items.slice();
  let chunk = Math.max(1, Math.min(options.startChunk ?? Math.ceil(current.length / 2), Math.ceil(current.length / 2)));
  for (;;) {
    if (current.length === 0) return { items: current, oneMinimal: true };
    const scan = await dropChunks(current, chunk, fails, stop);
    if (scan.stopped) return { items: scan.items, oneMinimal: false };
    current = scan.items;
    // Coarse sizes go down once; single items repeat until a scan drops nothing.
    if (chunk === 1 && !scan.dropped) return { items: current, oneMinimal: true };
    if (chunk > 1) chunk = Math.max(1, Math.ceil(chunk / 2));
    chunk = Math.min(chunk, Math.max(1, Math.ceil(current.length / 2)));
  }
}

/** One scan, from the end of the list to its start (earlier positions stay put as later chunks go). */
async function dropChunks<T>(
  items: T[],
  chunk: number,
  fails: (candidate: T[]) => Promise<boolean>,
  stop: () => boolean,
): Promise<{ items: T[]; dropped: boolean; stopped: boolean }> {
  let current = items;
  let dropped = false;
  for (let end = current.length; end > 0; end -= chunk) {
    if (stop()) return { items: current, dropped, stopped: true };
    const start = Math.max(0, end - chunk);
    const candidate = [...current.slice(0, start), ...current.slice(end)];
    if (await fails(candidate)) {
      current = candidate;
      dropped = true;
    }
  }
  return { items: current, dropped, stopped: false };
}
