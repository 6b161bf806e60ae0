/**
 * `raftsim fuzz` end to end, through the built CLI (dist/, which `npm ci` builds). Campaigns are
 * kept to tens of seeds. Expectations about which seeds fail are taken from a --keep-going
 * campaign, never pinned, so that they follow the code.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fuzzProcess } from './fuzzProcess.js';

const raftsim = fuzzProcess;

async function fuzzJson(args: string[]) {
  const result = await raftsim([...args, '--json']);
  let summary;
  try {
    summary = JSON.parse(result.stdout);
  } catch {
    throw new Error(`not one JSON object on stdout (exit ${result.code}): ${result.stdout.slice(0, 300)} ${result.stderr.slice(0, 300)}`);
  }
  return { ...result, summary };
}

const seedsOf = (summary: { runs: { scenario: string; seed: number }[] }) => summary.runs.map((run) => `${run.scenario}#${run.seed}`);

describe('raftsim fuzz', () => {
  it.each([
    [['split-vote', '--bug', 'grant-every-vote', '--seeds', '20']],
    [['full-restart', 'leader-crash', '--bug', 'ack-before-fsync', '--seeds', '6']],
  ])('reports the same runs and failures, in the same order, with 1 and 2 workers (%j --keep-going)', async (args) => {
    const one = await fuzzJson([...args, '--keep-going', '--workers', '1']);
    const two = await fuzzJson([...args, '--keep-going', '--workers', '2']);
    expect(one.code).toBe(1);
    expect(two.code).toBe(1);
    expect(one.summary.failed).toBeGreaterThan(0);
    expect(two.summary.failures).toEqual(one.summary.failures);
    expect(two.summary.runs).toEqual(one.summary.runs);
    const { workers: _w1, wallMs: _t1, seedsPerSecond: _r1, ...rest1 } = one.summary;
    const { workers: _w2, wallMs: _t2, seedsPerSecond: _r2, ...rest2 } = two.summary;
    expect(rest2).toEqual(rest1);
    expect(one.summary.failures[0]).toEqual(expect.objectContaining({
      seed: expect.any(Number), scenario: expect.any(String), traceHash: expect.stringMatching(/^[0-9a-f]{16}$/),
      replay: expect.stringMatching(/^raftsim replay \S+ --seed \d+ --swarm --bug /),
      violation: expect.objectContaining({ kind: expect.any(String), invariant: expect.any(String), message: expect.any(String) }),
    }));
  });

  it('stops at the first failure, reporting the lowest failing seed whatever the workers, exit 1', async () => {
    const args = ['full-restart', 'leader-crash', '--bug', 'ack-before-fsync', '--seeds', '6'];
    const all = await fuzzJson([...args, '--keep-going', '--workers', '2']);
    const one = await fuzzJson([...args, '--workers', '1']);
    const two = await fuzzJson([...args, '--workers', '2']);
    const firstFailing = all.summary.runs.findIndex((run: { status: string }) => run.status === 'fail');
    expect(firstFailing).toBeGreaterThanOrEqual(0);
    for (const stopped of [one, two]) {
      expect(stopped.code).toBe(1);
      expect(stopped.summary.failures).toEqual([all.summary.failures[0]]);
      expect(stopped.summary.runs).toEqual(all.summary.runs.slice(0, firstFailing + 1));
    }
  });

  it('passes a clean campaign: exit 0, a human summary on stdout, plain progress on stderr, no escape codes', async () => {
    const { code, stdout, stderr } = await raftsim(['no-faults', 'leader-crash', '--seeds', '3', '--workers', '2']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^fuzz no-faults, leader-crash · seeds 1\.\.3 · swarm · 2 workers\n/);
    expect(stdout).toMatch(/^6 seeds: 6 passed, 0 failed, 0 unknown \(0\.0% of 6 checks\)$/m);
    expect(stdout).toMatch(/^\d+\.\d seeds\/s · wall [\d.]+s · 2 workers$/m);
    expect(stdout).toMatch(/^ {2}no-faults {5}3 seeds, 3 passed, 0 failed, 0 unknown$/m);
    expect(stderr).toMatch(/^fuzz: 6\/6 seeds, 0 failed, 0 unknown, [\d.]+ seeds\/s/m);
    expect(stdout + stderr).not.toMatch(/\x1b/);
  });

  it('--shard i/n: the n shards together run exactly the runs of the whole campaign', async () => {
    const args = ['figure8', 'split-vote', '--seeds', '5', '--start-seed', '5', '--keep-going', '--workers', '1'];
    const whole = await fuzzJson(args);
    const shards = [];
    for (const i of [1, 2, 3]) shards.push(await fuzzJson([...args, '--shard', `${i}/3`]));
    expect(whole.summary.seeds).toBe(10);
    const fromShards = shards.flatMap(({ summary }) => seedsOf(summary));
    expect(fromShards.sort()).toEqual(seedsOf(whole.summary).sort());
    expect(new Set(fromShards).size).toBe(fromShards.length);
    expect(shards.map(({ summary }) => summary.shard)).toEqual(['1/3', '2/3', '3/3']);
    expect(seedsOf(shards[1]!.summary)).toEqual(['figure8#6', 'split-vote#6', 'figure8#9', 'split-vote#9']);
  });

  it('--out writes a folder per failure: failure.json, history.json, trace.jsonl, report.html', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'raftsim-fuzz-')), 'failures');
    const { code, summary } = await fuzzJson(['split-vote', '--bug', 'grant-every-vote', '--seeds', '2', '--keep-going', '--out', out, '--workers', '1']);
    expect(code).toBe(1);
    expect(summary.failures).toHaveLength(2);
    expect(readdirSync(out).sort()).toEqual(['split-vote-seed-1', 'split-vote-seed-2']);
    for (const failure of summary.failures) {
      const folder = join(out, `split-vote-seed-${failure.seed}`);
      expect(failure.folder).toBe(folder);
      expect(readdirSync(folder).sort()).toEqual(['failure.json', 'history.json', 'report.html', 'trace.jsonl']);
      const file = JSON.parse(readFileSync(join(folder, 'failure.json'), 'utf8'));
      expect(file).toMatchObject({ seed: failure.seed, scenarioRef: 'split-vote', swarm: true, bug: 'grant-every-vote', traceHash: failure.traceHash });
      expect(file.scenario).toMatchObject({ name: 'split-vote', nodes: expect.any(Number), timing: expect.any(Object) });
      expect(file.codeVersion).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{12}$/);
      expect(failure.replay).toBe(`raftsim replay ${join(folder, 'failure.json')}`);
      expect(file.replay).toBe(failure.replay);
      expect(JSON.parse(readFileSync(join(folder, 'history.json'), 'utf8'))).toMatchObject({ model: 'raftsim-kv', operations: expect.any(Array) });
      const trace = readFileSync(join(folder, 'trace.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
      expect(trace.length).toBeGreaterThan(10);
      expect(readFileSync(join(folder, 'report.html'), 'utf8')).toMatch(/<html/i);
    }
  });

  it('counts a timed-out check as unknown, never a pass: exit 3 (--check-timeout 0 gives the checker no time)', async () => {
    const { code, summary } = await fuzzJson(['no-faults', '--seeds', '2', '--check-timeout', '0', '--workers', '1']);
    expect(code).toBe(3);
    expect(summary).toMatchObject({ seeds: 2, passed: 0, failed: 0, unknown: 2, unknownShare: 1 });
    expect(summary.unknowns.map((u: { seed: number }) => u.seed)).toEqual([1, 2]);
    // An unknown's verdict depends on the checker's budget: its replay command carries it.
    expect(summary.unknowns[0].replay).toBe('raftsim replay no-faults --seed 1 --swarm --check-timeout 0');
    const human = await raftsim(['no-faults', '--seeds', '1', '--check-timeout', '0', '--workers', '1']);
    expect(human.code).toBe(3);
    expect(human.stdout).toMatch(/^UNKNOWN no-faults seed 1: the linearizability check timed out$/m);
    expect(human.stdout).toMatch(/1 seed: 0 passed, 0 failed, 1 unknown \(100\.0% of 1 checks\)/);
  });

  // What it catches: a run whose trace depends on anything but the code, scenario and seed (a
  // clock, Math.random, iteration over something unordered, state kept between runs in a worker).
  it('--check-determinism runs each seed twice and passes a clean, deterministic scenario', async () => {
    const { code, summary } = await fuzzJson(['no-faults', '--seeds', '3', '--workers', '2', '--check-determinism']);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ seeds: 3, passed: 3, failed: 0, campaign: { checkDeterminism: true } });
  });

  it('--duration runs seeds in order until the time is up', async () => {
    const { code, summary } = await fuzzJson(['no-faults', '--duration', '1s', '--workers', '1']);
    expect(code).toBe(0);
    expect(summary.seeds).toBeGreaterThan(0);
    expect(summary.runs.map((run: { seed: number }) => run.seed)).toEqual(Array.from({ length: summary.seeds }, (_, i) => i + 1));
    expect(summary.campaign).toMatchObject({ seedCount: null, durationMs: 1000 });
  });

  it('has --help with examples, a shard example among them', async () => {
    const { code, stdout } = await raftsim(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Examples:/);
    expect(stdout).toMatch(/Examples:[\s\S]*raftsim fuzz --all --seeds 500 --shard\s/);
    expect(stdout).toMatch(/depends on\s+the speed/);
  });

  it.each([
    [['no-faults', '--seeds', '0'], /--seeds: must be ≥ 1, got 0/],
    [['no-faults', '--seeds', 'abc'], /--seeds: not an integer: abc/],
    [['no-faults', '--seeds', '3', '--shard', '4/3'], /--shard must be i\/n/],
    [['no-faults', '--seeds', '3', '--shard', 'x'], /--shard must be i\/n/],
    [['nope', '--seeds', '3'], /unknown scenario "nope"/],
    [['no-faults', '--seeds', '3', '--bug', 'nope'], /unknown bug "nope"/],
    [['no-faults', '--seeds', '3', '--duration', '1m'], /--seeds or --duration, not both/],
    [['no-faults'], /give --seeds N or --duration/],
    [['--seeds', '3'], /name at least one scenario, or use --all/],
    [['no-faults', '--duration', '5x'], /--duration must be a time like 30s/],
    [['no-faults', '--seeds', '3', '--workers', '0'], /--workers: must be ≥ 1, got 0/],
    [['no-faults', '--seeds', '3', '--start-seed', 'x'], /--start-seed: not an integer: x/],
  ])('rejects %j with one line on stderr and exit 2', async (args, message) => {
    const { code, stdout, stderr } = await raftsim(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stdout).toBe('');
  });
});
