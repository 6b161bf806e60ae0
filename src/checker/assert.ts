/**
 * The checker's own assertion (it imports nothing else of ours). Typed arrays drop out-of-range
 * writes silently and read undefined past their end, so the places where the search changes its
 * state check their pre- and postconditions: a broken invariant stops the check with an error
 * instead of a wrong verdict.
 */
export class CheckerInvariantError extends Error {}

export function invariant(condition: boolean, message: string): asserts condition {
  if (!condition) broken(message);
}

/**
 * For the search's hot paths: write `if (!ok) broken(\`...\`)`, so that the message (and its
 * template string) is built only when the invariant is broken, never on every step.
 */
export function broken(message: string): never {
  throw new CheckerInvariantError(`checker invariant: ${message}`);
}
