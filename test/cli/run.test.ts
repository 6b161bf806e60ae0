import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { raftsim } from './helpers.js';

describe('raftsim run', () => {
  it('prints the seed first, a verdict and the trace hash, and exits 0 on a pass', () => {
    const { code, stdout } = raftsim('run', 'no-faults', '--seed', '3');
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('seed 3 · scenario no-faults · 3 nodes, 3 clients');
    expect(lines[1]).toMatch(/^PASS \d+ operations/);
    expect(lines[2]).toMatch(/^leadership: \d+ elections? /);
    expect(lines[3]).toMatch(/^trace [0-9a-f]{16}$/);
    expect(code).toBe(0);
  });

  it('prints one JSON object with the documented fields', () => {
    const { code, stdout } = raftsim('run', 'leader-crash', '--seed', '2', '--json');
    const result = JSON.parse(stdout);
    for (const key of ['scenario', 'seed', 'ok', 'traceHash', 'violation', 'events', 'virtualMs', 'operations']) {
      expect(result).toHaveProperty(key);
    }
    expect(result).toMatchObject({ scenario: 'leader-crash', seed: 2, ok: true, violation: null });
    expect(code).toBe(0);
  });

  it('writes the history in the checker format and the trace as JSON lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'raftsim-run-'));
    const { code } = raftsim('run', 'no-faults', '--seed', '1', '--history', join(dir, 'h.json'), '--trace', join(dir, 't.jsonl'));
    expect(code).toBe(0);
    const history = JSON.parse(readFileSync(join(dir, 'h.json'), 'utf8'));
    expect(history.model).toBe('raftsim-kv');
    expect(history.operations.length).toBeGreaterThan(100);
    expect(history.operations[0]).toEqual(expect.objectContaining({ client: expect.any(Number), call: expect.any(Number), input: expect.any(Object) }));
    const trace = readFileSync(join(dir, 't.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(trace.some((r) => r.ev === 'deliver')).toBe(true);
    expect(trace.some((r) => r.ev === 'fsync')).toBe(true);
  });

  it('runs a scenario file of the user’s own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'raftsim-run-'));
    const file = join(dir, 'mine.json');
    writeFileSync(file, JSON.stringify({ nodes: 1, workload: { clients: 1, opsPerClient: 20 }, durationMs: 2000 }));
    const { code, stdout } = raftsim('run', file, '--seed', '9');
    expect(stdout).toContain('scenario mine · 1 nodes, 1 clients');
    expect(code).toBe(0);
  });

  it('takes a scenario file of the user’s own with --scenario FILE, in run and in fuzz', () => {
    const dir = mkdtempSync(join(tmpdir(), 'raftsim-run-'));
    const file = join(dir, 'flag.json');
    writeFileSync(file, JSON.stringify({ nodes: 1, workload: { clients: 1, opsPerClient: 10 }, durationMs: 1000 }));
    const run = raftsim('run', '--scenario', file, '--seed', '2');
    expect(run.stdout).toContain('scenario flag · 1 nodes, 1 clients');
    expect(run.code).toBe(0);
    const fuzz = raftsim('fuzz', '--scenario', file, '--seeds', '3', '--json', '--workers', '1');
    expect(JSON.parse(fuzz.stdout)).toMatchObject({ seeds: 3, passed: 3, failed: 0 });
    expect(fuzz.code).toBe(0);
  });

  it.each([
    [['run', '--seed', '1'], /name a scenario/],
    [['run', 'nope', '--seed', '1'], /unknown scenario "nope"/],
    [['run', 'no-faults'], /seed/],
    [['run', 'no-faults', '--seed', 'abc'], /^raftsim: --seed: not an integer: abc$/m],
    [['run', 'no-faults', '--seed', '-4'], /^raftsim: --seed: must be ≥ 0, got -4$/m],
    [['run', './missing.json', '--seed', '1'], /missing\.json: no such file/],
    [['frobnicate'], /^raftsim: unknown command: frobnicate; the commands are run, fuzz, /],
  ])('rejects %j with one line on stderr and exit 2', (args, message) => {
    const { code, stderr, stdout } = raftsim(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(stdout).toBe('');
  });

  it('names the file and the field of a malformed scenario file, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'raftsim-run-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ timing: { tickMs: 'fast' } }));
    const { code, stderr } = raftsim('run', file, '--seed', '1');
    expect(code).toBe(2);
    expect(stderr).toMatch(/bad\.json: timing\.tickMs: must be an integer, got "fast"/);
  });
});
