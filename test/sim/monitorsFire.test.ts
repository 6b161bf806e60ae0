/**
 * Every check fires end to end: a real simulated run, through the world's real wiring, with one node
 * broken on purpose (a mutant from ./mutants.ts, or a catalog bug), must stop with exactly the
 * invariant that guards against that breakage. A monitor that cannot fire here is a monitor that
 * cannot fire. The unit tests of each monitor on fake nodes are in monitors.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenarios.js';
import { executeRun } from '../../src/harness/execute.js';
import { findMutant } from '../../src/mutants/index.js';
import type { NodeMutant } from '../../src/sim/host.js';
import { runScenario } from '../../src/sim/run.js';
import type { Scenario } from '../../src/sim/scenario.js';
import { MUTANTS } from './mutants.js';

async function runWith(mutant: NodeMutant, scenarioName = 'no-faults', seed = 1) {
  return await runScenario(loadScenario(scenarioName), { seed, mutant });
}

describe('each safety monitor fires from a real run with a node broken on purpose', () => {
  const cases: [string, keyof typeof MUTANTS, string, RegExp][] = [
    ['log matching: two nodes store different commands at one (index, term)', 'forgeStoredCommand', 'log-matching', /hold different durable entries at index \d+ term \d+/],
    ['log matching: two nodes agree on an entry but not on the one before it', 'forgeStoredTerm', 'log-matching', /agree on index 2 term 1 but not on the entry before it/],
    ['state machine safety: a node commits another term at an index', 'misreportCommittedTerm', 'state-machine-safety', /n\d committed term (101|1) at index 1, where term (1|101) was committed before/],
    ['state machine safety: a node applies another command at an index', 'applyForgedCommand', 'state-machine-safety', /applied different commands at index \d+/],
    ['commit index monotonic: a commit index goes back', 'commitGoesBack', 'commit-monotonic', /n2's commitIndex went back from \d+ to \d+/],
    ['committed entries exist: a commit index past the log', 'commitPastLog', 'committed-entry-kept', /n2's commitIndex \d+ is beyond its last log index \d+/],
    ['committed entries kept: a node truncates at its commit index', 'rewriteCommitted', 'committed-entry-kept', /n2 truncated its log from index \d+ .*at or below its commitIndex/],
    ['acknowledged writes are committed: a write acknowledged in a term the log does not hold', 'acknowledgeWrongTerm', 'acknowledged-write-lost', /acknowledged client \d+ seq \d+ .* which is not committed/],
    ['acknowledged writes survive: at the end only one node of three holds one', 'storeOnFollowerOnly', 'acknowledged-write-lost', /was acknowledged but only 1 nodes still hold it durably/],
  ];
  it.each(cases)('%s', async (_title, mutant, invariant, message) => {
    const result = await runWith(MUTANTS[mutant]);
    expect(result.ok).toBe(false);
    expect(result.violation).toMatchObject({ kind: 'safety', invariant });
    expect(result.violation!.message).toMatch(message);
    expect(result.violation!.timeMs).toBeGreaterThan(0);
  });

  it('leader completeness: a leader elected without an entry committed in an earlier term (leader-crash)', async () => {
    const result = await runWith(MUTANTS.leaderLacksFirstEntry, 'leader-crash');
    expect(result.violation).toMatchObject({ kind: 'safety', invariant: 'leader-completeness', index: 1 });
    expect(result.violation!.message).toMatch(/became leader of term \d+ without the entry committed at index 1 in term 1/);
  });

  it('the same mutant passes when no second leader is ever elected (no-faults): the monitor fires on the cause only', async () => {
    expect((await runWith(MUTANTS.leaderLacksFirstEntry)).violation).toBeNull();
  });

  it('election safety: two leaders in one term (catalog bug grant-every-vote, split-vote seed 1)', async () => {
    const report = await executeRun({ scenario: loadScenario('split-vote'), scenarioRef: 'split-vote', seed: 1, swarm: true, bug: 'grant-every-vote' });
    expect(report.violation).toMatchObject({ kind: 'safety', invariant: 'election-safety' });
    expect(report.violation!.message).toMatch(/two leaders in term \d+: n\d and n\d/);
    expect((report.violation as { nodes: number[] }).nodes).toHaveLength(2);
  });

  it('acknowledged entries kept: a follower acknowledges before its fsync (catalog bug ack-before-fsync, full-restart seed 1)', async () => {
    const report = await executeRun({ scenario: loadScenario('full-restart'), scenarioRef: 'full-restart', seed: 1, swarm: true, bug: 'ack-before-fsync' });
    expect(report.violation).toMatchObject({ kind: 'safety', invariant: 'acknowledged-entry-kept' });
  });

  it('linearizability: the checker catches a KV that applies a retry twice (catalog bug no-duplicate-detection, lossy-churn seed 4)', async () => {
    const report = await executeRun({ scenario: loadScenario('lossy-churn'), scenarioRef: 'lossy-churn', seed: 4, swarm: true, bug: 'no-duplicate-detection' });
    expect(report.sim.violation).toBeNull();
    expect(report.status).toBe('fail');
    expect(report.violation).toMatchObject({ kind: 'linearizability', invariant: 'linearizability' });
  });
});

describe('a run stops on our own failures, never hangs', () => {
  it('an exception inside a node is a crash-class failure naming the error and where it was thrown', async () => {
    const result = await runWith(MUTANTS.throwOnMessage);
    expect(result.violation).toMatchObject({ kind: 'crash', invariant: 'exception' });
    // The first frame of ours: where the node driver handed the node its message.
    expect(result.violation!.message).toMatch(/^TypeError: mutant: n1 cannot read this message \(at .*src\/driver\/nodeDriver\.ts:\d+/);
  });

  it('the event budget stops a run and says so', async () => {
    const result = await runScenario(loadScenario('no-faults'), { seed: 1, maxEvents: 2000 });
    expect(result.violation).toMatchObject({ kind: 'liveness', invariant: 'event-budget', message: 'the run used its budget of 2000 events' });
    expect(result.events).toBeGreaterThanOrEqual(2000);
    expect(result.events).toBeLessThan(2100);
  });
});

describe('liveness is required, not hoped for', () => {
  function withLiveness(base: Scenario, liveness: Partial<Scenario['liveness']>): Scenario {
    return { ...base, liveness: { ...base.liveness, leaderWithinMs: null, opsCompleteWithinMs: null, maxElectionsAfterHeal: null, maxTermGrowthAfterHeal: null, ...liveness } };
  }

  it('fails a run whose cluster has no stable leader in time after the heal', async () => {
    // Everything crashes just before the heal: the restart comes, but 1 ms is shorter than any election.
    const result = await runScenario(withLiveness(loadScenario('no-faults'), { leaderWithinMs: 1 }), { seed: 1, faults: [{ atMs: 9000, kind: 'crash-all' }] });
    expect(result.violation).toMatchObject({ kind: 'liveness', invariant: 'leader-after-heal' });
  });

  it('fails a run whose operations cannot finish in time', async () => {
    // Cut the cluster in three right before the heal: the heal comes, but 1 ms is too short to finish.
    const result = await runScenario(withLiveness(loadScenario('no-faults'), { opsCompleteWithinMs: 1 }), { seed: 1, faults: [{ atMs: 9990, kind: 'partition', groups: [[1], [2], [3]] }] });
    expect(result.violation).toMatchObject({ kind: 'liveness', invariant: 'operations-complete' });
  });

  it('fails a run that keeps electing after the heal (catalog bug heartbeats-only-when-busy)', async () => {
    const scenario = withLiveness(loadScenario('no-faults'), { leaderWithinMs: 5000, maxElectionsAfterHeal: 2 });
    const result = await runScenario(scenario, { seed: 1, factories: findMutant('heartbeats-only-when-busy')! });
    expect(result.violation).toMatchObject({ kind: 'liveness', invariant: 'elections-after-heal' });
  });

  it('fails a run whose term keeps growing after the heal (catalog bug heartbeats-only-when-busy)', async () => {
    const scenario = withLiveness(loadScenario('no-faults'), { leaderWithinMs: 5000, maxTermGrowthAfterHeal: 2 });
    const result = await runScenario(scenario, { seed: 1, factories: findMutant('heartbeats-only-when-busy')! });
    expect(result.violation).toMatchObject({ kind: 'liveness', invariant: 'term-growth-after-heal' });
  });

  it('the same bug passes when nothing is required of liveness: the failures above come from the bounds', async () => {
    const result = await runScenario(withLiveness(loadScenario('no-faults'), {}), { seed: 1, factories: findMutant('heartbeats-only-when-busy')! });
    expect(result.violation).toBeNull();
  });
});
