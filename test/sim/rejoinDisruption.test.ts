/**
 * PreVote and CheckQuorum in the simulator, judged by the liveness figures. The bundled scenario
 * rejoin-disruption runs with both on (the default); the same scenario with them set off must fail its own
 * bound, or the scenario would not show what the switches are for. And a leader cut off from the
 * majority steps down within an election timeout with CheckQuorum on, and not without it.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenarios.js';
import { runScenario } from '../../src/sim/run.js';
import type { Scenario } from '../../src/sim/scenario.js';

const SEED = 1;

function withSwitches(scenario: Scenario, on: boolean): Scenario {
  return { ...scenario, raft: { ...scenario.raft, preVote: on, checkQuorum: on } };
}

describe('rejoin-disruption: a node cut off from the leader but not from the cluster', () => {
  const scenario = loadScenario('rejoin-disruption');

  it('the bundled scenario turns PreVote and CheckQuorum on and bounds the whole run', () => {
    expect(scenario.raft).toMatchObject({ preVote: true, checkQuorum: true });
    expect(scenario.liveness).toMatchObject({ maxElections: 3, maxLeaderlessMs: 750 });
  });

  it('passes its liveness bound with the switches on and fails it with them off', async () => {
    const on = await runScenario(withSwitches(scenario, true), { seed: SEED });
    const off = await runScenario(withSwitches(scenario, false), { seed: SEED });
    expect(on.violation).toBeNull();
    expect(on.liveness.elections).toBeLessThanOrEqual(3);
    expect(on.liveness.highestTerm).toBe(1);
    expect(off.violation).toMatchObject({ kind: 'liveness', invariant: 'elections' });
    // The deposed leaders cost terms and leaderless time, not only elections.
    expect(off.liveness.elections).toBeGreaterThan(2 * on.liveness.elections + 3);
    expect(off.liveness.highestTerm).toBeGreaterThan(3);
    expect(off.liveness.leaderlessMs).toBeGreaterThan(2 * on.liveness.leaderlessMs);
  });
});

describe('CheckQuorum in the simulator (thesis §6.2)', () => {
  const ISOLATE_AT = 1500;
  const base = loadScenario('rejoin-disruption');
  // The leader alone is cut off at ISOLATE_AT; the heal comes at 3000 ms.
  const isolated: Scenario = {
    ...base,
    durationMs: 3000,
    faults: { ...base.faults, schedule: [{ atMs: ISOLATE_AT, kind: 'isolate', node: 'leader' }] },
    liveness: { ...base.liveness, maxElections: undefined, maxLeaderlessMs: undefined } as Scenario['liveness'],
  };

  /** When the leader at ISOLATE_AT stopped leading, from the trace (null: it led until the heal). */
  async function stepDownAfterIsolation(checkQuorum: boolean): Promise<number | null> {
    const scenario = { ...isolated, raft: { ...isolated.raft, preVote: false, checkQuorum } };
    const result = await runScenario(scenario, { seed: SEED, keepTrace: true });
    const roles = (result.trace ?? []).filter((r) => r.ev === 'role') as unknown as { t: number; node: number; role: string }[];
    const leader = roles.filter((r) => r.t <= ISOLATE_AT && r.role === 'leader').at(-1)!.node;
    const stepDown = roles.find((r) => r.node === leader && r.t > ISOLATE_AT && r.role !== 'leader');
    return stepDown === undefined || stepDown.t >= isolated.durationMs ? null : stepDown.t - ISOLATE_AT;
  }

  it('a leader cut off from the majority steps down within an election timeout', async () => {
    const { tickMs, electionTicksMin } = isolated.timing;
    const after = await stepDownAfterIsolation(true);
    expect(after).not.toBeNull();
    // One election timeout by its own clock, plus the tick's phase (clocks are exact here).
    expect(after!).toBeLessThanOrEqual((electionTicksMin + 1) * tickMs);
  });

  it('without CheckQuorum it leads on until the heal', async () => {
    expect(await stepDownAfterIsolation(false)).toBeNull();
  });
});
