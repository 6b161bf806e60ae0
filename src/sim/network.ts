/**
 * The simulated network between nodes: latency from a distribution with jitter (which reorders
 * messages), drop, duplicate, directed link blocks (every partition shape is a set of blocked
 * links), and held links whose messages wait until released. Fault model: a message may be lost,
 * delayed, reordered or delivered twice; it is never corrupted or invented.
 *
 * The network decides; the world schedules. Blocks are checked at send and again at delivery, so a
 * partition also cuts the messages already in flight, as a cut cable would.
 *
 * Issue 8 adds: a fixed extra latency per directed link (drawn once from the seed); `delay`, which
 * makes the next message on a link arrive far later than its latency (kept here until due, so the
 * final heal can hand it over); and a memory of the last messages on each link, for `replay`.
 */
import type { Prng } from './prng.js';

export interface NetworkOptions {
  readonly nodes: number;
  readonly latencyMsMin: number;
  readonly latencyMsMean: number;
  readonly latencyMsMax: number;
  readonly dropRatio: number;
  readonly duplicateRatio: number;
  /** Each directed link adds a fixed latency drawn from the seed in [0, this] ms (0: none). */
  readonly linkLatencySpreadMs?: number;
}

/** Messages remembered per directed link for replay: a ring of the last this many sent. */
export const REPLAY_MEMORY = 32;
/** Delayed messages in flight at once; a delay past this is refused (the message goes normally). */
export const MAX_DELAYED = 1024;

/**
 * A held link keeps at most this many messages, as a real send buffer would; past it they are
 * dropped (a held link only delays, so a message it cannot keep is simply lost, which Raft
 * tolerates) and counted in `heldRefused`.
 */
export const HELD_PER_LINK_MAX = 10_000;

export class Network<T> {
  /** blocked[from * stride + to] = 1 when from cannot reach to. Node ids are 1-based. */
  private readonly blocked: Uint8Array;
  private readonly heldLinks: Uint8Array;
  private readonly held = new Map<number, T[]>();
  private readonly stride: number;
  private jitterMean: number;
  private jitterMax: number;
  /** Fixed extra latency per link (null: none), so the hot path pays nothing without a spread. */
  private readonly linkExtra: Int32Array | null = null;
  /** Per link, the last REPLAY_MEMORY messages sent (a ring) and how many were ever written. */
  private readonly memory: (T[] | undefined)[];
  private readonly remembered: Float64Array;
  private replayPrng: Prng | null = null;
  /** Links whose next message is delayed, and by how much. */
  private readonly armedDelays = new Map<number, number>();
  /** Delayed messages on their way, by id, in the order they were sent. */
  private readonly delayed = new Map<number, T>();
  private nextDelayedId = 1;
  dropRatio: number;
  duplicateRatio: number;

  constructor(private readonly options: NetworkOptions, private readonly prng: Prng) {
    this.stride = options.nodes + 1;
    this.blocked = new Uint8Array(this.stride * this.stride);
    this.heldLinks = new Uint8Array(this.stride * this.stride);
    this.jitterMean = options.latencyMsMean - options.latencyMsMin;
    this.jitterMax = options.latencyMsMax - options.latencyMsMin;
    this.dropRatio = options.dropRatio;
    this.duplicateRatio = options.duplicateRatio;
    this.memory = new Array<T[] | undefined>(this.stride * this.stride);
    this.remembered = new Float64Array(this.stride * this.stride);
    const spread = options.linkLatencySpreadMs ?? 0;
    if (spread > 0) {
      // Its own child generator: the per-message draws of `prng` do not shift.
      const draw = prng.child('link-latency');
      this.linkExtra = new Int32Array(this.stride * this.stride);
      for (let from = 1; from < this.stride; from++) {
        for (let to = 1; to < this.stride; to++) if (from !== to) this.linkExtra[from * this.stride + to] = draw.rangeInclusive(0, spread);
      }
    }
  }

  /** One message's delay: the minimum plus exponential jitter, capped, plus the link's own extra. */
  latency(from = 0, to = 0): number {
    const base = this.options.latencyMsMin + this.prng.exponential(this.jitterMean, this.jitterMax);
    return this.linkExtra === null ? base : base + this.linkExtra[from * this.stride + to]!;
  }

  /** The fixed extra latency of a link (0 without a spread). */
  linkLatency(from: number, to: number): number {
    return this.linkExtra === null ? 0 : this.linkExtra[from * this.stride + to]!;
  }

  shouldDrop(): boolean {
    return this.prng.chance(this.dropRatio);
  }

  shouldDuplicate(): boolean {
    return this.prng.chance(this.duplicateRatio);
  }

  isBlocked(from: number, to: number): boolean {
    return this.blocked[from * this.stride + to] === 1;
  }

  isHeld(from: number, to: number): boolean {
    return this.heldLinks[from * this.stride + to] === 1;
  }

