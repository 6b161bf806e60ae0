import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenarios.js';
import { executeRun } from '../../src/harness/execute.js';
import { toFailureFile } from '../../src/harness/failureFile.js';
import { raftsim } from './helpers.js';

/** A failure file for a known failing run: split-vote seed 1 with every vote granted. */
async function failureFile(dir: string, codeVersion = 'test'): Promise<string> {
  const spec = { scenario: loadScenario('split-vote'), scenarioRef: 'split-vote', seed: 1, swarm: false, bug: 'grant-every-vote' };
  const report = await executeRun(spec);
  expect(report.status).toBe('fail');
  const file = join(dir, 'failure.json');
  writeFileSync(file, JSON.stringify(toFailureFile(report, codeVersion, `raftsim replay ${file}`)));
  return file;
}

describe('raftsim replay', () => {
  it('reruns a failure file bit for bit and says the trace hash matches', async () => {
    const file = await failureFile(mkdtempSync(join(tmpdir(), 'raftsim-replay-')));
    const { code, stdout } = raftsim('replay', file);
    expect(code).toBe(1);
    expect(stdout).toContain('FAIL safety: election-safety');
    expect(stdout).toMatch(/same run: the trace hash equals the recorded one \([0-9a-f]{16}\)/);
  });

  it('says plainly when the run differs from the recorded one, and why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'raftsim-replay-'));
    const file = await failureFile(dir, 'an-older-version');
    const recorded = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...recorded, traceHash: '0000000000000000' }));
    const { stdout } = raftsim('replay', file);
    expect(stdout).toMatch(/different run: recorded trace hash 0000000000000000, now [0-9a-f]{16}: the code has changed since the failure was recorded \(recorded with an-older-version/);
  });

  it('replays a scenario and seed, and --json reports the hash', () => {
    const { code, stdout } = raftsim('replay', 'no-faults', '--seed', '4', '--json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ seed: 4, ok: true, hashMatches: null });
    expect(result.traceHash).toBe(JSON.parse(raftsim('run', 'no-faults', '--seed', '4', '--json').stdout).traceHash);
  });

  it('--verbose tells the story, filtered by node and time window', () => {
    const { stdout } = raftsim('replay', 'leader-crash', '--seed', '1', '--verbose', '--node', '2', '--from', '1000', '--to', '1100');
    const lines = stdout.split('\n').filter((line) => / ms {2}/.test(line));
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      const time = Number(line.trim().split(' ')[0]);
      expect(time).toBeGreaterThanOrEqual(1000);
      expect(time).toBeLessThanOrEqual(1100);
      expect(line).toMatch(/n2|->n2 |fault|heal/);
    }
    expect(stdout).toMatch(/AppendEntries/);
  });

  it.each([
    [['replay', 'no-faults'], /--seed is required/],
    [['replay', 'no-faults', '--seed', '1', '--bug', 'nope'], /unknown bug "nope"/],
    [['replay', 'no-faults', '--seed', '1', '--node', '0'], /--node must be a node id/],
    [['replay', 'no-faults', '--seed', '1', '--verbose', '--from', 'abc'], /^raftsim: --from: not a number: abc$/m],
  ])('rejects %j with one line and exit 2', (args, message) => {
    const { code, stderr } = raftsim(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('names the field of a malformed failure file, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'raftsim-replay-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ format: 'raftsim-failure/1', scenarioRef: 'x', scenario: {}, seed: -1 }));
    const { code, stderr } = raftsim('replay', file);
    expect(code).toBe(2);
    expect(stderr).toMatch(/bad\.json: seed: must be a non-negative integer, got -1/);
  });
});

describe('raftsim shrink', () => {
  it('writes a smaller run that fails the same way, prints the sizes before and after, and says it is minimal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'raftsim-shrink-'));
    const file = await failureFile(dir);
    const out = join(dir, 'small.json');
    const { code, stdout } = raftsim('shrink', file, '--out', out);
    expect(code).toBe(0);
    expect(stdout).toContain('fails the same way: safety: election-safety');
    const before = /before\s+(\d+) faults?, (\d+) clients?, (\d+) operations?, (\d+) ms/.exec(stdout)!;
    const after = /after\s+(\d+) faults?, (\d+) clients?, (\d+) operations?, (\d+) ms/.exec(stdout)!;
    expect(stdout).toMatch(/^minimal \(\d+ runs, \d+\.\d s\): no single operation, fault, client, key, node or time window can go/m);
    const total = (m: RegExpExecArray) => Number(m[1]) + Number(m[2]) + Number(m[3]);
    expect(total(after)).toBeLessThan(total(before));
    expect(Number(after[4])).toBeLessThanOrEqual(Number(before[4]));
    // The smaller failure replays to the same verdict, bit for bit.
    const replay = raftsim('replay', out);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toContain('election-safety');
    expect(replay.stdout).toContain('same run');
  });

  it('refuses a run that does not fail, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'raftsim-shrink-'));
    const spec = { scenario: loadScenario('no-faults'), scenarioRef: 'no-faults', seed: 1, swarm: false, bug: null };
    const file = join(dir, 'passing.json');
    writeFileSync(file, JSON.stringify(toFailureFile(await executeRun(spec), 'test', 'x')));
    const { code, stderr } = raftsim('shrink', file);
    expect(code).toBe(2);
    expect(stderr).toMatch(/the run does not fail/);
  });
});

describe('raftsim bugs and scenarios', () => {
  it('lists at least ten bugs, as text and as JSON with name and description', () => {
    const text = raftsim('bugs');
    expect(text.code).toBe(0);
    expect(text.stdout.trim().split('\n').length).toBeGreaterThanOrEqual(10);
    const bugs = JSON.parse(raftsim('bugs', '--json').stdout);
    expect(bugs.length).toBeGreaterThanOrEqual(10);
    for (const bug of bugs) expect(bug).toEqual(expect.objectContaining({ name: expect.any(String), description: expect.any(String) }));
  });

  it('catches a catalog bug (a mutant) through run, with the replay command', () => {
    const { code, stdout } = raftsim('run', 'split-vote', '--seed', '1', '--bug', 'grant-every-vote');
    expect(code).toBe(1);
    expect(stdout).toContain('replay: raftsim replay split-vote --seed 1 --no-swarm --bug grant-every-vote');
  });

  it('lists every bundled scenario with a description, as text and JSON', () => {
    const rows = JSON.parse(raftsim('scenarios', '--json').stdout);
    expect(rows.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['no-faults', 'lossy-churn', 'figure8']));
    for (const row of rows) expect(row.description.length).toBeGreaterThan(10);
    expect(raftsim('scenarios').stdout).toContain('lossy-churn');
  });
});
