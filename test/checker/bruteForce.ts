/** A reference checker for small histories: tries every order of the operations. */
import { fillDefaults, type AnyModel } from '../../src/checker/index.js';
import type { Op } from './arbitraries.js';

/**
 * True iff some order of the operations that respects real time is legal for `model`. Only an
 * operation with a known output that returned bounds the others: one with output null
 * (indeterminate) may be placed anywhere after its call, whatever its recorded return, or left out.
 */
export function bruteForce(model: AnyModel, ops: readonly Op[]): boolean {
  const full = fillDefaults(model);
  const placed = new Array<boolean>(ops.length).fill(false);
  const mustPrecede = (a: Op, b: Op): boolean => a.output !== null && a.return !== null && a.return < b.call;
  const search = (state: unknown): boolean => {
    if (ops.every((op, i) => placed[i] || op.output === null)) return true;
    for (let i = 0; i < ops.length; i++) {
      if (placed[i]) continue;
      const blocked = ops.some((other, j) => j !== i && !placed[j] && mustPrecede(other, ops[i]!));
      if (blocked) continue;
      const step = full.step(state, ops[i]!.input, ops[i]!.output);
      if (!step.ok && ops[i]!.output !== null) continue;
      placed[i] = true;
      const found = search(step.state);
      placed[i] = false;
      if (found) return true;
    }
    return false;
  };
  return search(full.init());
}

/**
 * A per-key model over all keys at once, for the brute force (the checker partitions instead):
 * the state maps each key to that key's state, absent keys in the initial state.
 */
export function wholeKeys(model: AnyModel): AnyModel {
  const keyState = (state: Map<string, unknown>, key: string): unknown => (state.has(key) ? state.get(key) : model.init());
  return {
    name: `${model.name} (whole)`,
    init: () => new Map<string, unknown>(),
    step(state: Map<string, unknown>, input: { key: string }, output: unknown) {
      const result = model.step(keyState(state, input.key), input, output);
      const next = new Map(state);
      next.set(input.key, result.state);
      return { ok: result.ok, state: next };
    },
  };
}
