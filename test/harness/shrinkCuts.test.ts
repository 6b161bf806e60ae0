/**
 * The shrinker's cuts as pure functions of a spec (no simulator): time windows, nodes, the order of
 * operations, and the cut of a linearizability failure at the operation the checker could not place.
 */
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/harness/execute.js';
import { dropNode, keepWindows, opsInTimeOrder, timeWindows, within } from '../../src/harness/shrinkCuts.js';
import type { ExplicitSpec } from '../../src/harness/shrinkCuts.js';
import { cutAtSettled } from '../../src/harness/shrinkTrim.js';
import type { PlannedOp } from '../../src/sim/workload.js';

describe('shrink cuts', () => {
  const spec = (faults: ExplicitSpec['faults'], durationMs = 1000): ExplicitSpec => ({
    scenario: {} as never, scenarioRef: 'x', seed: 1, swarm: false, bug: null, plans: [], faults, overrides: { durationMs },
  });

  it('a dropped time window takes its faults with it and moves later ones and the heal earlier', () => {
    const windows = timeWindows(1000, 4, 10);
    expect(windows.map((w) => [w.start, w.end])).toEqual([[0, 250], [250, 500], [500, 750], [750, 1000]]);
    const cut = keepWindows(spec([{ atMs: 100, kind: 'heal' }, { atMs: 300, kind: 'heal' }, { atMs: 800, kind: 'heal' }]), windows,
      [windows[0]!, windows[3]!]);
    expect(cut.faults).toEqual([{ atMs: 100, kind: 'heal' }, { atMs: 300, kind: 'heal' }]);
    expect(cut.overrides?.durationMs).toBe(500);
  });

  it('dropping a node drops the faults that name it and numbers the nodes above it down', () => {
    const cut = dropNode(spec([
      { atMs: 1, kind: 'crash', node: 2 }, { atMs: 2, kind: 'partition', groups: [[1, 3], [4, 5]] },
      { atMs: 3, kind: 'hold', from: 5, to: 1 }, { atMs: 4, kind: 'isolate', node: 'leader' },
    ]), 5, 2);
    expect(cut.faults).toEqual([
      { atMs: 2, kind: 'partition', groups: [[1, 2], [3, 4]] }, { atMs: 3, kind: 'hold', from: 4, to: 1 }, { atMs: 4, kind: 'isolate', node: 'leader' },
    ]);
    expect(cut.overrides?.nodes).toBe(4);
  });

  it('orders operations by position, then client, so that halves of the order are halves of the run', () => {
    const op = { thinkMs: 0, op: { f: 'get' as const, key: 'k1' } };
    expect(opsInTimeOrder([[op, op], [op], [op, op, op]]).map((r) => `${r.client}.${r.index}`))
      .toEqual(['0.0', '1.0', '2.0', '0.1', '2.1', '2.2']);
  });

  it('a ddmin candidate built from older lists does not bring back what a trim dropped since', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((key): PlannedOp => ({ thinkMs: 0, op: { f: 'get', key } }));
    // Same content, another object: not the operation the current lists hold.
    const bCopy: PlannedOp = { thinkMs: 0, op: { f: 'get', key: 'b' } };
    expect(within([[a!, b!], [c!, bCopy]], [[a!], [bCopy]])).toEqual([[a], [bCopy]]);
    expect(within([[a!, b!], [c!]], [[b!], [c!]])[0]![0]).toBe(b);
  });

  it('cuts a linearizability failure just past the operation the checker could not place', () => {
    const op = (key: string): PlannedOp => ({ thinkMs: 0, op: { f: 'get', key } });
    const plans = [[op('a'), op('b'), op('c')], [op('a'), op('b')], [op('c')]];
    const called = (client: number, index: number, call: number, ret: number | null) =>
      ({ client: client + 1, call, return: ret, input: plans[client]![index]!.op, output: ret === null ? null : { value: null } });
    // Client 1's second operation (called at 50) is blocked, returning at 120; client 2 called its
    // second at 130 and client 3 its first at 200: after it.
    const operations = [called(0, 0, 0, 40), called(1, 0, 10, 60), called(0, 1, 50, 120), called(0, 2, 125, 150), called(1, 1, 130, null), called(2, 0, 200, 210)];
    const base = spec([{ atMs: 100, kind: 'heal' }, { atMs: 121, kind: 'heal' }], 1000);
    const full = { ...base, plans };
    const report = {
      violation: { kind: 'linearizability' }, effective: { durationMs: 1000 }, sim: { history: { operations } },
      check: { parts: [{ result: 'not-linearizable', operations: [2], failure: { blocked: 2 } }, { result: 'linearizable', operations: [0] }] },
    } as unknown as RunReport;
    const [healEarly, keepPhase] = cutAtSettled(full, report);
    expect(healEarly!.plans.map((list) => list.length)).toEqual([2, 1, 0]);
    expect(healEarly!.faults).toEqual([{ atMs: 100, kind: 'heal' }]);
    expect(healEarly!.overrides?.durationMs).toBe(121);
    expect(keepPhase!.plans).toEqual(healEarly!.plans);
    expect(keepPhase!.overrides?.durationMs).toBe(1000);
    expect(cutAtSettled(full, { ...report, violation: { kind: 'liveness' } } as unknown as RunReport)).toEqual([]);
  });
});
