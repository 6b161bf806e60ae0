/**
 * Each node's clock: how long its ticks last (drift), and jumps. A drifting node's tick lasts
 * tickMs × (1 + d), d drawn per node from the seed in [−clockDriftMax, +clockDriftMax]; virtual
 * times stay integers by carrying the fraction over to the next tick in exact integer units
 * (milliseconds × 10⁶), so the average interval is right and every run is bit-for-bit the same.
 * A backward jump gives the node no ticks for a while (its timers wait); a forward one fires the
 * ticks of the skipped time at once (the world does that, bounded by MAX_JUMP_TICKS).
 */
import type { Prng } from './prng.js';

/** A forward jump fires at most this many ticks at once, so one fault cannot flood the run. */
export const MAX_JUMP_TICKS = 1000;
/** Drift in parts per million: the unit of the carried fraction. */
const PPM = 1_000_000;

export class Clocks {
  /** Per node (1-based): drift in ppm; 0 for every node when the scenario has no drift. */
  private readonly driftPpm: Int32Array;
  /** Per node: the fraction of a millisecond carried over, in ms × 10⁶. */
  private readonly carry: Float64Array;
  /** Per node: no ticks before this time (a backward jump). */
  private readonly frozenUntil: Float64Array;
  private readonly drifting: boolean;
  /** Per node: how far its jumps have set its clock forward (negative: back), in ms. */
  private readonly jumpedMs: Float64Array;

  constructor(nodes: number, private readonly tickMs: number, clockDriftMax: number, prng: Prng) {
    this.driftPpm = new Int32Array(nodes + 1);
    this.carry = new Float64Array(nodes + 1);
    this.frozenUntil = new Float64Array(nodes + 1);
    this.jumpedMs = new Float64Array(nodes + 1);
    const maxPpm = Math.round(clockDriftMax * PPM);
    this.drifting = maxPpm > 0;
    // Drawn only with drift on, so that runs without it consume no randomness here.
    if (this.drifting) for (let node = 1; node <= nodes; node++) this.driftPpm[node] = prng.rangeInclusive(-maxPpm, maxPpm);
  }

  /** The node's drift as a ratio (its tick lasts tickMs × (1 + drift)). */
  drift(node: number): number {
    return this.driftPpm[node]! / PPM;
  }

  /** The time until the node's next tick. */
  nextInterval(node: number): number {
    if (!this.drifting) return this.tickMs;
    const units = this.tickMs * (PPM + this.driftPpm[node]!) + this.carry[node]!;
    const ms = Math.floor(units / PPM);
    this.carry[node] = units - ms * PPM;
    return ms;
  }

  /**
   * What the node's clock reads at virtual time `now`: it runs at the pace of its ticks
   * (1 / (1 + drift)) and carries its jumps. The KV server stamps its proposals with it.
   */
  localMs(node: number, now: number): number {
    const pace = this.drifting ? Math.floor((now * PPM) / (PPM + this.driftPpm[node]!)) : now;
    return pace + this.jumpedMs[node]!;
  }

  /** A jump of `ms` (either way) sets the node's clock, whatever it does to its ticks. */
  jumped(node: number, ms: number): void {
    this.jumpedMs[node] = this.jumpedMs[node]! + ms;
  }

  /** True while a backward jump holds the node's ticks back. */
  frozen(node: number, now: number): boolean {
    return now < this.frozenUntil[node]!;
  }

  /** A backward jump of `ms`: no ticks for that long (a second jump extends, never shortens). */
  jumpBack(node: number, now: number, ms: number): void {
    this.frozenUntil[node] = Math.max(this.frozenUntil[node]!, now + ms);
  }

  /** How many ticks a forward jump of `ms` fires. */
  jumpTicks(ms: number): number {
    return Math.min(Math.floor(ms / this.tickMs), MAX_JUMP_TICKS);
  }

  /** The final heal: every clock runs again (drift stays: it is the hardware's). */
  heal(): void {
    this.frozenUntil.fill(0);
  }
}
