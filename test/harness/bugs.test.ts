/**
 * The bug self-test: for each known bug, fuzzing its scenario (swarm on, seeds 1, 2, …) catches it
 * within 2000 seeds for the right reason, one of the invariants its catalog entry names; the number
 * of seeds it took is printed, so CI shows the figure. The catalog (src/harness/bugs.ts) is the one
 * table of {bug, scenario, invariants}: this self-test, the README's table and `raftsim bugs` all
 * read it. The correct build passing every scenario is shown by test/sim/runs.test.ts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenarios.js';
import { BUGS } from '../../src/harness/bugs.js';
import { searchBug } from '../../src/harness/selfTest.js';
import { findMutant } from '../../src/mutants/index.js';

const MAX_SEEDS = 2000;

function readmeCatalogRow(name: string): string[] {
  const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
  const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
  return row === undefined ? [] : row.split('|').map((cell) => cell.trim());
}

describe('bug self-test: every known bug is caught', () => {
  it('lists at least ten bugs, each with a name, a description and a bundled scenario', () => {
    expect(BUGS.length).toBeGreaterThanOrEqual(10);
    expect(new Set(BUGS.map((bug) => bug.name)).size).toBe(BUGS.length);
    for (const bug of BUGS) {
      expect(bug.description.length).toBeGreaterThan(20);
      expect(findMutant(bug.name), `${bug.name} has a mutant`).toBeDefined();
      expect(() => loadScenario(bug.scenario)).not.toThrow();
      expect(bug.caughtBy.length).toBeGreaterThan(0);
    }
  });

  it("the README's catalog table names every bug with its scenario and the invariants that catch it", () => {
    const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    for (const bug of BUGS) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${bug.name}\` |`));
      expect(row, `README has no catalog row for ${bug.name}`).toBeDefined();
      const cells = row!.split('|').map((cell) => cell.trim());
      expect(cells[4], `${bug.name}: caught by`).toBe(bug.caughtBy.join(', '));
      expect(cells[5], `${bug.name}: scenario`).toBe(bug.scenario);
    }
    const catalogRows = readme.split('\n').filter((line) => /^\| `[a-z-]+` \| /.test(line) && line.split('|').length === 8);
    expect(catalogRows.map((row) => row.split('|')[1]!.trim().replaceAll('`', ''))).toEqual(BUGS.map((bug) => bug.name));
  });

  it.each(BUGS.map((bug) => [bug.name, bug] as const))(`%s is caught within ${MAX_SEEDS} seeds`, async (_name, bug) => {
    const { found, otherFailures } = await searchBug(bug, loadScenario(bug.scenario), MAX_SEEDS);
    console.log(`self-test: ${bug.name} caught after ${found?.seedsTried ?? 'more than ' + MAX_SEEDS} seeds of ${bug.scenario}` +
      (found ? ` (${found.kind}/${found.invariant})` : '') + (otherFailures.length ? `; first failed for another reason at ${otherFailures.map((f) => `seed ${f.seed} ${f.violation}`).join(', ')}` : ''));
    expect(found, `${bug.name} is caught by ${bug.caughtBy.join(' or ')}`).not.toBeNull();
    expect(bug.caughtBy).toContain(found!.invariant);
    // The README's "seeds" column is this figure: deterministic, so it must stay true.
    expect(readmeCatalogRow(bug.name)[6], `README's seeds for ${bug.name}`).toBe(String(found!.seedsTried));
  });
});
