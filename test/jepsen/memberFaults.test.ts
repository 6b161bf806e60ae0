/**
 * Membership changes as a nemesis fault: planned in their turn like every kind, alone (never
 * overlapping another fault, so a majority of the original nodes can always serve), counted in the
 * fault summary (with the removals of the leader) and drawn on the report as a band on the removed
 * node's lane (it keeps running), not as a down interval.
 */
import { describe, expect, it } from 'vitest';
import { summarizeFaults } from '../../src/jepsen/faultSummary.js';
import { jepsenReportData } from '../../src/jepsen/report.js';
import type { JepsenResult } from '../../src/jepsen/run.js';
import { describePlanned, planFaults } from '../../src/jepsen/schedule.js';
import type { FaultRecord } from '../../src/jepsen/types.js';

const nodes = ['n1', 'n2', 'n3'];

describe('membership faults', () => {
  it('come round in every plan that has the kind, the leader and named nodes, never overlapping', () => {
    for (let seed = 0; seed < 20; seed++) {
      const plan = planFaults({ seed, nodes, kinds: ['kill', 'pause', 'partition', 'member'], durationMs: 40_000 });
      const members = plan.filter((f) => f.kind === 'member');
      expect(members.length, `seed ${seed}`).toBeGreaterThanOrEqual(1);
      plan.forEach((fault, i) => {
        const other = plan.filter((_, j) => j !== i);
        const overlaps = other.some((g) => g.atMs < fault.atMs + fault.durationMs && fault.atMs < g.atMs + g.durationMs);
        if (fault.kind === 'member') expect(overlaps, `seed ${seed} fault ${i}`).toBe(false);
      });
    }
    const targets = new Set(Array.from({ length: 20 }, (_, seed) => planFaults({ seed, nodes, kinds: ['member'], durationMs: 40_000 }))
      .flat().map((f) => (f as { target: string }).target));
    expect(targets).toContain('leader');
    expect([...targets].some((t) => nodes.includes(t))).toBe(true);
    expect(describePlanned({ kind: 'member', atMs: 1000, durationMs: 2000, target: 'leader' }))
      .toBe('   1000 ms +2000 ms  member remove the leader, then add it back and promote it');
  });

  it('are counted in the summary and drawn as a band on the node\'s lane', () => {
    const removed: FaultRecord = { kind: 'member', nodes: ['n2'], leader: true, description: 'remove n2 (leader) from the configuration', start: 100, end: 900 };
    const other: FaultRecord = { ...removed, nodes: ['n3'], leader: false, start: 1000, end: 2000 };
    expect(summarizeFaults([removed, other], 3, 6000)).toMatchObject({ member: 2, memberLeaderRemovals: 1, kill: 0, overlapping: 0 });
    const data = jepsenReportData({
      options: { nodes: 3, clients: 1, durationMs: 3000, faults: ['member'], seed: 1, basePort: 7001, serveCommand: ['main.js', 'serve'], logDir: '/nowhere' },
      plan: [], skipped: [], history: [], faults: [removed], roles: [], stats: { ok: 0, unknown: 0, notApplied: 0, rejected: [] }, check: null, explanation: [],
      finalValues: null, lostWrites: { lost: [], verified: 0, superseded: 0 }, problems: [], verdict: 'ok', healTime: 1000, faultsPhaseStart: 50, endTime: 1200,
    } as unknown as JepsenResult);
    expect(data.nodeEvents).toContainEqual({ kind: 'mark', node: 'n2', start: 100, end: 900, what: 'removed', detail: 'remove n2 (leader) from the configuration' });
    expect(data.nodeEvents.some((e) => e.kind === 'down')).toBe(false);
  });
});
