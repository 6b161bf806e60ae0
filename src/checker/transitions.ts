/**
 * The steps of one part's operations over interned state ids (states.ts).
 *
 * An operation with an `effect` (model.ts) is evaluated on ids alone: a read compares the state
 * id with the id of the value it saw, a write yields a fixed id, an append extends a string
 * chain in O(1). So a kv search builds no strings and calls no `step`. Other operations call
 * the model's `step`, memoized per (state id, operation) in one Int32Array row per state; a row
 * is only allocated once a state has been stepped from a few times, since most states are seen
 * once and their rows would be garbage.
 */
import type { FullModel } from './model.js';
import { hashOfString, StateTable, type StringHash } from './states.js';

/** Rows of the memo table stop being allocated past this many cells (64 MiB). */
const MEMO_CELLS_MAX = 1 << 24;
/** Steps from a state before its row is allocated. */
const USES_BEFORE_MEMO = 16;
const NOT_COMPUTED = 0;
const ILLEGAL = -1;

/** How `next` evaluates an operation. */
const Kind = { step: 0, read: 1, noop: 2, write: 3, append: 4 } as const;

export class Transitions<S, I, O> {
  readonly initial: number;
  private readonly states: StateTable<S>;
  /** Per operation: its Kind. */
  private readonly kinds: Uint8Array;
  /** Per operation: the id read or written (read, write). */
  private readonly targets: Int32Array;
  /** Per append: the suffix (its index in the state table) and its hash. */
  private readonly suffixes: Int32Array;
  private readonly suffixHashes: (StringHash | undefined)[];
  /** Per state id: per operation, 0 = not computed, -1 = illegal, k > 0 = next state id k - 1. */
  private readonly rows: (Int32Array | undefined)[] = [];
  /** Per state id: steps taken from it while it had no row. */
  private uses: Int32Array = new Int32Array(64);
  private memoCells = 0;

  constructor(
    private readonly model: FullModel<S, I, O>,
    private readonly inputs: readonly I[],
    private readonly outputs: readonly (O | null)[],
  ) {
    this.states = new StateTable(model as FullModel<S, unknown, unknown>);
    this.initial = this.states.intern(model.init());
    const count = inputs.length;
    this.kinds = new Uint8Array(count);
    this.targets = new Int32Array(count);
    this.suffixes = new Int32Array(count);
    this.suffixHashes = new Array<StringHash | undefined>(count);
    inputs.forEach((input, op) => {
      const effect = model.effect(input, outputs[op]!);
      if (effect === undefined) return;
      this.kinds[op] = Kind[effect.kind];
      if (effect.kind === 'read' || effect.kind === 'write') this.targets[op] = this.states.intern(effect.value);
      if (effect.kind === 'append') {
        this.suffixes[op] = this.states.addText(effect.suffix);
        this.suffixHashes[op] = hashOfString(effect.suffix);
      }
    });
  }

  get stateCount(): number {
    return this.states.size;
  }

  stateOf(id: number): S {
    return this.states.valueOf(id);
  }

  hashOf(id: number): number {
    return this.states.hashOf(id);
  }

  /** The state id after `op` from state `state`, or -1 if the op's output is illegal there. */
  next(state: number, op: number): number {
    switch (this.kinds[op]) {
      case Kind.read:
        return state === this.targets[op] ? state : ILLEGAL;
      case Kind.noop:
        return state;
      case Kind.write:
        return this.targets[op]!;
      case Kind.append:
        if (this.states.isString(state)) return this.states.append(state, this.suffixes[op]!, this.suffixHashes[op]!);
    }
    return this.memoized(state, op);
  }

  private memoized(state: number, op: number): number {
    let row = this.rows[state];
    if (row === undefined) {
      if (state >= this.uses.length) this.growUses(state);
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
    const before = this.states.valueOf(state);
    const result = this.model.step(before, this.inputs[op]!, output);
    // An unknown outcome accepts any output, whatever the model says.
    if (!result.ok && output !== null) return ILLEGAL;
    // Reads hand back the state they were given: it keeps its id.
    if (Object.is(result.state, before)) return state;
    return this.states.intern(result.state);
  }

  private growUses(state: number): void {
    const uses = new Int32Array(Math.max(state + 1, this.uses.length * 2));
    uses.set(this.uses);
    this.uses = uses;
  }
}
