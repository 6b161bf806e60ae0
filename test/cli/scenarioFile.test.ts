/**
 * Issue 8 through the command line: a scenario file with typos, a schedule after the heal or fault
 * kinds without a rate is refused with exit 2 and one line on stderr naming the file and the field.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { raftsim } from './helpers.js';

function scenarioFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'raftsim-scenario-')), 'mine.json');
  writeFileSync(file, JSON.stringify(content, null, 2));
  return file;
}

/** Runs the command and returns its one stderr line, after checking exit 2, no stdout, no stack trace. */
function refusal(...args: string[]): string {
  const { code, stdout, stderr } = raftsim(...args);
  expect(code).toBe(2);
  expect(stdout).toBe('');
  expect(stderr).not.toMatch(/\bat .*\.js:\d+/);
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('scenario files through the CLI', () => {
  it('refuses the five-typo file of issue 8 at its first typo, exit 2', () => {
    const file = scenarioFile({
      nodes: 3,
      faults: { meanInterval: 300, kinds: { crash: 1 } },
      timing: { tickMS: 10 },
      network: { dropRate: 0.1 },
      workload: { client: 2 },
      liveness: { leaderWithin: 1000 },
    });
    expect(refusal('run', '--scenario', file, '--seed', '1')).toBe(`raftsim: ${file}: faults.meanInterval: unknown field (did you mean meanIntervalMs?)`);
  });

  it.each([
    [{ faults: { schedule: [{ atMs: 1, kind: 'heal' }, { atMs: 2, kind: 'heal' }, { atMs: 3, kind: 'hold', frm: 'n1', to: 'n2' }] } },
      'faults.schedule[2].frm: unknown field (did you mean from?)'],
    [{ durationMs: 10_000, faults: { schedule: [{ atMs: 100, kind: 'heal' }, { atMs: 12_000, kind: 'crash', node: 'n2' }] } },
      'faults.schedule[1].atMs: 12000 is at or after durationMs 10000 (the heal); schedule faults before it'],
    [{ faults: { kinds: { crash: 2 } } },
      'faults.kinds.crash: weight 2 does nothing while faults.meanIntervalMs is 0 or absent (random faults off); set faults.meanIntervalMs'],
    [{ nodes: 3, faults: { schedule: [{ atMs: 100, kind: 'isolate', node: 'n4' }] } },
      'faults.schedule[0].node: n4, but the cluster has 3 nodes (n1 to n3)'],
    [{ faults: { schedule: [{ atMs: 100, kind: 'isolate', node: 'n10' }] } },
      'faults.schedule[0].node: must be a node id, n1 to n9, or "leader"; got "n10"'],
  ])('refuses %j in run and in fuzz, naming the field', (content, message) => {
    const file = scenarioFile(content);
    expect(refusal('run', file, '--seed', '1')).toBe(`raftsim: ${file}: ${message}`);
    expect(refusal('fuzz', '--scenario', file, '--seeds', '1', '--workers', '1')).toBe(`raftsim: ${file}: ${message}`);
  });

  it('runs a file that names its nodes n1 … n3', () => {
    const file = scenarioFile({
      nodes: 3,
      workload: { clients: 1, opsPerClient: 20 },
      durationMs: 2000,
      faults: { schedule: [{ atMs: 300, kind: 'partition', groups: [['n1'], ['n2', 'n3']] }, { atMs: 900, kind: 'heal' }, { atMs: 1000, kind: 'crash', node: 'n2', forMs: 200 }] },
    });
    const { code, stdout } = raftsim('run', file, '--seed', '3', '--json');
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, faults: 3 });
    expect(code).toBe(0);
  });
});
