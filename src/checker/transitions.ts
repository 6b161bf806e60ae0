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
 *
 * Long strings (kv values that grow by appends) are the exception to interning. Hashing each
 * fresh one costs more than half the check time, and for an append it buys nothing: appending
 * the same value to two different strings never gives equal strings. So an operation whose long
 * results never equalled a state from another origin in its first few steps is taken to be such
 * an operation: its results get fresh ids, memoized per (state id, operation class), where
 * operations with the same input and output share a class (two clients appending the same value
 * from the same state reach the same id). A wrong guess only means equal states with two ids,
 * which costs pruning, never correctness.
 */
import type { FullModel } from './model.js';

/** Rows of the memo table stop being allocated past this many cells (64 MiB). */
const MEMO_CELLS_MAX = 1 << 24;
/** Steps from a state before its row is allocated. */
const USES_BEFORE_MEMO = 16;
/** Strings longer than this may skip interning (see above). */
const LONG_STRING_CHARS = 64;
/** Interned long results of an operation, all new, before it is trusted to skip interning. */
const SAMPLES_BEFORE_SKIPPING = 8;
const OP_UNSURE = 0;
const OP_SKIPS_INTERNING = 1;
const OP_INTERNS = 2;
const NOT_COMPUTED = 0;
const ILLEGAL = -1;

export class Transitions<S, I, O> {
  readonly initial: number;
  private readonly states: S[] = [];
  /** Per state id: its hash, spread over 32 bits, to combine with the linearized set's hash. */
  private hashes: Int32Array = new Int32Array(64);
  private readonly primitiveIds = new Map<unknown, number>();
  private readonly objectIds = new Map<number, number[]>();
  /** Per state id: per operation, 0 = not computed, -1 = illegal, k > 0 = next state id k - 1. */
  private readonly rows: (Int32Array | undefined)[] = [];
  /** Per state id: steps taken from it while it had no row. */
  private readonly uses: number[] = [];
  private memoCells = 0;
  /** Per operation: OP_UNSURE, OP_SKIPS_INTERNING or OP_INTERNS. */
  private readonly opInterning: Uint8Array;
  private readonly opSamples: Int32Array;
  /** Per operation: its class, the index of the first operation with the same input and output. */
  private readonly opClass: Int32Array;
  /**
   * Long-string results that skipped interning, as a list of children per state id: the first
   * child, each child's next sibling, and the class of the operation that made it. Parents have
   * few such children, and walking typed arrays is cheaper than a map.
   */
  private firstChild: Int32Array = new Int32Array(64).fill(-1);
  private nextSibling: Int32Array = new Int32Array(64).fill(-1);
  private madeBy: Int32Array = new Int32Array(64).fill(-1);

  constructor(
    private readonly model: FullModel<S, I, O>,
    private readonly inputs: readonly I[],
    private readonly outputs: readonly (O | null)[],
  ) {
    this.opInterning = new Uint8Array(inputs.length);
    this.opSamples = new Int32Array(inputs.length);
    this.opClass = classify(inputs, outputs);
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
    if (Object.is(result.state, before)) return state;
    const after = result.state;
    if (typeof after === 'string' && after.length > LONG_STRING_CHARS) return this.internLong(after, state, op);
    return this.intern(after);
  }

  private internLong(after: S, state: number, op: number): number {
    const opClass = this.opClass[op]!;
    for (let child = this.firstChild[state]!; child !== -1; child = this.nextSibling[child]!) {
      if (this.madeBy[child] === opClass) return child;
    }
    if (this.opInterning[op] !== OP_SKIPS_INTERNING) {
      const existing = this.primitiveIds.get(after);
      // Equal to a state from elsewhere: interning this operation's results pays off.
      if (existing !== undefined) {
        this.opInterning[op] = OP_INTERNS;
        return existing;
      }
      if (this.opInterning[op] === OP_UNSURE && ++this.opSamples[op]! >= SAMPLES_BEFORE_SKIPPING) {
        this.opInterning[op] = OP_SKIPS_INTERNING;
      }
    }
    const id = this.add(after);
    if (this.opInterning[op] !== OP_SKIPS_INTERNING) this.primitiveIds.set(after, id);
    this.madeBy[id] = opClass;
    this.nextSibling[id] = this.firstChild[state]!;
    this.firstChild[state] = id;
    return id;
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
    if (id === this.hashes.length) this.growPerState(id * 2);
    this.hashes[id] = mixId(id);
    return id;
  }

  private growPerState(length: number): void {
    const grow = (from: Int32Array, fill: number): Int32Array => {
      const to = new Int32Array(length).fill(fill);
      to.set(from);
      return to;
    };
    this.hashes = grow(this.hashes, 0);
    this.firstChild = grow(this.firstChild, -1);
    this.nextSibling = grow(this.nextSibling, -1);
    this.madeBy = grow(this.madeBy, -1);
  }
}

/** Per operation, the index of the first operation with the same input and output. */
function classify(inputs: readonly unknown[], outputs: readonly unknown[]): Int32Array {
  const firstByText = new Map<string, number>();
  return Int32Array.from(inputs, (input, op) => {
    const text = JSON.stringify([input, outputs[op]]);
    const first = firstByText.get(text);
    if (first !== undefined) return first;
    firstByText.set(text, op);
    return op;
  });
}

/** Spreads a state id over 32 bits (ids are unique per state, so this is a perfect state hash). */
function mixId(id: number): number {
  let z = Math.imul(id + 1, 0x9e3779b1);
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return z ^ (z >>> 16);
}
