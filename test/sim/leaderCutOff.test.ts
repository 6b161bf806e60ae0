/**
 * CheckQuorum's promise as a liveness bound (thesis §6.2): with CheckQuorum on, no node leads for
 * more than one minimum election timeout, by its own ticks, without hearing from a majority. The
 * simulator measures it on every leader tick (LivenessFigures.longestLeaderCutOffMs); the catalog
 * bug check-quorum-never-steps-down breaks it (the bug self-test shows it caught).
 */
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenarioText } from '../../src/cli/scenarios.js';
import { findMutant } from '../../src/mutants/index.js';
import { leaderCutOffBound, runScenario } from '../../src/sim/run.js';

describe('leader cut off from the majority', () => {
  const scenario = loadScenario('leader-isolated');

  it('with CheckQuorum, an isolated leader steps down within one election timeout', async () => {
    const result = await runScenario(scenario, { seed: 2 });
    expect(result.ok).toBe(true);
    expect(leaderCutOffBound(scenario)).toBe(150);
    // It did lose touch (the figure is more than a heartbeat round), and stepped down in time.
    expect(result.liveness.longestLeaderCutOffMs).toBeGreaterThan(100);
    expect(result.liveness.longestLeaderCutOffMs).toBeLessThanOrEqual(150);
  });

  it('without it (the catalog bug), it leads on for seconds and the run fails leader-cut-off', async () => {
    const result = await runScenario(scenario, { seed: 2, factories: findMutant('check-quorum-never-steps-down')! });
    expect(result.liveness.longestLeaderCutOffMs).toBeGreaterThan(1000);
    expect(result.violation).toMatchObject({ kind: 'liveness', invariant: 'leader-cut-off' });
  });

  it('is not bounded without CheckQuorum, unless the scenario sets a bound', () => {
    const off = parseScenarioText(JSON.stringify({ raft: { checkQuorum: false } }), 'off.json', 'off');
    expect(leaderCutOffBound(off)).toBeNull();
    const set = parseScenarioText(JSON.stringify({ raft: { checkQuorum: false }, liveness: { maxLeaderCutOffMs: 400 } }), 'set.json', 'set');
    expect(leaderCutOffBound(set)).toBe(400);
    expect(() => parseScenarioText(JSON.stringify({ liveness: { maxLeaderCutOffMs: -1 } }), 'bad.json', 'bad')).toThrow(/maxLeaderCutOffMs/);
  });
});
