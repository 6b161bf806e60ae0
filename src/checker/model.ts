/**
 * A sequential specification the checker compares a history against. Only `name`, `init` and
 * `step` are required; `fillDefaults` supplies the rest, in this one place.
 *
 * Contract: `step` is pure. It must not change the state it is given (the search backtracks and
 * caches states), and it must accept any output when `output` is null (an unknown outcome), while
 * still computing the effect. The checker relies on both: it places such an operation anywhere
 * after its call, or nowhere (history.ts).
 */
import type { Operation, OperationInput, OperationOutput } from './history.js';

export interface StepResult<S> {
  /** Whether `output` is what the specification produces for `input` in the given state. */
  readonly ok: boolean;
  /** The state after the operation (ignored when ok is false). */
  readonly state: S;
}

/** A group of operations that can be checked on its own, such as all operations on one key. */
export interface Part {
  /** Shown to people, e.g. `key "x"`. */
  readonly label: string;
  /** Indices into the history's operations. Every operation is in exactly one part. */
  readonly operations: readonly number[];
}

export interface Model<S = unknown, I = OperationInput, O = OperationOutput> {
  readonly name: string;
  /** One line for help texts. */
  readonly summary?: string;
  init(): S;
  step(state: S, input: I, output: O | null): StepResult<S>;
  /** Equality of object states (primitives are compared as values). Default: same JSON. */
  equal?(a: S, b: S): boolean;
  /** A 32-bit hash consistent with `equal`, for object states. Default: a hash of the JSON. */
  hash?(state: S): number;
  /**
   * Split a history into independent parts (P-compositionality): the history is linearizable iff
   * every part is. Must be deterministic (sort keys). Default: one part with everything.
   */
  partition?(operations: readonly Operation<I, O>[]): Part[];
  /**
   * True if the operation, with this recorded output, leaves the state unchanged whenever it is
   * legal: a read, a cas that reported failure. An optimisation only (the search then places it
   * as soon as it is legal, without trying alternatives), so when unsure return false (default).
   */
  preservesState?(input: I, output: O | null): boolean;
  /**
   * A fast path for models whose states are primitives: what the operation does, in terms the
   * checker can evaluate on interned state ids, without calling `step` or building states (kv
   * values grow by appends; building and hashing them dominated the check). Must agree with
   * `step` for every state it applies to. Default: undefined for every operation (use `step`).
   */
  effect?(input: I, output: O | null): Effect<S> | undefined;
  /** Why an input or output is malformed for this model, or null if it is fine. */
  validate?(input: OperationInput, output: OperationOutput | null): ValidationError | null;
  describeOperation?(input: I, output: O | null): string;
  describeState?(state: S): string;
}

/**
 * An operation's effect, as `Model.effect` describes it:
 * - `read`: legal iff the state is `value` (===); the state is unchanged.
 * - `noop`: always legal; the state is unchanged (a read whose outcome is unknown).
 * - `write`: always legal; the state becomes `value`.
 * - `append`: from a string state s, always legal, the state becomes s + `suffix`. From a state
 *   that is not a string, `step` decides.
 */
export type Effect<S> =
  | { readonly kind: 'read'; readonly value: S }
  | { readonly kind: 'noop' }
  | { readonly kind: 'write'; readonly value: S }
  | { readonly kind: 'append'; readonly suffix: string };

/** A problem with one field of an operation, e.g. `{field: 'input.value', message: '...'}`. */
export interface ValidationError {
  readonly field: string;
  readonly message: string;
}

/** A model with every optional member filled in. */
export type FullModel<S = unknown, I = OperationInput, O = OperationOutput> = Required<Model<S, I, O>>;

// Models are stored and looked up by name, so their type parameters are erased there.
export type AnyModel = Model<any, any, any>;

export function fillDefaults<S, I, O>(model: Model<S, I, O>): FullModel<S, I, O> {
  return {
    name: model.name,
    summary: model.summary ?? model.name,
    init: () => model.init(),
    step: (state, input, output) => model.step(state, input, output),
    equal: model.equal ? (a, b) => model.equal!(a, b) : defaultEqual,
    hash: model.hash ? (state) => model.hash!(state) : defaultHash,
    partition: model.partition
      ? (operations) => model.partition!(operations)
      : (operations) => [{ label: 'all', operations: operations.map((_, index) => index) }],
    preservesState: model.preservesState ? (input, output) => model.preservesState!(input, output) : () => false,
    effect: model.effect ? (input, output) => model.effect!(input, output) : () => undefined,
    validate: model.validate ? (input, output) => model.validate!(input, output) : () => null,
    describeOperation: model.describeOperation
      ? (input, output) => model.describeOperation!(input, output)
      : (input, output) => `${JSON.stringify(input)} → ${output === null ? '?' : JSON.stringify(output)}`,
    describeState: model.describeState
      ? (state) => model.describeState!(state)
      : (state) => JSON.stringify(state) ?? String(state),
  };
}

function defaultEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function defaultHash(state: unknown): number {
  return hashString(typeof state === 'string' ? state : JSON.stringify(state) ?? String(state));
}

/** FNV-1a over UTF-16 code units: a cheap, deterministic 32-bit string hash. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash | 0;
}
