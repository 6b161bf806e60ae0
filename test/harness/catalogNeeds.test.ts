/**
 * Some catalog bugs exist to show that one new fault or monitor is needed: each is caught with it,
 * and escapes without it over the same seeds. (The bug self-test shows the first half for every
 * bug; this file shows the second half where a bug was chosen for one fault or monitor alone.)
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenarios.js';
import { findBug } from '../../src/harness/bugs.js';
import { executeRun } from '../../src/harness/execute.js';
import { findBugSeed } from '../../src/harness/selfTest.js';
import type { Scenario } from '../../src/sim/scenario.js';

const onModelDisk = (scenario: Scenario): Scenario => ({ ...scenario, disk: { ...scenario.disk, storage: 'model' } });

async function caughtIn(scenario: Scenario, ref: string, bug: string, seeds: number): Promise<number[]> {
  const caught: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const report = await executeRun({ scenario, scenarioRef: ref, seed, swarm: true, bug });
    if (report.status === 'fail') caught.push(seed);
  }
  return caught;
}

describe('bugs that need one new fault or monitor', () => {
  it('dedupe-last-seq-only needs client links that duplicate requests', async () => {
    // On the model disk, where this was measured: the need is the client links', not the disk's.
    const base = onModelDisk(loadScenario('client-links'));
    expect(await findBugSeed(findBug('dedupe-last-seq-only')!, base, 20)).not.toBeNull();
    const noDuplicates = { ...base, clientNetwork: { ...base.clientNetwork, duplicateRatio: 0 } };
    expect(await caughtIn(noDuplicates, 'client-links', 'dedupe-last-seq-only', 20)).toEqual([]);
  });

  it('heartbeats-only-when-busy needs the liveness-quality checks after the heal', async () => {
    const base = loadScenario('no-faults');
    const bug = findBug('heartbeats-only-when-busy')!;
    expect(bug.caughtBy).toContain((await findBugSeed(bug, base, 5))?.invariant);
    // Without them (no stable-leader window, no bound on elections or terms), any leader after the
    // heal would do, and one keeps turning up between elections.
    const anyLeader = { ...base, liveness: { ...base.liveness, stableLeaderMs: 0, maxElectionsAfterHeal: null, maxTermGrowthAfterHeal: null } };
    expect(await caughtIn(anyLeader, 'no-faults', 'heartbeats-only-when-busy', 5)).toEqual([]);
  });

  it('leader-counts-undurable-self needs slow disks and fsync spikes', async () => {
    // Caught with them: the bug self-test shows it on this very scenario (44 seeds since PreVote,
    // CheckQuorum and ReadIndex are on by default), so only the escape is run here.
    const base = loadScenario('disk-faults');
    expect(findBug('leader-counts-undurable-self')!.scenario).toBe('disk-faults');
    const fastDisks = {
      ...base,
      disk: { ...base.disk, fsyncSpikeRatio: 0, fsyncSpikeMsMax: 0 },
      faults: { ...base.faults, kinds: Object.fromEntries(Object.entries(base.faults.kinds).filter(([kind]) => kind !== 'slow-disk')) },
    };
    expect(await caughtIn(fastDisks, 'disk-faults', 'leader-counts-undurable-self', 40)).toEqual([]);
  });
});
