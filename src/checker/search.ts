/**
 * The Wing–Gong search with Lowe's improvements, as Porcupine does it, for one part of a history.
 *
 * Walk the event list from the head while the entries are calls: each such operation could take
 * effect now, because no pending operation has returned yet. Try them in order: if the model
 * accepts one and the (linearized set, state) pair is new, linearize it (lift it out of the
 * list, push it) and start again from the head. Reaching a return means the operation that
 * returned there can no longer be placed: pop the last choice and try the next candidate after
 * it.
 *
 * Two additions to Porcupine. An operation that cannot change the state (a read, a failed cas)
 * and is legal now is linearized at once, with no alternatives (see findStatePreserving). And of
 * twins (twins.ts), only the earliest unplaced one is tried. Both choices depend only on the
 * node, so the cache stays sound: a pair in it is still either on the current path or known to
 * fail.
 *
 * The stack is explicit, so long histories cannot overflow the JS call stack, and the search can
 * stop after any number of steps and resume, which lets the caller interleave parts and poll a
 * clock between turns.
 */
import { Bitset } from './bitset.js';
import { EventList } from './events.js';
import type { Transitions } from './transitions.js';
import { VisitedSet } from './visited.js';
import { broken } from './assert.js';

export type Verdict = 'linearizable' | 'not-linearizable' | 'unknown';

export interface SearchInput {
  readonly calls: readonly number[];
  /** Per operation, the time by which it must take effect: Infinity if it has no deadline. */
  readonly returns: readonly number[];
  /**
   * Operations that need not be placed: indeterminate (outcome unknown). Each must have no
   * deadline (returns Infinity); then it can always be appended at the end (the model accepts any
   * output), so the search succeeds once every other operation is placed.
   */
  readonly optional: readonly boolean[];
  /**
   * Operations that, whenever legal, leave the state unchanged (reads, a cas that failed). The
   * search linearizes such an operation as soon as it is legal, without trying alternatives.
   */
  readonly preservesState: readonly boolean[];
  /** Per operation: its earlier twin (twins.ts), or -1. */
  readonly earlierTwin: Int32Array;
  readonly transitions: Transitions<unknown, unknown, unknown>;
}

/** What the search does at its next step. */
const Mode = {
  /** Just arrived at a node: look for a state-preserving operation to force. */
  fresh: 0,
  /** Linearize the forced operation `candidate`. */
  forced: 1,
  /** Try the call entries from `entry` on. */
  walk: 2,
  /** Undo the last choice. */
  backtrack: 3,
} as const;
type Mode = (typeof Mode)[keyof typeof Mode];

export class LinearizationSearch {
  /** Steps taken so far, a measure of effort. */
  steps = 0;
  private verdict: Verdict | null = null;
  private readonly events: EventList;
  private readonly linearized: Bitset;
  private readonly visited: VisitedSet;
  private readonly stackEntry: Int32Array;
  private readonly stackState: Int32Array;
  /** 1 where the choice was a forced state-preserving operation: no alternative to try. */
  private readonly stackForced: Uint8Array;
  private readonly anyPreserving: boolean;
  /** Per entry: 1 for the call of a state-preserving operation (saves a lookup in the loop). */
  private readonly preservingCall: Uint8Array;
  /** Per operation: 1 if optional, as bytes. */
  private readonly optional: Uint8Array;
  private mode: Mode = Mode.fresh;
  private depth = 0;
  private longest: number[] = [];
  private required: number;
  private state: number;
  private entry: number;
  /** Where findStatePreserving starts at a fresh node (see run). */
  private scan: number;

  constructor(private readonly input: SearchInput) {
    const count = input.calls.length;
    // An optional op with a finite return would be half bound: the walk backtracks at its return,
    // but only while required ops remain. The caller gives indeterminate ops Infinity.
    input.optional.forEach((optional, op) => {
      if (optional && input.returns[op] !== Infinity) {
        throw new RangeError(`LinearizationSearch: optional operation ${op} must have return Infinity`);
      }
    });
    this.events = new EventList(input.calls, input.returns);
    this.linearized = new Bitset(count);
    this.visited = new VisitedSet(this.linearized.words.length);
    this.stackEntry = new Int32Array(count);
    this.stackState = new Int32Array(count);
    this.stackForced = new Uint8Array(count);
    this.anyPreserving = input.preservesState.includes(true);
    this.preservingCall = Uint8Array.from(this.events.op, (op, entry) =>
      this.events.match[entry] !== 0 && input.preservesState[op] ? 1 : 0);
    this.optional = Uint8Array.from(input.optional, Number);
    this.required = input.optional.reduce((sum, optional) => sum + (optional ? 0 : 1), 0);
    this.state = input.transitions.initial;
    this.entry = this.events.next[this.events.head]!;
    this.scan = this.entry;
    if (this.required === 0) this.verdict = 'linearizable';
  }

