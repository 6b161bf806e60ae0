/**
 * `raftsim fuzz` coverage, end to end through the built CLI (dist/, which `npm ci` builds): the
 * table after the summary, the flags on paths never taken, the `--json` object, totals that do not
 * depend on the number of workers and that equal the sum of the runs made in this process.
 */
import { describe, expect, it } from 'vitest';
import { fuzzProcess } from './fuzzProcess.js';
import { loadScenario } from '../../src/cli/scenarios.js';
import { executeRun } from '../../src/harness/execute.js';
import { COVERAGE_NAMES } from '../../src/sim/coverage.js';


interface Summary {
  seeds: number;
  coverage: Record<string, { total: number; runs: number }>;
  coverageNeverTaken: string[];
  coverageNotEnabled: string[];
}

const fuzz = fuzzProcess;

async function fuzzJson(args: string[]): Promise<Summary> {
  const result = await fuzz([...args, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Summary;
}

describe('raftsim fuzz coverage', () => {
  it('prints the table after the summary and flags the paths never taken (no-faults --seeds 3)', async () => {
    const { code, stdout } = await fuzz(['no-faults', '--seeds', '3', '--workers', '1']);
    expect(code).toBe(0);
    const table = stdout.slice(stdout.indexOf('\ncoverage over 3 runs\n'));
    expect(table.length).toBeGreaterThan(0);
    expect(stdout.indexOf('3 seeds: 3 passed')).toBeLessThan(stdout.indexOf('coverage over 3 runs'));
    // Every section that has an enabled counter, its rows with a total and the runs (or "never").
    expect(table).toMatch(/^ {2}elections {4}started +3 {2}3$/m);
    expect(table).toMatch(/^ {15}won +3 {2}3$/m);
    expect(table).toMatch(/^ {2}replication {2}appends-rejected +\d+ {2}\d$/m);
    expect(table).toMatch(/^ {2}clients {6}operations-ok +\d+ {2}3$/m);
    expect(table).toMatch(/^ {15}split-votes +0 {2}never$/m);
    // No fault is enabled: the fault kinds are listed apart, not as paths never taken.
    expect(table).toMatch(/^not enabled in any run's scenario \(after swarm draws\), so never fired by design:\n {2}faults {7}crash, crash-many,/m);
    expect(table.slice(0, table.indexOf('not enabled'))).not.toMatch(/^ {2}faults /m);
    const last = /^(\d+) paths never taken: (.*) — this campaign could not have found bugs there$/m.exec(table);
    expect(last).not.toBeNull();
    const never = last![2]!.split(', ');
    expect(never).toContain('elections.split-votes');
    expect(never).not.toContain('faults.crash');
    expect(never).not.toContain('elections.won');
    expect(Number(last![1])).toBe(never.length);
    expect(table.match(/ never$/gm)!.length).toBe(never.length);
  });

  it('--json has the coverage object: every counter with its total and runs, never-taken and not-enabled lists', async () => {
    const summary = await fuzzJson(['no-faults', '--seeds', '3', '--workers', '2']);
    expect(Object.keys(summary.coverage)).toEqual(COVERAGE_NAMES);
    expect(summary.coverage['elections.won']).toEqual({ total: 3, runs: 3 });
    expect(summary.coverage['clients.operations-ok']!.runs).toBe(3);
    expect(summary.coverageNotEnabled).toEqual(expect.arrayContaining(['faults.crash', 'faults.messages-dropped', 'replication.snapshots-sent']));
    expect(summary.coverageNeverTaken).toContain('elections.split-votes');
    for (const name of summary.coverageNeverTaken) expect(summary.coverage[name]).toEqual({ total: 0, runs: 0 });
    for (const name of summary.coverageNotEnabled) expect(summary.coverageNeverTaken).not.toContain(name);
    for (const [name, { total, runs }] of Object.entries(summary.coverage)) {
      expect(runs, name).toBeLessThanOrEqual(summary.seeds);
      expect(total > 0, name).toBe(runs > 0);
    }
  });

  it('gives the same totals with 1 and 2 workers, equal to the sum of the same runs made here', async () => {
    const args = ['leader-crash', 'snapshot-catchup', '--seeds', '3', '--keep-going'];
    const one = await fuzzJson([...args, '--workers', '1']);
    const two = await fuzzJson([...args, '--workers', '2']);
    expect(two.coverage).toEqual(one.coverage);
    expect(two.coverageNeverTaken).toEqual(one.coverageNeverTaken);
    expect(two.coverageNotEnabled).toEqual(one.coverageNotEnabled);
    const expected: Record<string, { total: number; runs: number }> = Object.fromEntries(COVERAGE_NAMES.map((name) => [name, { total: 0, runs: 0 }]));
    for (const ref of ['leader-crash', 'snapshot-catchup']) {
      for (const seed of [1, 2, 3]) {
        const report = await executeRun({ scenario: loadScenario(ref), scenarioRef: ref, seed, swarm: true, bug: null }, { skipCheck: true });
        for (const name of COVERAGE_NAMES) {
          const count = report.coverage.counts[name]!;
          expected[name]!.total += count;
          if (count > 0) expected[name]!.runs++;
        }
      }
    }
    expect(one.coverage).toEqual(expected);
    expect(one.coverage['faults.crash']!.total).toBeGreaterThanOrEqual(6);
    expect(one.coverage['replication.snapshots-installed']!.runs).toBeGreaterThan(0);
    expect(one.coverageNotEnabled).toContain('faults.partition');
    expect(one.coverageNotEnabled).not.toContain('faults.isolate');
  });
});
