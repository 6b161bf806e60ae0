/**
 * Waiting for a condition instead of sleeping: poll an observation until it satisfies `done`, with
 * one generous limit (base × RAFTSIM_TEST_TIME_FACTOR). On timeout the error names what was awaited
 * and what was last seen, so a red test says why.
 */
import { scaled } from './timeFactor.js';

export interface WaitOptions {
  /** The limit before the time factor; generous by default. */
  readonly baseLimitMs?: number;
  /** Pause between two observations. */
  readonly everyMs?: number;
}

export const DEFAULT_WAIT_MS = 30_000;

export async function waitFor<T>(what: string, observe: () => T | Promise<T>, done: (seen: T) => boolean, options: WaitOptions = {}): Promise<T> {
  const limitMs = scaled(options.baseLimitMs ?? DEFAULT_WAIT_MS);
  const deadline = performance.now() + limitMs;
  let last: { seen: T } | { error: unknown } | null = null;
  for (;;) {
    try {
      const seen = await observe();
      if (done(seen)) return seen;
      last = { seen };
    } catch (error) {
      last = { error };
    }
    if (performance.now() >= deadline) break;
    await pause(options.everyMs ?? 50);
  }
  throw new Error(`gave up after ${limitMs} ms waiting for ${what}; last observed: ${describe(last)}`);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A short readable form of the last observation (an error's message, a value as JSON). */
export function describe(last: { seen: unknown } | { error: unknown } | null): string {
  if (last === null) return 'nothing (the first observation never finished)';
  if ('error' in last) return `an error: ${last.error instanceof Error ? last.error.message : String(last.error)}`;
  const text = typeof last.seen === 'string' ? last.seen : JSON.stringify(last.seen);
  return text === undefined ? String(last.seen) : text.length > 2_000 ? `…${text.slice(-2_000)}` : text;
}