  /** Replaces all blocks: nodes talk only within their group; a node in no group talks to nobody. */
  partition(groups: readonly (readonly number[])[]): void {
    const groupOf = new Int32Array(this.stride).fill(-1);
    groups.forEach((group, g) => group.forEach((node) => (groupOf[node] = g)));
    for (let from = 1; from < this.stride; from++) {
      for (let to = 1; to < this.stride; to++) {
        const together = from === to || (groupOf[from] !== -1 && groupOf[from] === groupOf[to]);
        this.blocked[from * this.stride + to] = together ? 0 : 1;
      }
    }
  }

  /** Replaces all blocks with an explicit reachability predicate. */
  connectOnly(canReach: (from: number, to: number) => boolean): void {
    for (let from = 1; from < this.stride; from++) {
      for (let to = 1; to < this.stride; to++) {
        this.blocked[from * this.stride + to] = from === to || canReach(from, to) ? 0 : 1;
      }
    }
  }

  /** Adds one directed block, keeping the others. */
  blockOneWay(from: number, to: number): void {
    this.blocked[from * this.stride + to] = 1;
  }

  /** Clears every block. Held links stay held until released. */
  heal(): void {
    this.blocked.fill(0);
  }

  hold(from: number, to: number): void {
    this.heldLinks[from * this.stride + to] = 1;
  }

  /** Messages held links refused because their queue was full (HELD_PER_LINK_MAX). */
  heldRefused = 0;

  /** Keeps a message sent on a held link; false (and counted) when the link's queue is full. */
  keep(from: number, to: number, message: T): boolean {
    const key = from * this.stride + to;
    let queue = this.held.get(key);
    if (!queue) this.held.set(key, (queue = []));
    if (queue.length >= HELD_PER_LINK_MAX) {
      this.heldRefused++;
      return false;
    }
    queue.push(message);
    return true;
  }

  /** Stops holding the link; returns the kept messages in the order they were sent. */
  release(from: number, to: number): T[] {
    const key = from * this.stride + to;
    this.heldLinks[key] = 0;
    const queue = this.held.get(key) ?? [];
    this.held.delete(key);
    return queue;
  }

  /** Remembers a message that went onto the wire, for replay (the ring drops the oldest). */
  remember(from: number, to: number, message: T): void {
    const key = from * this.stride + to;
    let ring = this.memory[key];
    if (ring === undefined) this.memory[key] = ring = [];
    ring[this.remembered[key]! % REPLAY_MEMORY] = message;
    this.remembered[key]!++;
  }

  /**
   * A remembered message of the link, chosen by the seed with older ones more likely (an old
   * message is the one a protocol forgets to guard against); null if the link sent nothing yet.
   */
  pickReplay(from: number, to: number): T | null {
    const key = from * this.stride + to;
    const ring = this.memory[key];
    const count = this.remembered[key]!;
    if (ring === undefined || count === 0) return null;
    this.replayPrng ??= this.prng.child('replay');
    const available = Math.min(count, REPLAY_MEMORY);
    const u = this.replayPrng.float();
    const offset = Math.floor(u * u * available);
    return ring[(count - available + offset) % REPLAY_MEMORY]!;
  }

  /** The next message sent on from→to arrives `forMs` later than its latency. */
  armDelay(from: number, to: number, forMs: number): void {
    this.armedDelays.set(from * this.stride + to, forMs);
  }

  /** The armed delay of the link (0 if none), disarming it: it applies to one message. */
  takeDelay(from: number, to: number): number {
    if (this.armedDelays.size === 0) return 0;
    const key = from * this.stride + to;
    const forMs = this.armedDelays.get(key);
    if (forMs === undefined) return 0;
    this.armedDelays.delete(key);
    return forMs;
  }

  /** Keeps a delayed message until due; returns its id, or null when MAX_DELAYED are in flight. */
  keepDelayed(message: T): number | null {
    if (this.delayed.size >= MAX_DELAYED) return null;
    const id = this.nextDelayedId++;
    this.delayed.set(id, message);
    return id;
  }

  /** The delayed message with this id, if the heal has not already handed it over. */
  takeDelayed(id: number): T | undefined {
    const message = this.delayed.get(id);
    this.delayed.delete(id);
    return message;
  }

  /** Ends every delay: disarms the links and returns the delayed messages in flight, oldest first. */
  clearDelays(): T[] {
    this.armedDelays.clear();
    const messages = [...this.delayed.values()];
    this.delayed.clear();
    return messages;
  }

  /** Every held link, in (from, to) order. */
  heldLinkList(): [number, number][] {
    const links: [number, number][] = [];
    for (let from = 1; from < this.stride; from++) {
      for (let to = 1; to < this.stride; to++) {
        if (this.isHeld(from, to)) links.push([from, to]);
      }
    }
    return links;
  }
}
