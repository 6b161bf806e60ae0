/**
 * One knob for slow machines: RAFTSIM_TEST_TIME_FACTOR (default 1) multiplies every time limit the
 * tests set for themselves (waits, per-test timeouts, child process budgets). A limit only bounds a
 * wait for a condition; no test asserts how long something took.
 */
const VARIABLE = 'RAFTSIM_TEST_TIME_FACTOR';

/** The factor from `text` (the variable's value); throws a clear error unless it is a positive number. */
export function parseTimeFactor(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return 1;
  const factor = Number(text);
  if (!Number.isFinite(factor) || factor <= 0) {
    throw new Error(`${VARIABLE} must be a positive number (like 1, 2 or 0.5), got "${text}"`);
  }
  return factor;
}

export function timeFactor(): number {
  return parseTimeFactor(process.env[VARIABLE]);
}

/** `baseMs` times the factor: the limit to use on this machine. */
export function scaled(baseMs: number): number {
  return Math.round(baseMs * timeFactor());
}
