/**
 * Invariant checks for the Raft core. A failed assertion means the core is broken (or a caller
 * broke the contract); the only correct handling is to crash, so nothing in the core catches it.
 */

/** Thrown when an invariant of the Raft core does not hold. */
export class AssertionError extends Error {
  override readonly name = 'AssertionError';
}

/**
 * Throws `AssertionError(message)` unless `condition` holds.
 * NB: on hot paths pass a constant string; a template literal is built even when the check passes.
 */
export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}
