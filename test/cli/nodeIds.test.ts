/**
 * Node ids at the user's boundary: `n1` … `n9` in flags, failure files, --json and trace files;
 * failure files written before names (numbers) still load and replay.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenarios.js';
import { executeRun } from '../../src/harness/execute.js';
import type { RunSpec } from '../../src/harness/execute.js';
import { fromFailureFile, toFailureFile } from '../../src/harness/failureFile.js';
import type { FaultAction } from '../../src/sim/faults.js';
import { raftsim } from './helpers.js';

const OLD_FAILURE = fileURLToPath(new URL('./fixtures/old-numeric-failure.json', import.meta.url));
const FAULTS: FaultAction[] = [
  { atMs: 500, kind: 'crash', node: 2, forMs: 400 },
  { atMs: 1500, kind: 'partition', groups: [[1, 2], [3, 4, 5]] },
  { atMs: 2500, kind: 'heal' },
  { atMs: 3000, kind: 'one-way', from: 1, to: 3 },
];

/** split-vote seed 1 with every vote granted fails (two leaders); with an explicit fault list. */
function failingSpec(): RunSpec {
  return { scenario: loadScenario('split-vote'), scenarioRef: 'split-vote', seed: 1, swarm: false, bug: 'grant-every-vote', faults: FAULTS };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'raftsim-nodes-'));
}

describe('failure files', () => {
  it('show node ids as names in the fault list, the scenario schedule and the violation', async () => {
    const file = JSON.parse(JSON.stringify(toFailureFile(await executeRun(failingSpec()), 'test', 'x')));
    expect(file.faults).toEqual([
      { atMs: 500, kind: 'crash', node: 'n2', forMs: 400 },
      { atMs: 1500, kind: 'partition', groups: [['n1', 'n2'], ['n3', 'n4', 'n5']] },
      { atMs: 2500, kind: 'heal' },
      { atMs: 3000, kind: 'one-way', from: 'n1', to: 'n3' },
    ]);
    expect(file.violation.nodes.length).toBeGreaterThan(0);
    for (const node of file.violation.nodes) expect(node).toMatch(/^n[1-5]$/);
    const loaded = fromFailureFile(file);
    if (typeof loaded === 'string') throw new Error(loaded);
    expect(loaded.spec.faults).toEqual(FAULTS);
  });

  it('show the scenario’s schedule with names, and read it back to the same scenario', async () => {
    const scenario = loadScenario('follower-rejoin');
    const spec: RunSpec = { scenario, scenarioRef: 'follower-rejoin', seed: 1, swarm: false, bug: null, overrides: { durationMs: 1500 } };
    const file = JSON.parse(JSON.stringify(toFailureFile(await executeRun(spec), 'test', 'x')));
    expect(file.scenario.faults.schedule).toEqual([
      { atMs: 1000, kind: 'isolate', node: 'n3' },
      { atMs: 5000, kind: 'heal' },
      { atMs: 6000, kind: 'crash', node: 'n2' },
      { atMs: 9000, kind: 'restart', node: 'n2' },
    ]);
    const loaded = fromFailureFile(file);
    if (typeof loaded === 'string') throw new Error(loaded);
    expect(loaded.spec.scenario).toEqual(scenario);
  });

  it('replays a failure file with names bit for bit through the CLI', async () => {
    const file = join(tempDir(), 'failure.json');
    writeFileSync(file, JSON.stringify(toFailureFile(await executeRun(failingSpec()), 'test', 'x'), null, 1));
    expect(readFileSync(file, 'utf8')).toContain('"node": "n2"');
    const { code, stdout } = raftsim('replay', file);
    expect(stdout).toContain('same run');
    expect(code).toBe(1);
  });

  it('still load when written before names (numbers, and no issue-8 scenario fields)', () => {
    const raw = JSON.parse(readFileSync(OLD_FAILURE, 'utf8'));
    expect(raw.faults[0]).toEqual({ atMs: 500, kind: 'crash', node: 2, forMs: 400 });
    expect(raw.scenario.clientNetwork).toBeUndefined();
    const loaded = fromFailureFile(raw);
    if (typeof loaded === 'string') throw new Error(loaded);
    expect(loaded.spec.faults!.slice(0, 4)).toEqual(FAULTS);
    expect(loaded.spec.scenario.clientNetwork.latencyMsMean).toBe(raw.scenario.timing.latencyMsMean);
    const { code, stdout } = raftsim('replay', OLD_FAILURE);
    expect([0, 1, 3]).toContain(code);
    expect(stdout).toMatch(/^(same run|different run)/m);
  });

  it('refuse a typo, naming its path', () => {
    const raw = JSON.parse(readFileSync(OLD_FAILURE, 'utf8'));
    expect(fromFailureFile({ ...raw, seeed: 1 })).toBe('seeed: unknown field (did you mean seed?)');
    expect(fromFailureFile({ ...raw, faults: [{ ...raw.faults[0], nod: 2 }] })).toBe('faults[0].nod: unknown field (did you mean node?)');
    expect(fromFailureFile({ ...raw, overrides: { node: 2 } })).toBe('overrides.node: unknown field (did you mean nodes?)');
    expect(fromFailureFile({ ...raw, scenario: { ...raw.scenario, timing: { tickMS: 1 } } })).toBe('scenario.timing.tickMS: unknown field (did you mean tickMs?)');
  });
});

