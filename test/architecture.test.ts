/**
 * The house rules a scan can enforce, from one table: for each folder of src/, which of our other
 * folders and which packages it may import, and whether it must be deterministic (no real time, no
 * real randomness). A new folder fails here until it has a row.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

interface Boundary {
  /** Our folders it may import, besides itself. */
  readonly folders: readonly string[];
  /** Packages it may import: a name, `node:*` for all of Node's own modules, or one of them (`node:path`). */
  readonly packages: readonly string[];
  /** Simulated or pure code: no clock, no timer, no global randomness. */
  readonly deterministic: boolean;
}

const BOUNDARIES: Record<string, Boundary> = {
  raft: { folders: [], packages: [], deterministic: true },
  kv: { folders: ['raft'], packages: [], deterministic: true },
  checker: { folders: [], packages: [], deterministic: true },
  /** The Ready loop, once for the simulator and the runtime: synchronous, no I/O of its own. */
  driver: { folders: ['raft', 'kv'], packages: [], deterministic: true },
  sim: { folders: ['raft', 'kv', 'driver', 'storage'], packages: ['seedrandom'], deterministic: true },
  // The bug catalog as subclasses of the core; only the harness picks them, and hands them to sim as factories.
  mutants: { folders: ['raft', 'kv', 'storage'], packages: [], deterministic: true },
  harness: { folders: ['sim', 'checker', 'raft', 'kv', 'mutants'], packages: [], deterministic: true },
  report: { folders: ['harness', 'sim', 'checker'], packages: [], deterministic: true },
  // The storage engine, shared by the runtime and the simulator: it reaches files and time only
  // through the ports of storageEnv.ts, so that the simulator can run it on an in-memory disk.
  storage: { folders: ['raft', 'kv'], packages: ['node:path', 'node:zlib'], deterministic: true },
  runtime: { folders: ['raft', 'kv', 'driver', 'storage'], packages: ['node:*', 'seedrandom', 'prom-client'], deterministic: false },
  jepsen: { folders: ['runtime', 'kv', 'checker', 'report'], packages: ['node:*', 'seedrandom'], deterministic: false },
  cli: { folders: ['harness', 'sim', 'checker', 'report', 'runtime', 'jepsen', 'kv', 'raft', 'storage'], packages: ['node:*', 'yargs', 'chalk'], deterministic: false },
};

/** Extra words src/raft must not use: it encodes nothing and touches no process. */
const RAFT_ALSO_BANNED = /\b(process\.|JSON\.)/;
/** The simulator's barrier that lets the storage engine's promise continuations run (see the file). */
const SETTLE_FILE = 'src/sim/settle.ts';
const NONDETERMINISTIC = /\b(Date\.now|new Date|performance\.now|Math\.random|setTimeout|setInterval|setImmediate|process\.hrtime)\b/;

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

/** Lines of code (not comments) matching a pattern, as `file:line: text`. */
function codeLines(files: readonly string[], pattern: RegExp): string[] {
  return files.flatMap((file) => readFileSync(join(ROOT, file), 'utf8').split('\n')
    .map((line, i) => ({ line, i }))
    .filter(({ line }) => pattern.test(line) && !/^\s*(\/\/|\/?\*)/.test(line))
    .map(({ line, i }) => `${file}:${i + 1}: ${line.trim()}`));
}

function packageAllowed(spec: string, allowed: readonly string[]): boolean {
  if (spec.startsWith('node:')) return allowed.includes('node:*') || allowed.includes(spec);
  const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
  return allowed.includes(name);
}

describe('module boundaries (one table)', () => {
  it('every folder of src/ has a row, and every row a folder', () => {
    const folders = readdirSync(join(ROOT, 'src')).filter((name) => statSync(join(ROOT, 'src', name)).isDirectory()).sort();
    expect(folders).toEqual(Object.keys(BOUNDARIES).sort());
  });

  it.each(Object.entries(BOUNDARIES))('src/%s imports only its own files, the folders and the packages of its row', (folder, rule) => {
    const offending = sourceFiles(`src/${folder}`).flatMap((file) => imports(file).flatMap((spec) => {
      if (!spec.startsWith('.')) return packageAllowed(spec, rule.packages) ? [] : [`${file} imports the package ${spec}`];
      const target = relative(join(ROOT, 'src'), resolve(ROOT, dirname(file), spec)).split('/')[0]!;
      return target === folder || rule.folders.includes(target) ? [] : [`${file} imports ${spec} (src/${target})`];
    }));
    expect(offending).toEqual([]);
  });

  it('the table itself keeps the core at the bottom: raft, checker import nothing of ours; kv only raft', () => {
    expect(BOUNDARIES.raft!.folders).toEqual([]);
    expect(BOUNDARIES.checker!.folders).toEqual([]);
    expect(BOUNDARIES.kv!.folders).toEqual(['raft']);
  });

  it('only the harness picks a mutant: no other folder may import src/mutants', () => {
    const importers = Object.entries(BOUNDARIES).filter(([, rule]) => rule.folders.includes('mutants')).map(([folder]) => folder);
    expect(importers).toEqual(['harness']);
  });
});

describe('determinism rules', () => {
  const deterministic = Object.entries(BOUNDARIES).filter(([, rule]) => rule.deterministic).map(([folder]) => folder);
  it.each(deterministic)('src/%s reads no real time and no real randomness', (folder) => {
    const files = sourceFiles(`src/${folder}`).filter((file) => file !== SETTLE_FILE);
    expect(codeLines(files, NONDETERMINISTIC)).toEqual([]);
  });

  it(`${SETTLE_FILE}, the simulator's one wait on the event loop, uses setImmediate and nothing else of the list`, () => {
    const lines = codeLines([SETTLE_FILE], NONDETERMINISTIC);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((line) => !/^[^:]+:\d+: [^]*\bsetImmediate\b/.test(line) || /Date|performance|Math\.random|setTimeout|setInterval|hrtime/.test(line))).toEqual([]);
  });

  it('src/raft does no encoding and touches no process', () => {
    expect(codeLines(sourceFiles('src/raft'), RAFT_ALSO_BANNED)).toEqual([]);
  });

  it('src/storage touches no process (its pid, its stderr): the environment it runs in does', () => {
    expect(codeLines(sourceFiles('src/storage'), /\bprocess\./)).toEqual([]);
  });
});
