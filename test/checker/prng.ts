/** mulberry32: a tiny seeded PRNG for the property tests (deterministic, no dependencies). */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A 32-bit unsigned integer. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return (z ^ (z >>> 14)) >>> 0;
  }

  /** An integer in [min, max]. */
  rangeInclusive(min: number, max: number): number {
    return min + (this.next() % (max - min + 1));
  }

  /** True with probability numerator / denominator. */
  chance(numerator: number, denominator: number): boolean {
    return this.next() % denominator < numerator;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.next() % items.length]!;
  }
}
