/** A storage engine bug needs the engine: on a model-disk scenario, run, replay and fuzz refuse it in one line. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { raftsim } from './helpers.js';

describe('a storage bug on the model disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'raftsim-storage-bug-'));
  const file = join(dir, 'model-disk.json');
  writeFileSync(file, JSON.stringify({ name: 'model-disk', disk: { storage: 'model' }, durationMs: 1000 }));
  const expected = 'raftsim: bug wal-skips-fdatasync lives in the storage engine, but scenario model-disk runs the model disk (disk.storage "model"), where it cannot happen\n';

  it.each([
    ['run', ['run', file, '--seed', '1', '--bug', 'wal-skips-fdatasync']],
    ['replay', ['replay', file, '--seed', '1', '--bug', 'wal-skips-fdatasync']],
    ['fuzz', ['fuzz', file, '--seeds', '1', '--bug', 'wal-skips-fdatasync']],
  ])('%s exits 2 with one line', (_name, args) => {
    const result = raftsim(...args);
    expect(result.stderr).toBe(expected);
    expect(result.code).toBe(2);
  });
});
