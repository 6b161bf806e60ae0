/**
 * The bug catalog lives outside the core: src/raft and src/kv hold no bug switch (and say nothing
 * of bugs), every catalog entry resolves to a mutant of src/mutants, and a state only a bug can
 * create trips an assertion of the correct core, which the self-test counts as that bug's catch.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUGS } from '../../src/harness/bugs.js';
import { caughtAs } from '../../src/harness/selfTest.js';
import { findMutant, MUTANTS, TruncateMatchingEntries } from '../../src/mutants/index.js';
import { AssertionError, RaftNode } from '../../src/raft/index.js';
import type { DurableState, RaftConfig } from '../../src/raft/index.js';
import { ae, entriesOfTerms, makeConfig } from '../raft/harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function sources(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts')).map((name) => join(folder, name));
}

describe('the bug catalog is outside the core', () => {
  it('src/raft and src/kv hold no bug switch: no `bug` anywhere, code or comment', () => {
    const files = [...sources('src/raft'), ...sources('src/kv')];
    expect(files.length).toBeGreaterThan(10);
    const hits = files.flatMap((file) => readFileSync(join(ROOT, file), 'utf8').split('\n')
      .flatMap((line, i) => (/bug|anyBug/i.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])));
    expect(hits).toEqual([]);
  });

  it('every catalog entry resolves to a mutant that builds a node or a server or varies the storage engine, and every mutant is in the catalog', () => {
    for (const bug of BUGS) {
      const mutant = findMutant(bug.name);
      expect(mutant, `${bug.name} has a mutant`).toBeDefined();
      const layers = [mutant!.raft && 'raft', mutant!.kv && 'kv', mutant!.storage && 'storage'].filter(Boolean);
      expect(layers, `${bug.name} replaces exactly one layer`).toEqual([mutant!.layer]);
    }
    expect(Object.keys(MUTANTS).sort()).toEqual(BUGS.map((bug) => bug.name).sort());
    expect(findMutant('toString')).toBeUndefined();
  });

  it('a raft mutant factory builds a subclass of the core node', () => {
    const node = findMutant('commit-older-term')!.raft!(makeConfig(1, [1, 2, 3]) as RaftConfig, undefined);
    expect(node).toBeInstanceOf(RaftNode);
    expect(node.constructor).not.toBe(RaftNode);
  });

  it('the correct core asserts what only a bug creates: a follower told to overwrite a committed entry crashes', () => {
    // n2 holds [1,1,1] with index 2 committed, then a (lying) leader of term 2 rewrites from index 2.
    const durable: DurableState<string> = { hardState: { term: 1, votedFor: null }, snapshot: null, entries: entriesOfTerms([1, 1, 1]) };
    for (const Kind of [RaftNode, TruncateMatchingEntries]) {
      const node = new Kind<string>(makeConfig(2, [1, 2, 3]), durable);
      node.step(ae(1, 2, 1, [3, 1], [], 2));
      expect(node.commitIndex).toBe(2);
      expect(() => node.step(ae(1, 2, 2, [1, 1], entriesOfTerms([1, 2]).slice(1)))).toThrow(
        new AssertionError('follower: truncating a committed entry'));
    }
  });

  it('the self-test names a failed core assertion by its message, and any other exception as `exception`', () => {
    expect(caughtAs({ kind: 'crash', invariant: 'exception', assertion: 'raft: lastApplied beyond commitIndex' }))
      .toBe('assertion: raft: lastApplied beyond commitIndex');
    expect(caughtAs({ kind: 'crash', invariant: 'exception' })).toBe('exception');
    expect(caughtAs({ kind: 'safety', invariant: 'election-safety' })).toBe('election-safety');
    const byAssertion = BUGS.filter((bug) => bug.caughtBy.some((name) => name.startsWith('assertion: ')));
    expect(byAssertion.map((bug) => bug.name)).toContain('apply-before-commit');
  });
});
