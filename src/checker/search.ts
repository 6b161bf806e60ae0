/**
 * The Wing–Gong search with Lowe's improvements, as Porcupine does it, for one part of a history.
 *
 * Walk the event list from the head while the entries are calls: each such operation could take
 * effect now, because no pending operation has returned yet. Try them in order: if the model
 * accepts one and the (linearized set, state) pair is new, linearize it (lift it out of the
 * list, push it) and start again from the head. Reaching a return means the operation that
 * returned there can no longer be placed: pop the last choice and try the next candidate after
 * it. The stack is explicit, so long histories cannot overflow the JS call stack, and the search
 * can stop after any number of steps and resume, which lets the caller interleave parts and
 * poll a clock between slices.
 */
import { Bitset, mixStateId } from './bitset.js';
import { EventList } from './events.js';
import type { Transitions } from './transitions.js';
import { VisitedSet } from './visited.js';

export type Verdict = 'linearizable' | 'not-linearizable' | 'unknown';

export interface SearchInput {
  readonly calls: readonly number[];
  /** Infinity for an operation that never returned. */
  readonly returns: readonly number[];
  /**
   * Operations that need not be placed: never returned and outcome unknown. Each can always be
   * appended at the end (the model accepts any output), so the search succeeds once every other
   * operation is placed.
   */
  readonly optional: readonly boolean[];
  readonly transitions: Transitions<unknown, unknown, unknown>;
}

export class LinearizationSearch {
  /** Steps taken so far, a measure of effort. */
  steps = 0;
  private verdict: Verdict | null = null;
  private readonly events: EventList;
  private readonly linearized: Bitset;
  private readonly visited: VisitedSet;
  private readonly stackEntry: Int32Array;
  private readonly stackState: Int32Array;
  private depth = 0;
  private longest: number[] = [];
  private required: number;
  private state: number;
  private entry: number;

  constructor(private readonly input: SearchInput) {
    const count = input.calls.length;
    this.events = new EventList(input.calls, input.returns);
    this.linearized = new Bitset(count);
    this.visited = new VisitedSet(this.linearized.words.length);
    this.stackEntry = new Int32Array(count);
    this.stackState = new Int32Array(count);
    this.required = input.optional.reduce((sum, optional) => sum + (optional ? 0 : 1), 0);
    this.state = input.transitions.initial;
    this.entry = this.events.next[this.events.head]!;
    if (this.required === 0) this.verdict = 'linearizable';
  }

  /** The verdict, or null while the search has not finished. */
  get result(): Verdict | null {
    return this.verdict;
  }

  /** The full linearization once linearizable, else the longest prefix found so far. */
  get linearization(): number[] {
    return this.verdict === 'linearizable' ? this.stackOps() : this.longest;
  }

  /** Searches for at most `budget` more steps; returns the verdict or null if not done. */
  run(budget: number): Verdict | null {
    if (this.verdict !== null) return this.verdict;
    const { transitions, optional } = this.input;
    const { events, linearized, visited, stackEntry, stackState } = this;
    const { next, op: opOf, match, head } = events;
    let { depth, required, state, entry } = this;
    let steps = 0;
    for (; steps < budget && required > 0; steps++) {
      if (match[entry] !== 0) {
        // A call: try to linearize its operation now.
        const op = opOf[entry]!;
        const after = transitions.next(state, op);
        if (after >= 0) {
          linearized.set(op);
          if (visited.addIfAbsent(linearized.words, after, linearized.hash ^ mixStateId(after))) {
            stackEntry[depth] = entry;
            stackState[depth++] = state;
            state = after;
            if (!optional[op]) required--;
            events.lift(entry);
            entry = next[head]!;
            continue;
          }
          linearized.clear(op);
        }
        entry = next[entry]!;
      } else {
        // A return: its operation can no longer be placed on this path. Backtrack.
        if (depth > this.longest.length) this.longest = this.stackOps(depth);
        if (depth === 0) {
          this.verdict = 'not-linearizable';
          break;
        }
        entry = stackEntry[--depth]!;
        state = stackState[depth]!;
        const op = opOf[entry]!;
        linearized.clear(op);
        if (!optional[op]) required++;
        events.unlift(entry);
        entry = next[entry]!;
      }
    }
    this.depth = depth;
    this.required = required;
    this.state = state;
    this.entry = entry;
    this.steps += steps;
    if (required === 0) this.verdict = 'linearizable';
    return this.verdict;
  }

  private stackOps(depth = this.depth): number[] {
    return Array.from(this.stackEntry.subarray(0, depth), (entry) => this.events.op[entry]!);
  }
}
