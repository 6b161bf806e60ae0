/**
 * The story of a log bug shows its cause: the trace records every truncation (from, count), every
 * snapshot a node installs from its leader (what it kept) or restores at a restart, and every
 * commit advance. They are records only: the trace hash is unchanged by them.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenarios.js';
import { runScenario } from '../../src/sim/run.js';

describe('trace records for the log', async () => {
  const scenario = loadScenario('lossy-churn');
  const kept = await runScenario(scenario, { seed: 1, keepTrace: true });
  const records = kept.trace!;

  it('records truncations, snapshot installs and restores, and commit advances, with their figures', () => {
    const truncate = records.find((r) => r.ev === 'truncate')!;
    expect(truncate.from).toBeGreaterThan(0);
    expect(truncate.count).toBeGreaterThan(0);
    const install = records.find((r) => r.ev === 'install-snapshot')!;
    expect(Number(install.index)).toBeGreaterThan(0);
    expect(Number(install.keptEntries)).toBeGreaterThanOrEqual(0);
    expect(records.some((r) => r.ev === 'restore-snapshot')).toBe(true);
    // A node's commit records never go back within one life (monitors check it; here: they exist).
    expect(records.filter((r) => r.ev === 'commit').length).toBeGreaterThan(100);
  });

  it('leaves the trace hash as it is without records', async () => {
    expect((await runScenario(scenario, { seed: 1 })).traceHash).toBe(kept.traceHash);
  });
});
