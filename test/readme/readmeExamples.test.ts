/**
 * README examples that cannot go stale (issue 12: `run lossy-churn --seed 1` was shown with figures
 * and a trace hash the code no longer gave). Every ```console block of the README runs here through
 * the built CLI, its commands in order in a fresh directory, and each command's stdout must match
 * the lines shown under it (the convention: test/readme/examples.ts). The bug catalog's table is
 * checked by test/harness/bugs.test.ts, seeds column included.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundledScenarioNames } from '../../src/cli/scenarios.js';
import { cliEntry } from '../support/cli.js';
import { scaled } from '../support/timeFactor.js';
import { firstMismatch, outputLines, readmeExamples } from './examples.js';
import type { ReadmeCommand } from './examples.js';

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
const EXAMPLES = readmeExamples(README);

function runInDir(command: ReadmeCommand, cwd: string): string {
  const run = spawnSync(process.execPath, [cliEntry(), ...command.args], {
    cwd, encoding: 'utf8', timeout: scaled(120_000), env: { ...process.env, NO_COLOR: '1' },
  });
  if (run.error) throw new Error(`README line ${command.line}: ${command.text}: ${run.error.message}`);
  return run.stdout;
}

function mismatchMessage(command: ReadmeCommand, at: number, stdout: string): string {
  const wanted = at < 0 ? '(no output)' : `"${command.expected[at]}" (README line ${command.line + at + 1})`;
  return `README line ${command.line}: $ ${command.text}\nits output no longer matches at ${wanted}; the command printed:\n${stdout}`;
}

describe('README examples', () => {
  it('finds the console examples (a parser that found none would pass everything)', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(5);
    expect(EXAMPLES.flatMap((example) => example.commands.map((command) => command.args.join(' '))))
      .toEqual(expect.arrayContaining(['run lossy-churn --seed 1']));
  });

  it.each(EXAMPLES.map((example) => [example.line, example.commands.map((c) => c.text).join(' && '), example] as const))(
    'README line %i: %s',
    (_line, _text, example) => {
      const cwd = mkdtempSync(join(tmpdir(), 'raftsim-readme-'));
      for (const command of example.commands) {
        const stdout = runInDir(command, cwd);
        const at = firstMismatch(command.expected, outputLines(stdout));
        if (at !== null) expect.fail(mismatchMessage(command, at, stdout));
      }
    },
  );

  it('the quick start\'s campaign size is the bundled scenarios times its --seeds', () => {
    const size = /The campaign runs (\d+) seeded runs \((\d+) scenarios × (\d+) seeds\)/.exec(README);
    const command = /npx raftsim fuzz --all --seeds (\d+)/.exec(README);
    expect(size, 'README states the campaign size').not.toBeNull();
    expect(command, 'README shows the campaign command').not.toBeNull();
    const [, runs, scenarios, seeds] = size!.map(Number);
    expect(scenarios).toBe(bundledScenarioNames().length);
    expect(seeds).toBe(Number(command![1]));
    expect(runs).toBe(scenarios! * seeds!);
  });
});

describe('the examples\' matching rule', () => {
  it('matches line by line, … as any text within a line and as any lines alone', () => {
    expect(firstMismatch(['PASS 3 ops in … s', 'trace ab'], ['PASS 3 ops in 0.95 s', 'trace ab'])).toBeNull();
    expect(firstMismatch(['a', '…', 'z'], ['a', 'b', 'c', 'z'])).toBeNull();
    expect(firstMismatch(['a', '…', 'z'], ['a', 'z'])).toBeNull();
    expect(firstMismatch(['…'], [])).toBeNull();
  });

  it('says where a stale example stops matching', () => {
    expect(firstMismatch(['PASS 3 ops in … s', 'trace ab'], ['PASS 4 ops in 0.95 s', 'trace ab'])).toBe(0);
    expect(firstMismatch(['a', '…', 'trace ab'], ['a', 'b', 'trace cd'])).toBe(2);
    // Every line is accounted for: output the example does not show is a mismatch too.
    expect(firstMismatch(['a'], ['a', 'b'])).toBe(0);
    expect(firstMismatch(['a (1+1)'], ['a (1+1)'])).toBeNull();
    expect(firstMismatch(['a (1+1)'], ['a (11)'])).toBe(0);
  });

  it('refuses an example a shell would read differently, or that is not raftsim', () => {
    expect(() => readmeExamples('```console\n$ npx raftsim run x --seed 1 | head\n```')).toThrow(/needs a shell/);
    expect(() => readmeExamples('```console\n$ ls\n```')).toThrow(/not a raftsim command/);
    expect(readmeExamples('```console\n$ raftsim bugs\nline\n```')[0]!.commands[0]).toEqual(
      expect.objectContaining({ args: ['bugs'], expected: ['line'], line: 2 }));
  });
});
