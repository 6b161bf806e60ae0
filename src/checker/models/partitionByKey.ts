/** Partitioning for key/value models: one part per key, keys sorted so the output is stable. */
import type { Operation } from '../history.js';
import type { Part } from '../model.js';

export function partitionByKey(operations: readonly Operation<{ readonly key: string }, unknown>[]): Part[] {
  const byKey = new Map<string, number[]>();
  operations.forEach((operation, index) => {
    const indices = byKey.get(operation.input.key);
    if (indices) indices.push(index);
    else byKey.set(operation.input.key, [index]);
  });
  // Plain code-unit order, not localeCompare: the same on every machine.
  const keys = [...byKey.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return keys.map((key) => ({ label: `key ${JSON.stringify(key)}`, operations: byKey.get(key)! }));
}
