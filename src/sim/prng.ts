/**
 * The simulator's one source of randomness: seedrandom's Alea generator behind an integer-first API
 * (after TigerBeetle's `stdx.PRNG`). Every part of the world gets its own child generator, derived
 * from the run's seed and a label, so that one extra draw in one part shifts nothing in another.
 */
import seedrandom from 'seedrandom';

export class Prng {
  private readonly next: () => number;

  constructor(readonly seed: string) {
    this.next = seedrandom.alea(seed);
  }

  /** A generator for one part of the world, independent of every other label. */
  child(label: string): Prng {
    return new Prng(`${this.seed}/${label}`);
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next();
  }

  /** An integer in [0, maxExclusive). */
  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  /** An integer in [min, max]. */
  rangeInclusive(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `ratio` (0 ≤ ratio ≤ 1); draws nothing when the ratio is 0 or 1. */
  chance(ratio: number): boolean {
    if (ratio <= 0) return false;
    if (ratio >= 1) return true;
    return this.next() < ratio;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Prng.pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  /** A key drawn with probability proportional to its weight; keys are taken in the given order. */
  weighted<K extends string>(weights: readonly (readonly [K, number])[]): K {
    let total = 0;
    for (const [, weight] of weights) total += weight;
    if (!(total > 0)) throw new Error('Prng.weighted needs a positive total weight');
    let draw = this.next() * total;
    for (const [key, weight] of weights) {
      if (draw < weight) return key;
      draw -= weight;
    }
    return weights[weights.length - 1]![0];
  }

  /** Exponentially distributed integer with the given mean, capped at `max`. */
  exponential(mean: number, max: number): number {
    if (mean <= 0) return 0;
    const value = Math.floor(-Math.log(1 - this.next()) * mean);
    return value > max ? max : value;
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }
}
