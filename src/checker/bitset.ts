import { broken } from './assert.js';

/**
 * The set of linearized operations, as 32-bit words, with a Zobrist hash kept up to date on every
 * change: each operation owns a fixed pseudo-random 32-bit key and the hash is the XOR of the keys
 * of the members. Setting or clearing a bit is O(1) and hashing never scans the words.
 */
export class Bitset {
  readonly words: Uint32Array;
  hash = 0;
  private readonly keys: Int32Array;

  constructor(size: number) {
    this.words = new Uint32Array(Math.max(1, Math.ceil(size / 32)));
    this.keys = zobristKeys(size);
  }

  set(index: number): void {
    if (!(index >= 0 && index < this.keys.length && !this.has(index))) broken(`bitset: set ${index} (size ${this.keys.length}) must be in range and clear`);
    this.words[index >>> 5]! |= 1 << (index & 31);
    this.hash ^= this.keys[index]!;
  }

  clear(index: number): void {
    if (!(index >= 0 && index < this.keys.length && this.has(index))) broken(`bitset: clear ${index} (size ${this.keys.length}) must be in range and set`);
    this.words[index >>> 5]! &= ~(1 << (index & 31));
    this.hash ^= this.keys[index]!;
  }

  has(index: number): boolean {
    return (this.words[index >>> 5]! & (1 << (index & 31))) !== 0;
  }
}

/** Fixed keys from splitmix32 with a constant seed: the same hashes on every run. */
function zobristKeys(size: number): Int32Array {
  const keys = new Int32Array(size);
  let seed = 0x2545f491;
  for (let i = 0; i < size; i++) {
    seed = (seed + 0x9e3779b9) | 0;
    let z = seed;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    keys[i] = z ^ (z >>> 16);
  }
  return keys;
}
