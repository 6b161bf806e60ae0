/**
 * The bug self-test: for each known bug, fuzzing its scenario (swarm on, seeds 1, 2, …) catches it
 * within 2000 seeds; the number of seeds it took is printed, so CI shows the figure.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenarios.js';
import { BUGS } from '../../src/harness/bugs.js';
import { executeRun } from '../../src/harness/execute.js';
import { searchBug } from '../../src/harness/selfTest.js';

const MAX_SEEDS = 2000;

describe('bug self-test: every known bug is caught', () => {
  it('lists at least ten bugs, each with a name, a description and a bundled scenario', () => {
    expect(BUGS.length).toBeGreaterThanOrEqual(10);
    expect(new Set(BUGS.map((bug) => bug.name)).size).toBe(BUGS.length);
    for (const bug of BUGS) {
      expect(bug.description.length).toBeGreaterThan(20);
      expect(Boolean(bug.raft) !== Boolean(bug.kv)).toBe(true);
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
  });

  it.each(BUGS.map((bug) => [bug.name, bug] as const))(`%s is caught within ${MAX_SEEDS} seeds`, (_name, bug) => {
    const { found, otherFailures } = searchBug(bug, loadScenario(bug.scenario), MAX_SEEDS, () => performance.now());
    console.log(`self-test: ${bug.name} caught after ${found?.seedsTried ?? 'more than ' + MAX_SEEDS} seeds of ${bug.scenario}` +
      (found ? ` (${found.kind}/${found.invariant})` : '') + (otherFailures.length ? `; first failed for another reason at ${otherFailures.map((f) => `seed ${f.seed} ${f.violation}`).join(', ')}` : ''));
    expect(found, `${bug.name} is caught by ${bug.caughtBy.join(' or ')}`).not.toBeNull();
    expect(bug.caughtBy).toContain(found!.invariant);
  });

  it.each([...new Set(BUGS.map((bug) => bug.scenario))])('%s passes seeds 1..10 with swarm and no bug (the failures come from the bugs)', (name) => {
    const scenario = loadScenario(name);
    for (let seed = 1; seed <= 10; seed++) {
      const report = executeRun({ scenario, scenarioRef: name, seed, swarm: true, bug: null }, { checkTimeoutMs: 20_000, now: () => performance.now() });
      expect(report.violation, `raftsim run ${name} --seed ${seed} --swarm`).toBeNull();
      expect(report.status).toBe('pass');
    }
  });
});
