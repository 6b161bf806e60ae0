import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crc32, crc32Fallback } from '../../../src/runtime/storage/crc32.js';

describe('crc32', () => {
  it('gives the standard check value', () => {
    const check = Buffer.from('123456789');
    expect(crc32(check)).toBe(0xcbf43926);
    expect(crc32Fallback(check)).toBe(0xcbf43926);
    expect(crc32Fallback(Buffer.alloc(0))).toBe(0);
  });

  it('the table-driven fallback agrees with the one in use', () => {
    for (let n = 0; n < 200; n++) {
      const data = randomBytes(n * 7);
      expect(crc32Fallback(data)).toBe(crc32(data));
    }
  });
});
