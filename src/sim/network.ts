/**
 * The simulated network between nodes: latency from a distribution with jitter (which reorders
 * messages), drop, duplicate, directed link blocks (every partition shape is a set of blocked
 * links), and held links whose messages wait until released. Fault model: a message may be lost,
 * delayed, reordered or delivered twice; it is never corrupted or invented.
 *
 * The network decides; the world schedules. Blocks are checked at send and again at delivery, so a
 * partition also cuts the messages already in flight, as a cut cable would.
 */
import type { Prng } from './prng.js';

export interface NetworkOptions {
  readonly nodes: number;
  readonly latencyMsMin: number;
  readonly latencyMsMean: number;
  readonly latencyMsMax: number;
  readonly dropRatio: number;
  readonly duplicateRatio: number;
}

export class Network<T> {
  /** blocked[from * stride + to] = 1 when from cannot reach to. Node ids are 1-based. */
  private readonly blocked: Uint8Array;
  private readonly heldLinks: Uint8Array;
  private readonly held = new Map<number, T[]>();
  private readonly stride: number;
  private jitterMean: number;
  private jitterMax: number;
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
  }

  /** One message's delay: the minimum plus exponential jitter, capped. */
  latency(): number {
    return this.options.latencyMsMin + this.prng.exponential(this.jitterMean, this.jitterMax);
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

  /** Keeps a message sent on a held link. */
  keep(from: number, to: number, message: T): void {
    const key = from * this.stride + to;
    let queue = this.held.get(key);
    if (!queue) this.held.set(key, (queue = []));
    queue.push(message);
  }

  /** Stops holding the link; returns the kept messages in the order they were sent. */
  release(from: number, to: number): T[] {
    const key = from * this.stride + to;
    this.heldLinks[key] = 0;
    const queue = this.held.get(key) ?? [];
    this.held.delete(key);
    return queue;
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
