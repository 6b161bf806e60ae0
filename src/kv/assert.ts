/**
 * Invariant checks for the KV layer. A failed assertion is a bug in this code or in its host,
 * never an expected outcome: it throws, and nothing in src/kv catches it (the simulator reports
 * it as a crash-class violation).
 */
export class AssertionError extends Error {
  override readonly name = 'AssertionError';
}

export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}