describe('run and replay output', () => {
  it('--json names the violation’s nodes n1 … n5', () => {
    const { code, stdout } = raftsim('run', 'split-vote', '--seed', '1', '--bug', 'grant-every-vote', '--json');
    expect(code).toBe(1);
    const nodes: unknown[] = JSON.parse(stdout).violation.nodes;
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) expect(node).toMatch(/^n[1-5]$/);
  });

  it('--trace writes each event’s node as a name', () => {
    const file = join(tempDir(), 't.jsonl');
    expect(raftsim('run', 'leader-crash', '--seed', '1', '--trace', file).code).toBe(0);
    const records = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    const withNode = records.filter((r) => r.node !== undefined);
    expect(withNode.length).toBeGreaterThan(100);
    for (const r of withNode) expect(r.node).toMatch(/^n[1-3]$/);
    expect(records.some((r) => r.ev === 'fault' && /crash leader|restart-all/.test(r.what))).toBe(true);
  });
});

describe('replay --node', () => {
  const verboseLines = (node: string) => {
    const { code, stdout } = raftsim('replay', 'leader-crash', '--seed', '1', '--verbose', '--node', node, '--from', '1000', '--to', '1100');
    expect(code).toBe(0);
    return stdout.split('\n').filter((line) => / ms {2}/.test(line));
  };

  it('takes n3, and a bare 3, and shows the same story', () => {
    const named = verboseLines('n3');
    expect(named.length).toBeGreaterThan(5);
    for (const line of named) expect(line).toMatch(/ n3 |n3->|->n3 |fault|faults stop/);
    expect(verboseLines('3')).toEqual(named);
  });

  it.each([
    ['n0', '--node must be a node id, n1 to n9; got "n0"'],
    ['n10', '--node must be a node id, n1 to n9; got "n10"'],
    ['x', '--node must be a node id, n1 to n9; got "x"'],
    ['n4', '--node n4: the cluster has 3 nodes (n1 to n3)'],
  ])('refuses --node %s with one line and exit 2', (node, message) => {
    const { code, stderr, stdout } = raftsim('replay', 'leader-crash', '--seed', '1', '--verbose', '--node', node);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe(`raftsim: ${message}`);
  });

  it('refuses a time window that is not one', () => {
    const { code, stderr } = raftsim('replay', 'leader-crash', '--seed', '1', '--verbose', '--from', '500', '--to', '100');
    expect(code).toBe(2);
    expect(stderr.trim()).toBe('raftsim: --to (100) must not be before --from (500)');
  });
});
