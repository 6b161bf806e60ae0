/** Every Porcupine history gets the verdict Porcupine's own tests expect (manifest.json). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOperations, formatExplanation, parseHistory } from '../../src/checker/index.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/porcupine');

interface ManifestEntry {
  readonly file: string;
  readonly model: string;
  readonly expected: 'linearizable' | 'not-linearizable';
  readonly operations: number;
}

const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as ManifestEntry[];

describe('Porcupine histories', () => {
  it('has all 108 histories', () => {
    expect(manifest).toHaveLength(108);
  });

  it.each(manifest)('$file is $expected', ({ file, model, expected, operations }) => {
    const parsed = parseHistory(readFileSync(join(FIXTURES, file), 'utf8'));
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.model.name).toBe(model);
    expect(parsed.history.operations).toHaveLength(operations);

    const result = checkOperations(parsed.model, parsed.history.operations);

    expect(result.result).toBe(expected);
    if (expected === 'not-linearizable') {
      const failing = result.parts.filter((part) => part.result === 'not-linearizable');
      expect(failing.length).toBeGreaterThan(0);
      // Every failing part explains itself: the failure is there and names the operation blocked.
      for (const part of failing) {
        expect(part.failure, `${file}, ${part.label}: no failure`).toBeDefined();
        expect(typeof part.failure?.blocked, `${file}, ${part.label}: blocked`).toBe('number');
      }
      expect(formatExplanation(parsed.model, parsed.history.operations, result).length).toBeGreaterThan(2);
    }
  });
});
