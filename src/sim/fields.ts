/**
 * Checks a JSON object's field names against the known ones, for every file a user writes
 * (scenarios, fault actions, failure files): an unknown field is refused with its full path and
 * the nearest known name, so that a typo never silently does nothing.
 */

/** `faults` + `meanIntervalMs` → `faults.meanIntervalMs`; an empty prefix is the top level. */
export function fieldPath(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

/**
 * The first key of `obj` (in the file's order) that is not in `known`, as a one-line problem:
 * `faults.meanInterval: unknown field (did you mean meanIntervalMs?)`; null when every key is known.
 */
export function unknownFieldProblem(obj: object, prefix: string, known: readonly string[]): string | null {
  for (const key of Object.keys(obj)) {
    const problem = fieldNameProblem(key, prefix, known);
    if (problem) return problem;
  }
  return null;
}

/** The problem with one field name (see unknownFieldProblem), or null if it is known. */
export function fieldNameProblem(key: string, prefix: string, known: readonly string[]): string | null {
  return known.includes(key) ? null : `${fieldPath(prefix, key)}: unknown field ${suggestion(key, known)}`;
}

/** `(did you mean X?)` when a known name is close to `name`, else `(known: a, b, …)`. */
export function suggestion(name: string, known: readonly string[]): string {
  const near = nearestName(name, known);
  if (near !== null) return `(did you mean ${near}?)`;
  return known.length === 0 ? '(this object takes no fields)' : `(known: ${known.join(', ')})`;
}

/**
 * The known name nearest to `name` by edit distance, ignoring case, if it is close enough to be a
 * typo of it: within 1 edit for names of up to 3 characters, 2 up to 6, 3 beyond (a missing `Ms`
 * suffix is 2). Ties go to the name listed first.
 */
export function nearestName(name: string, known: readonly string[]): string | null {
  const limit = name.length <= 3 ? 1 : name.length <= 6 ? 2 : 3;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit && bestDistance < name.length ? best : null;
}

/** Levenshtein distance: insertions, deletions and substitutions, each 1. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitute = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(substitute, previous[j]! + 1, current[j - 1]! + 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
