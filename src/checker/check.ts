/**
 * Checking a whole history: partition it with the model, search each part on its own, combine.
 * The history is linearizable iff every part is (P-compositionality).
 *
 * Parts are searched in turns of a fixed number of steps, like Porcupine's parallel goroutines
 * but deterministic: a part that fails quickly is found even when another part's search is
 * long, and then the others stop (their verdict is `unknown`: not needed). The clock, if any, is
 * read between turns, so a time-out gives `unknown`, never a guess.
 */
import { deadline, isIndeterminate, type Operation } from './history.js';
import { fillDefaults, type Model } from './model.js';
import { explainFailure, type PartFailure } from './explain.js';
import { LinearizationSearch, type Verdict } from './search.js';
import { Transitions } from './transitions.js';
import { earlierTwins } from './twins.js';

export interface CheckOptions {
  /** Give up after this many milliseconds with `unknown`. Needs `now`. */
  readonly timeoutMs?: number;
  /** A clock in milliseconds, given by the caller (the CLI passes its own); the checker never reads a clock itself. */
  readonly now?: () => number;
  /** Give up with `unknown` once the searches hold more than this (default DEFAULT_MAX_MEMORY_BYTES). */
  readonly maxMemoryBytes?: number;
}

/**
 * What the searches of one check may hold: 4 GiB. Their caches only grow, and a hard history can
 * take a machine's memory (a 5-minute jepsen history once reached 20 GB); past the bound the
 * verdict is `unknown`, never a crash. Checked between turns, so it may be passed by one turn.
 */
export const DEFAULT_MAX_MEMORY_BYTES = 4 * 1024 ** 3;

export interface PartResult {
  readonly label: string;
  /** Indices into the history's operations, in the part. */
  readonly operations: readonly number[];
  /** `unknown`: timed out, or not finished because another part was found not linearizable. */
  readonly result: Verdict;
  /**
   * Operation indices in linearization order: all of them (linearizable; indeterminate operations,
   * `output: null`, may be absent, meaning they took no effect), or the longest prefix found (not
   * linearizable, unknown).
   */
  readonly linearization: readonly number[];
  /** Why the part is not linearizable. */
  readonly failure?: PartFailure;
  /** Search steps taken, a measure of effort. */
  readonly steps: number;
}

export interface CheckResult {
  readonly result: Verdict;
  readonly parts: readonly PartResult[];
  /** Why a search stopped before its verdict: the time-out, or the memory bound. */
  readonly stoppedBy?: 'timeout' | 'memory';
}

/** Search steps a part takes before the next part's turn (and between clock readings). */
const STEPS_PER_TURN = 1 << 13;

/**
 * Checks whether `operations` are linearizable with respect to `model`. Never throws for a
 * non-linearizable history; the verdict is in `result`, with an explanation per failing part.
 * Operations must be valid (see parseHistory); a return before its call is a RangeError.
 */
export function checkOperations<S, I, O>(
  model: Model<S, I, O>,
  operations: readonly Operation<I, O>[],
  options: CheckOptions = {},
): CheckResult {
  operations.forEach((op, index) => {
    if (op.return !== null && op.return < op.call) {
      const when = `returns at ${op.return}, before its call at ${op.call}`;
      throw new RangeError(`checkOperations: operations[${index}] ${when}`);
    }
  });
  const full = fillDefaults(model);
  const expired = makeDeadline(options);
  const parts = full.partition(operations);
  const searches = parts.map((part) => {
    const ops = part.operations.map((index) => operations[index]!);
    const inputs = ops.map((op) => op.input);
    const outputs = ops.map((op) => op.output);
    const calls = ops.map((op) => op.call);
    // An indeterminate operation's recorded return bounds nothing: the search sees +infinity.
    const returns = ops.map(deadline);
    const transitions = new Transitions(full, inputs, outputs);
    return new LinearizationSearch({
      calls,
      returns,
      earlierTwin: earlierTwins(inputs, outputs, calls, returns),
      optional: ops.map(isIndeterminate),
      preservesState: ops.map((op) => full.preservesState(op.input, op.output)),
      transitions: transitions as Transitions<unknown, unknown, unknown>,
    });
  });
  const maxMemoryBytes = options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES;
  let stoppedBy: CheckResult['stoppedBy'];
  let running = searches.filter((search) => search.result === null);
  while (running.length > 0) {
    if (expired()) stoppedBy = 'timeout';
    else if (searches.reduce((sum, search) => sum + search.memoryBytes, 0) > maxMemoryBytes) stoppedBy = 'memory';
    if (stoppedBy !== undefined) break;
    for (const search of running) {
      if (search.run(STEPS_PER_TURN) === 'not-linearizable') running = [];
    }
    running = running.filter((search) => search.result === null);
  }
  const results = parts.map((part, index): PartResult => {
    const search = searches[index]!;
    const linearization = search.linearization.map((local) => part.operations[local]!);
    const result = search.result ?? 'unknown';
    const base = { ...part, result, linearization, steps: search.steps };
    if (result !== 'not-linearizable') return base;
    return { ...base, failure: explainFailure(full, operations, part.operations, linearization) };
  });
  const result = combine(results.map((part) => part.result));
  return { result, parts: results, ...(result === 'unknown' && stoppedBy !== undefined ? { stoppedBy } : {}) };
}

function combine(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes('not-linearizable')) return 'not-linearizable';
  return verdicts.includes('unknown') ? 'unknown' : 'linearizable';
}

function makeDeadline(options: CheckOptions): () => boolean {
  const { timeoutMs, now } = options;
  if (timeoutMs === undefined || timeoutMs === Infinity) return () => false;
  if (!now) throw new RangeError('checkOperations: timeoutMs needs a clock, pass options.now');
  const deadline = now() + timeoutMs;
  return () => now() >= deadline;
}
