/**
 * `raftsim jepsen` end to end, short: 3 real nodes, every fault kind for 25 s, then the checks.
 * The whole run (start, faults, heal, final reads, check) stays under a minute.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { raftsimAsync } from '../support/cli.js';

const out = mkdtempSync(join(tmpdir(), 'raftsim-jepsen-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('raftsim jepsen', () => {
  it('passes against a real cluster under kills, pauses and partitions, and writes its folder', async () => {
    const run = await raftsimAsync(['jepsen', '--nodes', '3', '--clients', '5', '--duration', '25s', '--faults', 'kill,pause,partition',
      '--seed', '7', '--out', out, '--json', '--check-timeout', '10'], 58_000, 'SIGTERM');
    expect(run.stderr).toBe('');
    const summary = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
      verdict: string; seed: number; operations: number; unknown: number; problems: unknown[]; check: string;
    };
    expect(summary.problems).toEqual([]);
    expect(summary.verdict).toBe('ok');
    expect(run.code).toBe(0);
    expect(summary.seed).toBe(7);
    expect(summary.check).toBe('linearizable');

    const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')) as {
      model: string; operations: { client: number; call: number; return: number | null; input: { f: string; key: string }; output: unknown }[];
    };
    expect(history.model).toBe('raftsim-kv');
    expect(history.operations.length).toBeGreaterThan(200);
    expect(history.operations.length).toBe(summary.operations);
    // Unknown outcomes are allowed, but only in the one honest form: never returned, output unknown.
    for (const op of history.operations) {
      if (op.output === null) expect(op.return).toBeNull();
      if (op.return !== null) expect(op.return).toBeGreaterThanOrEqual(op.call);
    }
    expect(history.operations.filter((op) => op.output === null).length).toBe(summary.unknown);
    expect(new Set(history.operations.map((op) => op.input.f))).toEqual(new Set(['get', 'put', 'append', 'delete', 'cas']));

    const faults = JSON.parse(readFileSync(join(out, 'faults.json'), 'utf8')) as {
      faults: { kind: string; start: number; end: number | null; nodes: string[] }[];
    };
    const kinds = new Set(faults.faults.map((f) => f.kind));
    expect(kinds).toEqual(new Set(['kill', 'pause', 'partition']));
    for (const fault of faults.faults) {
      expect(fault.end).not.toBeNull();
      expect(fault.end!).toBeGreaterThan(fault.start);
      expect(fault.nodes.length).toBeGreaterThan(0);
    }

    const report = readFileSync(join(out, 'report.html'), 'utf8');
    expect(report).toContain('data-status="pass"');
    expect(report).toContain('raftsim jepsen seed 7');
    const ops = JSON.parse(/<script type="application\/json" id="ops">([^<]*)<\/script>/.exec(report)![1]!) as unknown[];
    expect(ops.length).toBe(history.operations.length);
    expect(existsSync(join(out, 'logs', 'n1.log'))).toBe(true);
  }, 60_000);

  it('rejects bad usage with exit 2 and one line, before starting anything', async () => {
    for (const args of [['--nodes', '4'], ['--duration', 'soon'], ['--faults', 'kill,flood'], ['--clients', '0']]) {
      const run = await raftsimAsync(['jepsen', ...args], 15_000, 'SIGTERM');
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
  }, 60_000);
});