  /** Bytes the search holds in its own arrays (the visited set dominates: it only grows). */
  get memoryBytes(): number {
    return this.visited.bytes + this.stackEntry.byteLength * 2 + this.stackForced.byteLength;
  }

  /** The verdict, or null while the search has not finished. */
  get result(): Verdict | null {
    return this.verdict;
  }

  /** The full linearization once linearizable, else the longest prefix found so far. */
  get linearization(): number[] {
    if (this.verdict === 'linearizable' || this.depth > this.longest.length) return this.stackOps();
    return this.longest;
  }

  /** Searches for at most `budget` more steps; returns the verdict or null if not done. */
  run(budget: number): Verdict | null {
    if (this.verdict !== null) return this.verdict;
    const { transitions, earlierTwin } = this.input;
    const { events, linearized, visited, stackEntry, stackState, stackForced, preservingCall, optional } = this;
    const { next, prev, op: opOf, match, head } = events;
    let { depth, required, state, entry, mode, scan } = this;
    let steps = 0;
    for (; steps < budget && required > 0; steps++) {
      let candidate = 0;
      if (mode === Mode.fresh) {
        candidate = this.findStatePreserving(state, scan);
        mode = candidate === 0 ? Mode.walk : Mode.forced;
        if (candidate === 0) entry = next[head]!;
      }
      if (mode === Mode.walk) {
        // findStatePreserving found every state-preserving call illegal at this node: skip them.
        while (preservingCall[entry] === 1) entry = next[entry]!;
        if (match[entry] === 0) mode = Mode.backtrack;
        else candidate = entry;
      }
      if (candidate !== 0) {
        // Try to linearize the candidate's operation now.
        const op = opOf[candidate]!;
        const twin = earlierTwin[op]!;
        // An unplaced earlier twin is a candidate too, and placing it first is as good.
        const after = twin >= 0 && !linearized.has(twin) ? -1 : transitions.next(state, op);
        if (after >= 0) {
          linearized.set(op);
          if (visited.addIfAbsent(linearized.words, after, linearized.hash ^ transitions.hashOf(after))) {
            if (!(depth < stackEntry.length && required > 0)) broken(`search: push at depth ${depth} with ${required} required left`);
            stackEntry[depth] = candidate;
            stackForced[depth] = mode === Mode.forced ? 1 : 0;
            stackState[depth++] = state;
            if (optional[op] === 0) required--;
            events.lift(candidate);
            // After a forced operation the state is the same, and so is the verdict on every
            // state-preserving call before it (illegal): resume the scan after it.
            scan = mode === Mode.forced ? next[prev[candidate]!]! : next[head]!;
            state = after;
            mode = Mode.fresh;
            continue;
          }
          linearized.clear(op);
        }
        // A forced operation already explored means this node was too: it fails.
        if (mode === Mode.forced) mode = Mode.backtrack;
        else entry = next[entry]!;
        continue;
      }
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
      if (optional[op] === 0) required++;
      events.unlift(entry);
      // After a forced operation fails, no other choice here can succeed: keep backtracking.
      mode = stackForced[depth] === 1 ? Mode.backtrack : Mode.walk;
      entry = next[entry]!;
    }
    this.depth = depth;
    this.required = required;
    this.state = state;
    this.entry = entry;
    this.mode = mode;
    this.scan = scan;
    this.steps += steps;
    if (required === 0) this.verdict = 'linearizable';
    return this.verdict;
  }

  /**
   * The first candidate whose operation leaves the state unchanged whenever it is legal (a read)
   * and is legal now, or 0. Linearizing it first loses nothing: in any linearization from here it
   * can move up to now, since every operation that returned before its call is already placed
   * and moving it changes no later state. So it is the only choice tried at this node.
   * The scan starts at `from`: every state-preserving call before it is known to be illegal.
   */
  private findStatePreserving(state: number, from: number): number {
    if (!this.anyPreserving) return 0;
    const { transitions } = this.input;
    const { preservingCall } = this;
    const { next, op: opOf, match } = this.events;
    for (let entry = from; match[entry] !== 0; entry = next[entry]!) {
      if (preservingCall[entry] === 1 && transitions.next(state, opOf[entry]!) >= 0) return entry;
    }
    return 0;
  }

  private stackOps(depth = this.depth): number[] {
    return Array.from(this.stackEntry.subarray(0, depth), (entry) => this.events.op[entry]!);
  }
}
