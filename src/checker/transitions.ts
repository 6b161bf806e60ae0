/**
 * Model states as small integer ids, and step results computed once.
 *
 * States are interned: equal states get the same id, so the search stores, hashes and compares
 * ids, never states. Primitives (numbers, strings, null) are map keys directly; objects are
 * bucketed by the model's `hash` and told apart with its `equal`. A step that hands back the very
 * state it was given (a read) keeps its id without a lookup.
 *
 * `next(state, op)` memoizes steps per (state id, operation) in one Int32Array row per state, so
 * revisiting a state costs two array reads and no allocation. A row is only allocated once a
 * state has been stepped from a few times: most kv states are seen once, and rows would be garbage.
 */
import type { FullModel } from './model.js';

/** Rows of the memo table stop being allocated past this many cells (64 MiB). */
const MEMO_CELLS_MAX = 1 << 24;
/** Steps from a state before its row is allocated. */
const USES_BEFORE_MEMO = 16;
const NOT_COMPUTED = 0;
const ILLEGAL = -1;

export class Transitions<S, I, O> {
  readonly initial: number;
  private readonly states: S[] = [];
  /** Per state id: its hash, spread over 32 bits, to combine with the linearized set's hash. */
  private hashes = new Int32Array(64);
  private readonly primitiveIds = new Map<unknown, number>();
  private readonly objectIds = new Map<number, number[]>();
  /** Per state id: per operation, 0 = not computed, -1 = illegal, k > 0 = next state id k - 1. */
  private readonly rows: (Int32Array | undefined)[] = [];
  /** Per state id: steps taken from it while it had no row. */
  private readonly uses: number[] = [];
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

  hashOf(id: number): number {
    return this.hashes[id]!;
  }

  /** The state id after `op` from state `state`, or -1 if the op's output is illegal there. */
  next(state: number, op: number): number {
    let row = this.rows[state];
    if (row === undefined) {
      const uses = ++this.uses[state]!;
      if (uses < USES_BEFORE_MEMO || this.memoCells + this.inputs.length > MEMO_CELLS_MAX) {
        return this.compute(state, op);
      }
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
    const before = this.states[state]!;
    const result = this.model.step(before, this.inputs[op]!, output);
    // An unknown outcome accepts any output, whatever the model says.
    if (!result.ok && output !== null) return ILLEGAL;
    // Reads hand back the state they were given: it keeps its id.
    return Object.is(result.state, before) ? state : this.intern(result.state);
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
    const id = this.states.length;
    this.states.push(state);
    this.uses.push(0);
    if (id === this.hashes.length) {
      const hashes = new Int32Array(id * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.hashes[id] = mixId(id);
    return id;
  }
}

/** Spreads a state id over 32 bits (ids are unique per state, so this is a perfect state hash). */
function mixId(id: number): number {
  let z = Math.imul(id + 1, 0x9e3779b1);
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return z ^ (z >>> 16);
}
