import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32, crc32Fallback } from '../../../src/storage/crc32.js';

describe('crc32', () => {
  it('gives the standard check value', () => {
    const check = Buffer.from('123456789');
    expect(crc32(check)).toBe(0xcbf43926);
    expect(crc32Fallback(check)).toBe(0xcbf43926);
    expect(crc32Fallback(Buffer.alloc(0))).toBe(0);
  });

  it('the table-driven fallback agrees with the one in use (fast-check: a failure prints its seed and a shrunk buffer)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 1400 }), (bytes) => {
      const data = Buffer.from(bytes);
      expect(crc32Fallback(data)).toBe(crc32(data));
    }), { numRuns: 300 });
  });

  it('changes when any one bit of the data flips', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 512 }), fc.nat(), fc.integer({ min: 0, max: 7 }), (bytes, at, bit) => {
      const data = Buffer.from(bytes);
      const flipped = Buffer.from(data);
      flipped[at % data.length]! ^= 1 << bit;
      expect(crc32(flipped)).not.toBe(crc32(data));
    }), { numRuns: 300 });
  });
});
