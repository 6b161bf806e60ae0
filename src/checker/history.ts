/**
 * A concurrent history: what each client asked (`input`), what it saw (`output`), and when
 * (`call`, `return`). The format is the one of /work/shared/histories/README.md.
 *
 * Intervals are closed: an operation whose call equals another's return is concurrent with it.
 * `return: null` means the operation never returned (it completes at +infinity). `output: null`
 * means the outcome is unknown: any output is acceptable, but its effect still follows the model.
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
  /** null: outcome unknown. */
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

/** The time at which an operation returned, +infinity if it never did. */
export function returnTime(operation: Operation<unknown, unknown>): number {
  return operation.return === null ? Infinity : operation.return;
}
