/**
 * A linearizability failure as a violation: when and where it happened, the operation it is
 * blamed on (the first that could not be placed, with its call and return times), and the
 * checker's full explanation.
 */
import { blamedOperations, formatExplanation, raftsimKvModel } from '../checker/index.js';
import type { CheckResult, Operation } from '../checker/index.js';

/** The operation a linearizability failure is blamed on, as failure.json and --json show it. */
export interface BlamedOperationJson {
  /** The part that is not linearizable, e.g. `key "k2"`. */
  readonly part: string;
  /** Its index in the history (history.json's operations). */
  readonly index: number;
  readonly client: number;
  readonly callMs: number;
  readonly returnMs: number;
  /** e.g. `get("k2") → "v3"`. */
  readonly description: string;
}

export interface LinearizabilityViolation {
  readonly kind: 'linearizability';
  readonly invariant: 'linearizability';
  readonly message: string;
  readonly explanation: string[];
  /** When the blamed operation returned (it had to take effect by then); the end of the run if none is blamed. */
  readonly timeMs: number;
  /** Absent when the checker blames no operation (failure.json files written before it did). */
  readonly operation?: BlamedOperationJson;
}

export function linearizabilityViolation(operations: readonly Operation[], check: CheckResult, endMs: number): LinearizabilityViolation {
  const explanation = formatExplanation(raftsimKvModel, operations as never, check);
  const blamed = blamedOperations(raftsimKvModel, operations as never, check)[0];
  if (blamed === undefined) {
    const failing = check.parts.filter((part) => part.result === 'not-linearizable').map((part) => part.label);
    return { kind: 'linearizability', invariant: 'linearizability', message: `the history is not linearizable (${failing.join(', ')})`, explanation, timeMs: endMs };
  }
  const operation: BlamedOperationJson = {
    part: blamed.part, index: blamed.index, client: blamed.client, callMs: blamed.call, returnMs: blamed.return, description: blamed.description,
  };
  return {
    kind: 'linearizability', invariant: 'linearizability',
    message: `${blamed.part} is not linearizable: client ${blamed.client}'s ${blamed.description} (op ${blamed.index}) fits no order of the operations before its return`,
    explanation, timeMs: blamed.return, operation,
  };
}
