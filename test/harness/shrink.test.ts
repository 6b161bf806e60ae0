/**
 * The shrinker on a fast catalog failure (grant-every-vote, split-vote seed 1, as the self-test
 * catches it): it ends "minimal", and the result replays to the same violation, bit for bit. With
 * a tiny budget (runs, or time by an injected clock) it says the budget ran out. The progress line
 * is one line per kept cut in a pipe and one line redrawn in place on a terminal.
 */
import { describe, expect, it } from 'vitest';
import { outcomeLine } from '../../src/cli/shrink.js';
import { createShrinkProgress } from '../../src/cli/shrinkProgress.js';
import { loadScenario } from '../../src/cli/scenarios.js';
import { executeRun } from '../../src/harness/execute.js';
import { shrinkRun } from '../../src/harness/shrink.js';
import type { ShrinkProgress } from '../../src/harness/shrink.js';

const spec = { scenario: loadScenario('split-vote'), scenarioRef: 'split-vote', seed: 1, swarm: true, bug: 'grant-every-vote' };

describe('shrinkRun', () => {
  it('reaches a minimum on a catalog failure, and the result replays to the same violation', async () => {
    const progress: ShrinkProgress[] = [];
    const result = await shrinkRun(spec, { onProgress: (p) => progress.push(p) });
    expect(result.outcome).toBe('minimal');
    expect(outcomeLine(result)).toMatch(/^minimal \(\d+ runs, 0\.0 s\): no single operation, fault, client, key, node or time window can go/);
    expect(result.before.faults).toBeGreaterThan(5);
    expect(result.after.faults).toBeLessThanOrEqual(5);
    expect(result.after.operations).toBeLessThanOrEqual(20);
    expect(result.after.operations).toBeLessThan(result.before.operations);
    // The run ends at the violation, and the faults phase (the heal) no later than just past it.
    expect(result.after.virtualMs).toBe(result.shrunk.violation!.timeMs);
    expect(result.after.durationMs).toBeLessThanOrEqual(Math.floor(result.shrunk.violation!.timeMs) + 1);
    expect(result.after.virtualMs).toBeLessThanOrEqual(result.before.virtualMs);
    expect(progress.filter((p) => p.improved).length).toBeGreaterThan(0);
    expect(progress.at(-1)!.runs).toBe(result.runs);

    const replay = await executeRun(result.shrunk.spec);
    expect(replay.violation).toMatchObject({ kind: 'safety', invariant: 'election-safety' });
    expect(replay.sim.traceHash).toBe(result.shrunk.sim.traceHash);
  });

  it('says the budget ran out when the runs do', async () => {
    const result = await shrinkRun(spec, { maxRuns: 3 });
    expect(result.outcome).toBe('budget');
    expect(result.runs).toBeLessThanOrEqual(3);
    expect(outcomeLine(result)).toMatch(/^budget exhausted \(3 runs, 0\.0 s\)/);
  });

  it('says the budget ran out when the time does, by the clock it is given', async () => {
    let clock = 0;
    const result = await shrinkRun(spec, { timeBudgetMs: 5_000, now: () => (clock += 1_000) });
    expect(result.outcome).toBe('budget');
    expect(result.elapsedMs).toBeGreaterThanOrEqual(5_000);
    expect(outcomeLine(result)).toMatch(/^budget exhausted \(\d+ runs, \d+\.\d s\)/);
  });
});

describe('shrink progress line', () => {
  const size = { faults: 2, clients: 1, operations: 3, durationMs: 200, virtualMs: 190, nodes: 3 };
  const step = (runs: number, improved: boolean): ShrinkProgress => ({ runs, elapsedMs: runs * 1000, best: size, improved, pass: 'faults' });
  const sink = (isTTY: boolean) => {
    const written: string[] = [];
    return { written, stream: { isTTY, write: (text: string) => written.push(text) } as unknown as NodeJS.WritableStream & { isTTY: boolean } };
  };

  it('in a pipe: one plain line per kept cut, no escape codes', () => {
    const { written, stream } = sink(false);
    const progress = createShrinkProgress(stream, () => 0, {});
    for (const [runs, improved] of [[2, false], [3, true], [4, false], [5, true]] as const) progress.update(step(runs, improved));
    progress.finish();
    expect(written).toEqual([
      'shrink: 3 runs, 3.0 s: 2 faults, 1 client, 3 operations, 190 ms, 3 nodes (faults phase 200 ms) [cutting faults]\n',
      'shrink: 5 runs, 5.0 s: 2 faults, 1 client, 3 operations, 190 ms, 3 nodes (faults phase 200 ms) [cutting faults]\n',
    ]);
  });

  it('on a terminal: one line rewritten in place, cleared at the end', () => {
    const { written, stream } = sink(true);
    let clock = 0;
    const progress = createShrinkProgress(stream, () => (clock += 200), {});
    for (let runs = 2; runs <= 4; runs++) progress.update(step(runs, false));
    progress.finish();
    expect(written).toHaveLength(4);
    for (const line of written.slice(0, 3)) expect(line).toMatch(/^\rshrink: \d runs, .*\x1b\[K$/);
    expect(written.join('')).not.toContain('\n');
    expect(written[3]).toBe('\r\x1b[K');
  });
});
