/**
 * Model states as small integers, and every step result computed once.
 *
 * States are interned: equal states get the same id, so the search stores, hashes and compares
 * ids instead of states. `next(state, op)` memoizes `model.step` per (state id, operation) in one
 * Int32Array row per state, so revisiting a state costs two array reads and no allocation.
 * A distinct id for two equal states (e.g. an imperfect `equal`) only costs pruning, never
 * correctness: the cache then treats them as different.
 */
import type { FullModel } from './model.js';

/** Rows of the memo table stop being allocated past this many cells (64 MiB). */
const MEMO_CELLS_MAX = 1 << 24;
const NOT_COMPUTED = 0;
const ILLEGAL = -1;

export class Transitions<S, I, O> {
  readonly initial: number;
  private readonly states: S[] = [];
  private readonly primitiveIds = new Map<unknown, number>();
  private readonly objectIds = new Map<number, number[]>();
  /** Per state id: per operation, 0 = not computed, -1 = illegal, k > 0 = next state id k - 1. */
  private readonly rows: (Int32Array | undefined)[] = [];
  private memoCells = 0;

  constructor(
    private readonly model: FullModel<S, I, O>,
    private readonly inputs: readonly I[],
    private readonly outputs: readonly (O | null)[],
  ) {
    this.initial = this.intern(model.init());
  }

  get stateCount(): number {
    return this.states.length;
  }

  stateOf(id: number): S {
    return this.states[id]!;
  }

  /** The state id after `op` from state `state`, or -1 if the op's output is illegal there. */
  next(state: number, op: number): number {
    let row = this.rows[state];
    if (row === undefined) {
      if (this.memoCells + this.inputs.length > MEMO_CELLS_MAX) return this.compute(state, op);
      row = this.rows[state] = new Int32Array(this.inputs.length);
      this.memoCells += row.length;
    }
    const cached = row[op]!;
    if (cached !== NOT_COMPUTED) return cached === ILLEGAL ? ILLEGAL : cached - 1;
    const result = this.compute(state, op);
    row[op] = result === ILLEGAL ? ILLEGAL : result + 1;
    return result;
  }

  private compute(state: number, op: number): number {
    const output = this.outputs[op]!;
    const result = this.model.step(this.states[state]!, this.inputs[op]!, output);
    // An unknown outcome accepts any output, whatever the model says.
    if (!result.ok && output !== null) return ILLEGAL;
    return this.intern(result.state);
  }

  private intern(state: S): number {
    if (typeof state !== 'object' || state === null) {
      let id = this.primitiveIds.get(state);
      if (id === undefined) {
        id = this.add(state);
        this.primitiveIds.set(state, id);
      }
      return id;
    }
    const hash = this.model.hash(state);
    let bucket = this.objectIds.get(hash);
    if (bucket === undefined) this.objectIds.set(hash, (bucket = []));
    for (const id of bucket) if (this.model.equal(this.states[id]!, state)) return id;
    const id = this.add(state);
    bucket.push(id);
    return id;
  }

  private add(state: S): number {
    this.states.push(state);
    return this.states.length - 1;
  }
}
