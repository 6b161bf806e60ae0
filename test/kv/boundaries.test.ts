/** src/kv may import only itself and src/raft, and must not reach for time, randomness or I/O. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const kvDir = join(import.meta.dirname, '../../src/kv');
const files = readdirSync(kvDir).filter((name) => name.endsWith('.ts')).sort();

describe('src/kv boundaries', () => {
  it.each(files)('%s imports only ./ and ../raft/', (name) => {
    const source = readFileSync(join(kvDir, name), 'utf8');
    const specifiers = [...source.matchAll(/from '([^']+)'/g)].map((match) => match[1]);
    for (const specifier of specifiers) {
      expect(specifier).toMatch(/^(\.\/|\.\.\/raft\/)[\w/]+\.js$/);
    }
  });

  it.each(files)('%s uses no clock, randomness or timers', (name) => {
    const source = readFileSync(join(kvDir, name), 'utf8');
    expect(source).not.toMatch(
      /Date\.now|performance\.now|Math\.random|setTimeout|setInterval|process\.hrtime/);
  });
});
