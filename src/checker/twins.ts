/**
 * Twins: operations with no deadline (`returns` +infinity: never returned, or indeterminate
 * whatever their recorded return), with the same input and the same recorded output. The search
 * need only ever linearize the earliest available one of a set of twins (symmetry reduction),
 * which matters for histories with many unfinished writes (etcd's).
 *
 * Why it is sound: say twins a and b (a called first) are both unlinearized and b is a candidate
 * now; then so is a (its call is earlier, and nothing it must follow is unplaced). Take any valid
 * completion that places b now. Swapping a and b (b goes where a was, or nowhere if a was left
 * out as optional) gives a valid completion that places a now: the model cannot tell them apart,
 * and neither has a deadline, so no operation has to follow either of them (with the same output,
 * both are optional or neither is). So if placing a now fails, placing b now fails too, and b is
 * skipped while a is unplaced.
 */
export function earlierTwins(
  inputs: readonly unknown[],
  outputs: readonly unknown[],
  calls: readonly number[],
  returns: readonly number[],
): Int32Array {
  const earlier = new Int32Array(inputs.length).fill(-1);
  const pending = [];
  for (let op = 0; op < inputs.length; op++) if (returns[op] === Infinity) pending.push(op);
  // The search's event order: by call time, then index.
  pending.sort((a, b) => calls[a]! - calls[b]! || a - b);
  const lastByText = new Map<string, number>();
  for (const op of pending) {
    const text = JSON.stringify([inputs[op], outputs[op]]);
    earlier[op] = lastByText.get(text) ?? -1;
    lastByText.set(text, op);
  }
  return earlier;
}
