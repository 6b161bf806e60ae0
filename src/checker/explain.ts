/**
 * Why a part is not linearizable, in terms a person can follow: the longest linearization the
 * search found, the states along it, and the operations that were pending after it, none of
 * which could be placed next. The operation that returned first among those left is the one
 * that "ran out of time": it had to take effect before it returned and could not. Indeterminate
 * operations (`output: null`) have no such deadline and are never the one blamed.
 */
import { deadline, isIndeterminate, type Operation } from './history.js';
import { fillDefaults, type FullModel, type Model } from './model.js';
import type { CheckResult, PartResult } from './check.js';

export interface PendingOperation {
  readonly operation: number;
  /** Whether the model accepts it right after the longest linearization (it then led nowhere). */
  readonly legal: boolean;
}

export interface PartFailure {
  /** Described states: [0] initial, [i + 1] after the i-th operation of the linearization. */
  readonly states: readonly string[];
  /** Operations that could have come next after the longest linearization. */
  readonly pending: readonly PendingOperation[];
  /** The first operation that could not be placed: the earliest return among those left. */
  readonly blocked: number | null;
}

export function explainFailure<S, I, O>(
  model: FullModel<S, I, O>,
  operations: readonly Operation<I, O>[],
  part: readonly number[],
  linearization: readonly number[],
): PartFailure {
  let state = model.init();
  const states = [model.describeState(state)];
  for (const index of linearization) {
    const operation = operations[index]!;
    state = model.step(state, operation.input, operation.output).state;
    states.push(model.describeState(state));
  }
  const placed = new Set(linearization);
  const left = part.filter((index) => !placed.has(index));
  const required = left.filter((index) => !isIndeterminate(operations[index]!));
  const blocked = required.reduce<number | null>((best, index) =>
    best === null || deadline(operations[index]!) < deadline(operations[best]!) ? index : best, null);
  const until = blocked === null ? Infinity : deadline(operations[blocked]!);
  const pending = left
    .filter((index) => operations[index]!.call <= until)
    .map((index) => {
      const operation = operations[index]!;
      const result = model.step(state, operation.input, operation.output);
      return { operation: index, legal: result.ok || operation.output === null };
    });
  return { states, pending, blocked };
}

/** The operation a failing part is blamed on: the first that could not be placed, by its return. */
export interface BlamedOperation {
  /** The part's label, e.g. `key "x"`. */
  readonly part: string;
  /** Index into the history's operations. */
  readonly index: number;
  readonly client: number;
  readonly call: number;
  readonly return: number;
  /** The model's words for it, e.g. `get("x") → "3"`. */
  readonly description: string;
}

/** One entry per not-linearizable part that names an operation (see explainFailure), in part order. */
export function blamedOperations<S, I, O>(
  model: Model<S, I, O>,
  operations: readonly Operation<I, O>[],
  result: CheckResult,
): BlamedOperation[] {
  const full = fillDefaults(model);
  const blamed: BlamedOperation[] = [];
  for (const part of result.parts) {
    const index = part.failure?.blocked;
    const operation = index == null ? undefined : operations[index];
    if (index == null || operation === undefined || operation.return === null) continue;
    blamed.push({
      part: part.label, index, client: operation.client, call: operation.call, return: operation.return,
      description: full.describeOperation(operation.input, operation.output),
    });
  }
  return blamed;
}

export interface FormatOptions {
  /** How many of the last linearization steps to list. */
  readonly maxSteps?: number;
}

/** Text lines explaining every failing part of a result, for the CLI and for test messages. */
export function formatExplanation<S, I, O>(
  model: Model<S, I, O>,
  operations: readonly Operation<I, O>[],
  result: CheckResult,
  options: FormatOptions = {},
): string[] {
  const full = fillDefaults(model);
  const lines: string[] = [];
  for (const part of result.parts) {
    if (part.failure) lines.push(...formatPart(full, operations, part, part.failure, options.maxSteps ?? 10));
  }
  return lines;
}

function formatPart<S, I, O>(
  model: FullModel<S, I, O>,
  operations: readonly Operation<I, O>[],
  part: PartResult,
  failure: PartFailure,
  maxSteps: number,
): string[] {
  const describe = (index: number): string => {
    const operation = operations[index]!;
    const end = operation.return === null ? '∞' : String(operation.return);
    return `op ${index} (client ${operation.client}, ${operation.call}–${end}) ` +
      model.describeOperation(operation.input, operation.output);
  };
  const steps = part.linearization;
  const shown = Math.min(steps.length, maxSteps);
  const lines = [`${part.label}: not linearizable`];
  lines.push(`  longest linearization found: ${steps.length} of ${part.operations.length} operations` +
    (shown < steps.length ? `, the last ${shown}:` : steps.length > 0 ? ':' : ''));
  for (let i = steps.length - shown; i < steps.length; i++) {
    lines.push(`    ${i + 1}. ${describe(steps[i]!)}  ⇒ ${failure.states[i + 1]}`);
  }
  lines.push(`  then none of these could be placed, in state ${failure.states[steps.length]}:`);
  for (const pending of failure.pending) {
    const why = pending.legal ? 'allowed, but nothing could follow it' : 'not allowed in this state';
    lines.push(`    ${describe(pending.operation)}: ${why}`);
  }
  if (failure.blocked !== null) {
    const end = operations[failure.blocked]!.return;
    lines.push(`  op ${failure.blocked} returned at ${end} and had to take effect before that.`);
  }
  return lines;
}
