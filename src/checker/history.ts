/**
 * A concurrent history: what each client asked (`input`), what it saw (`output`), and when
 * (`call`, `return`). The format is the one of /work/shared/histories/README.md.
 *
 * Intervals are closed: an operation whose call equals another's return is concurrent with it.
 * `return: null` means the operation never returned (it completes at +infinity).
 *
 * `output: null` means the outcome is unknown: the operation is indeterminate, like Jepsen's
 * `:info`. It may take effect at any time after its call, or never; a recorded `return` only says
 * when the client stopped waiting (a time-out), so it is kept for display but does not bound the
 * search. If it does take effect, any output is acceptable and its effect follows the model (a
 * write still sets the value, a cas still swaps iff the compare matches at that point).
 */

/** The operation and its arguments; `f` names the operation (`read`, `put`, ...). */
export interface OperationInput {
  readonly f: string;
  readonly [field: string]: unknown;
}

/** What the client observed, e.g. `{value: 3}`, `{ok: true}` or `{}`. */
export type OperationOutput = { readonly [field: string]: unknown };

export interface Operation<I = OperationInput, O = OperationOutput> {
  readonly client: number;
  readonly call: number;
  /** null: never returned. */
  readonly return: number | null;
  readonly input: I;
  /** null: outcome unknown, the operation is indeterminate (see above). */
  readonly output: O | null;
}

export interface History {
  /** The model name from the file (`register`, `kv`, `raftsim-kv`). */
  readonly model: string;
  readonly operations: readonly Operation[];
}

/** Why a history file was rejected. `message` is one line and names the op and field if known. */
export interface HistoryError {
  readonly message: string;
  readonly operation?: number;
  readonly field?: string;
}

/** Outcome unknown: it may take effect any time after its call, or never. */
export function isIndeterminate(operation: Operation<unknown, unknown>): boolean {
  return operation.output === null;
}

/**
 * The time by which the operation must have taken effect, as the search sees it: its return, or
 * +infinity if it never returned or is indeterminate (its recorded return bounds nothing).
 */
export function deadline(operation: Operation<unknown, unknown>): number {
  return operation.return === null || isIndeterminate(operation) ? Infinity : operation.return;
}
