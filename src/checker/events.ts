import { broken } from './assert.js';

/**
 * The history as a doubly linked list of call and return entries in time order, over typed
 * arrays. Entry 0 is the head and entry 2n + 1 the tail, so no link is ever null. Intervals are
 * closed: at equal times calls come before returns. A return that never happened sorts last.
 *
 * `lift` takes an operation's call and return out of the list when it is linearized; `unlift`
 * puts them back in reverse order when the search backtracks (dancing links).
 */
export class EventList {
  readonly head = 0;
  readonly tail: number;
  /** Entry → operation index (head and tail: -1). */
  readonly op: Int32Array;
  /** Call entry → its return entry; 0 for return entries. */
  readonly match: Int32Array;
  readonly next: Int32Array;
  readonly prev: Int32Array;

  constructor(calls: readonly number[], returns: readonly number[]) {
    const count = calls.length;
    this.tail = 2 * count + 1;
    this.op = new Int32Array(this.tail + 1).fill(-1);
    this.match = new Int32Array(this.tail + 1);
    this.next = new Int32Array(this.tail + 1);
    this.prev = new Int32Array(this.tail + 1);
    const order = sortEvents(calls, returns);
    const callEntry = new Int32Array(count);
    order.forEach((event, position) => {
      const entry = position + 1;
      const op = event < count ? event : event - count;
      this.op[entry] = op;
      if (event < count) callEntry[op] = entry;
      else this.match[callEntry[op]!] = entry;
    });
    for (let entry = 0; entry < this.tail; entry++) {
      this.next[entry] = entry + 1;
      this.prev[entry + 1] = entry;
    }
    // Every call has its return after it: the search's lift/unlift rely on it.
    callEntry.forEach((entry, op) => {
      if (!(entry > 0 && this.match[entry]! > entry)) broken(`events: operation ${op} has no return after its call`);
    });
  }

  /** Whether `entry` is in the list now (not lifted out). */
  isLinked(entry: number): boolean {
    return this.next[this.prev[entry]!] === entry && this.prev[this.next[entry]!] === entry;
  }

  isCall(entry: number): boolean {
    return this.match[entry] !== 0;
  }

  lift(entry: number): void {
    const { next, prev } = this;
    const match = this.match[entry]!;
    if (!(match !== 0 && this.isLinked(entry) && this.isLinked(match))) broken(`events: lift of entry ${entry}, which must be a call in the list`);
    next[prev[entry]!] = next[entry]!;
    prev[next[entry]!] = prev[entry]!;
    next[prev[match]!] = next[match]!;
    prev[next[match]!] = prev[match]!;
  }

  unlift(entry: number): void {
    const { next, prev } = this;
    const match = this.match[entry]!;
    next[prev[match]!] = match;
    prev[next[match]!] = match;
    next[prev[entry]!] = entry;
    prev[next[entry]!] = entry;
    if (!(this.isLinked(entry) && this.isLinked(match))) broken(`events: unlift of entry ${entry} must relink the call and its return`);
  }
}

/**
 * Events 0..n-1 are calls, n..2n-1 returns. Order: time, then calls before returns, then operation
 * index so the order (and so the search) is deterministic.
 */
function sortEvents(calls: readonly number[], returns: readonly number[]): number[] {
  const count = calls.length;
  const time = (event: number): number => (event < count ? calls[event]! : returns[event - count]!);
  const events = Array.from({ length: 2 * count }, (_, event) => event);
  return events.sort((a, b) => {
    const byTime = time(a) - time(b);
    if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
    const byKind = Number(a >= count) - Number(b >= count);
    return byKind !== 0 ? byKind : a - b;
  });
}
