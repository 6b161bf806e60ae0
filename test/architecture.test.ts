/**
 * The house rules a scan can enforce: module boundaries, and no real time or real randomness in
 * the deterministic code.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

function sourceFiles(dir: string): string[] {
  const full = join(ROOT, dir);
  return readdirSync(full).flatMap((name) => {
    const path = join(full, name);
    if (statSync(path).isDirectory()) return sourceFiles(relative(ROOT, path));
    return name.endsWith('.ts') ? [relative(ROOT, path)] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

describe('module boundaries', () => {
  it.each([
    ['src/raft', ['/sim/', '/kv/', '/cli/', '/runtime/', '/checker/']],
    ['src/kv', ['/sim/', '/cli/', '/runtime/', '/checker/']],
    ['src/checker', ['/raft/', '/kv/', '/sim/', '/cli/', '/runtime/']],
    ['src/sim', ['/cli/', '/runtime/']],
  ])('%s imports none of %j', (dir, banned) => {
    // Resolve each relative import to a path under src/ and look at the folder it lands in.
    const offending = sourceFiles(dir).flatMap((file) =>
      imports(file)
        .filter((spec) => spec.startsWith('.'))
        .map((spec) => ({ spec, target: `/${relative(join(ROOT, 'src'), resolve(ROOT, dirname(file), spec))}` }))
        .filter(({ target }) => banned.some((b) => target.startsWith(b)))
        .map(({ spec }) => `${file} imports ${spec}`));
    expect(offending).toEqual([]);
  });

  it('src/raft and src/checker use no Node modules (they run anywhere)', () => {
    const offending = [...sourceFiles('src/raft'), ...sourceFiles('src/checker')].flatMap((file) =>
      imports(file).filter((spec) => spec.startsWith('node:')).map((spec) => `${file} imports ${spec}`));
    expect(offending).toEqual([]);
  });
});

describe('determinism rules', () => {
  const banned = /\b(Date\.now|performance\.now|Math\.random|setTimeout|setInterval|setImmediate|process\.hrtime)\b/;
  it.each(['src/raft', 'src/kv', 'src/sim', 'src/checker'])('%s reads no real time and no real randomness', (dir) => {
    const offending = sourceFiles(dir).flatMap((file) =>
      readFileSync(join(ROOT, file), 'utf8').split('\n')
        .map((line, i) => ({ line, i }))
        .filter(({ line }) => banned.test(line) && !/^\s*(\/\/|\/?\*)/.test(line))
        .map(({ line, i }) => `${file}:${i + 1}: ${line.trim()}`));
    expect(offending).toEqual([]);
  });
});
