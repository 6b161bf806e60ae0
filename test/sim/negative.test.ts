/**
 * Nodes broken on purpose must be caught: each known bug, switched on, makes some seed fail
 * within a bounded number of seeds, with the invariant that should catch it.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenarios.js';
import type { RunOptions } from '../../src/sim/run.js';
import { runScenario } from '../../src/sim/run.js';

const MAX_SEEDS = 50;

function firstFailure(scenarioName: string, options: Omit<RunOptions, 'seed'>) {
  const scenario = loadScenario(scenarioName);
  for (let seed = 1; seed <= MAX_SEEDS; seed++) {
    const result = runScenario(scenario, { ...options, seed });
    if (!result.ok) return { seed, violation: result.violation! };
  }
  return null;
}

describe('a deliberately broken node is caught', () => {
  it('grants every vote: two leaders in one term (split-vote, seeds 1..50)', () => {
    const failure = firstFailure('split-vote', { raftBugs: { grantEveryVote: true } });
    expect(failure?.violation.kind).toBe('safety');
    expect(failure?.violation.invariant).toBe('election-safety');
  });

  it('votes without the up-to-date check: a leader misses committed entries (lossy-churn, seeds 1..50)', () => {
    const failure = firstFailure('lossy-churn', { raftBugs: { voteWithoutUpToDateCheck: true } });
    expect(failure?.violation.kind).toBe('safety');
    expect(['leader-completeness', 'state-machine-safety', 'log-matching']).toContain(failure?.violation.invariant);
  });

  it('truncates matching entries on a stale append: acknowledged entries lost (lossy-churn, seeds 1..50)', () => {
    const failure = firstFailure('lossy-churn', { raftBugs: { truncateMatchingEntries: true } });
    expect(failure?.violation.kind).toBe('safety');
  });

  it('commits an older term by counting: caught (figure8, seeds 1..50)', () => {
    const failure = firstFailure('figure8', { raftBugs: { commitOlderTermByCounting: true } });
    expect(failure?.violation.kind).toBe('safety');
    expect(['leader-completeness', 'state-machine-safety']).toContain(failure?.violation.invariant);
  });

  it('reports the exact violation fields a user needs to replay it', () => {
    const failure = firstFailure('split-vote', { raftBugs: { grantEveryVote: true } });
    expect(failure).not.toBeNull();
    const v = failure!.violation;
    expect(v.message).toMatch(/two leaders in term \d+: n\d and n\d/);
    expect(v.nodes).toHaveLength(2);
    expect(v.timeMs).toBeGreaterThan(0);
  });
});

describe('liveness is required, not hoped for', () => {
  it('fails a run whose cluster cannot elect a leader after the heal', () => {
    // Two of three nodes crash and never come back within the run: the heal restarts them, but a
    // scenario whose liveness bound is shorter than any election must fail, saying so.
    const scenario = { ...loadScenario('no-faults'), liveness: { ...loadScenario('no-faults').liveness, leaderWithinMs: 1, opsCompleteWithinMs: null, maxElectionsAfterHeal: null, maxTermGrowthAfterHeal: null } };
    const crashAll = [{ atMs: 9000, kind: 'crash-all' as const }];
    const result = runScenario(scenario, { seed: 1, faults: crashAll });
    expect(result.ok).toBe(false);
    expect(result.violation?.kind).toBe('liveness');
    expect(result.violation?.invariant).toBe('leader-after-heal');
  });

  it('fails a run whose operations cannot finish', () => {
    const base = loadScenario('no-faults');
    const scenario = { ...base, network: { ...base.network, dropRatio: 0, duplicateRatio: 0 }, liveness: { ...base.liveness, leaderWithinMs: null, opsCompleteWithinMs: 1 } };
    // The client's request is held forever on no link (clients are not partitioned), so instead cut
    // the cluster in three right before the heal: the heal comes, but 1 ms is too short to finish.
    const faults = [{ atMs: 9990, kind: 'partition' as const, groups: [[1], [2], [3]] }];
    const result = runScenario(scenario, { seed: 1, faults });
    expect(result.ok).toBe(false);
    expect(result.violation?.invariant).toBe('operations-complete');
  });
});
