/**
 * The checker for other programs: `checkHistory(history, model)` validates a history, checks it,
 * and answers with the verdict, the operations to blame and the explanation in one object, so a
 * user needs neither the CLI nor the lower-level pieces (parseHistory, checkOperations,
 * formatExplanation), which stay exported for those who want them.
 */
import { checkOperations, type CheckOptions, type CheckResult } from './check.js';
import { formatExplanation } from './explain.js';
import type { Operation, OperationInput, OperationOutput, HistoryError } from './history.js';
import type { Model } from './model.js';
import { kvModel } from './models/kv.js';
import { raftsimKvModel } from './models/raftsimKv.js';
import { registerModel } from './models/register.js';
import { findModel, modelNames } from './models/registry.js';
import { validateHistory } from './parse.js';
import type { Verdict } from './search.js';

/** The models that come with the checker; write your own `Model` for anything else. */
export const models = Object.freeze({
  /** One integer register: read → {value}, write(value) → {}, cas(from, to) → {ok}. */
  register: registerModel,
  /** String keys, each initially "": get → {value}, put(key, value) → {}, append(key, value) → {}. Per key. */
  kv: kvModel,
  /** raftsim's own store: keys initially absent; get, put, append, delete, cas(key, expected, value) → {ok}. Per key. */
  raftsimKv: raftsimKvModel,
});

/**
 * A history as checkHistory takes it: the operations, bare or in a `{operations}` object. Their
 * inputs and outputs are not typed against the model here: checkHistory validates them at run
 * time, so a history read from JSON or written as plain literals needs no casts.
 */
export type HistoryLike<I = OperationInput, O = OperationOutput> =
  | readonly Operation<I, O>[]
  | { readonly operations: readonly Operation<I, O>[] };

export interface CheckHistoryOptions extends CheckOptions {
  /**
   * Check every operation's fields against the model, and that no client has two operations
   * outstanding at once, before checking (default true). A problem throws HistoryValidationError.
   */
  readonly validate?: boolean;
}

/** An operation the checker could not place: it had to take effect before it returned, and could not. */
export interface OffendingOperation<I = OperationInput, O = OperationOutput> {
  /** Its index in the history's operations. */
  readonly index: number;
  readonly operation: Operation<I, O>;
  /** The part it belongs to, e.g. `key "x"` (`all` for a model that does not partition). */
  readonly part: string;
}

export interface HistoryVerdict<I = OperationInput, O = OperationOutput> {
  /** `unknown`: the time-out or the memory bound was reached first (see `stoppedBy`); never a guess. */
  readonly verdict: Verdict;
  /** True only when the verdict is `linearizable`. */
  readonly linearizable: boolean;
  /** One per part that is not linearizable; empty otherwise. */
  readonly offending: readonly OffendingOperation<I, O>[];
  /** Why it is not linearizable, as text lines (empty when it is). */
  readonly explanation: readonly string[];
  /** The full result, per part: linearizations, pending operations. renderHtml draws it. */
  readonly result: CheckResult;
  readonly stoppedBy?: CheckResult['stoppedBy'];
}

/** A history checkHistory refused before checking it; `detail` names the operation and field. */
export class HistoryValidationError extends Error {
  constructor(readonly detail: HistoryError) {
    super(detail.message);
    this.name = 'HistoryValidationError';
  }
}

/**
 * Checks that `history` is linearizable with respect to `model` (one of `models`, your own, or a
 * model's name). Never throws for a history that is not linearizable: that is the verdict.
 * Throws HistoryValidationError for a malformed history, TypeError for an unknown model name.
 */
export function checkHistory<S, I, O>(
  history: HistoryLike<unknown, unknown>,
  model: Model<S, I, O> | string,
  options: CheckHistoryOptions = {},
): HistoryVerdict<I, O> {
  const resolved = typeof model === 'string' ? findModel(model) as Model<S, I, O> | undefined : model;
  if (!resolved) throw new TypeError(`checkHistory: unknown model ${JSON.stringify(model)} (known: ${modelNames().join(', ')})`);
  const operations = ('operations' in history ? history.operations : history) as readonly Operation<I, O>[];
  if (options.validate !== false) {
    const checked = validateHistory({ model: resolved.name, operations }, { model: resolved });
    if (!checked.ok) throw new HistoryValidationError(checked.error);
  }
  const { validate: _validate, ...checkOptions } = options;
  const result = checkOperations(resolved, operations, checkOptions);
  const offending = result.parts.flatMap((part) => {
    const index = part.failure?.blocked;
    return index == null ? [] : [{ index, operation: operations[index]!, part: part.label }];
  });
  return {
    verdict: result.result,
    linearizable: result.result === 'linearizable',
    offending,
    explanation: result.result === 'not-linearizable' ? formatExplanation(resolved, operations, result) : [],
    result,
    ...(result.stoppedBy === undefined ? {} : { stoppedBy: result.stoppedBy }),
  };
}
