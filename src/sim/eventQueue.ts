/**
 * The simulator's event queue: a binary min-heap with a total, deterministic order —
 * virtual time first, then insertion sequence. Two events at the same time run in the order they
 * were scheduled, so the order never depends on anything but the seed.
 */

export interface Scheduled {
  /** Virtual time in milliseconds (an integer). */
  time: number;
  /** Insertion sequence, set by the queue. */
  seq: number;
}

/**
 * The most events the queue holds. Past it the simulator is broken (a runaway schedule), not the
 * system under test: push throws. Messages, the one kind that can pile up, are refused well before
 * (World.send, MESSAGE_EVENTS_MAX).
 */
export const EVENT_QUEUE_MAX = 2_000_000;

export class EventQueue<E extends Scheduled> {
  private readonly heap: E[] = [];
  private nextSeq = 0;

  constructor(private readonly max = EVENT_QUEUE_MAX) {}

  get size(): number {
    return this.heap.length;
  }

  push(event: E): void {
    if (this.heap.length >= this.max) throw new Error(`event queue: over its bound of ${this.max} events`);
    event.seq = this.nextSeq++;
    const heap = this.heap;
    let i = heap.length;
    heap.push(event);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as E;
      if (!before(event, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = event;
  }

  peek(): E | undefined {
    return this.heap[0];
  }

  pop(): E | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop() as E;
    const n = heap.length;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && before(heap[right] as E, heap[left] as E)) child = right;
      if (!before(heap[child] as E, last)) break;
      heap[i] = heap[child] as E;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}

function before(a: Scheduled, b: Scheduled): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
