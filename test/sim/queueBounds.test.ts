/**
 * The simulator's own queues are bounded (src/sim/network.ts HELD_PER_LINK_MAX, src/sim/world.ts
 * MESSAGE_EVENTS_MAX, src/sim/eventQueue.ts EVENT_QUEUE_MAX, src/sim/pauses.ts PAUSE_INBOX_MAX):
 * a link held for a long time keeps at most HELD_PER_LINK_MAX messages; the rest are refused,
 * said so in the trace, and the run goes on (a lost message is a fault Raft tolerates).
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenarios.js';
import { executeRun } from '../../src/harness/execute.js';
import { HELD_PER_LINK_MAX } from '../../src/sim/network.js';

describe('bounded simulator queues', () => {
  it('refuses messages on a held link past HELD_PER_LINK_MAX, records it, and the run still passes', async () => {
    // Every link into and out of n2 is held for the whole run: heartbeats every 50 ms pile up on
    // the leader's link to n2 (10 minutes of them is about 12,000, past the bound of 10,000).
    // n2, cut off, campaigns in ever higher terms and disrupts the leader once healed (there is no
    // pre-vote) and floods it with what its links held: that is the fault, not the bound, so the
    // post-heal election counts are not checked and a leader may take longer to settle.
    const base = loadScenario('no-faults');
    const scenario = { ...base, durationMs: 600_000, liveness: { ...base.liveness, leaderWithinMs: 10_000, maxElectionsAfterHeal: null, maxTermGrowthAfterHeal: null } };
    const links: [number, number][] = [[1, 2], [3, 2], [2, 1], [2, 3]];
    const faults = links.map(([from, to]) => ({ atMs: 1, kind: 'hold' as const, from, to }));
    const report = await executeRun({ scenario, scenarioRef: 'no-faults', seed: 1, swarm: false, bug: null, faults }, { keepTrace: true });
    expect(report.violation).toBeNull();
    expect(report.status).toBe('pass');
    const refusals = report.sim.trace!.filter((r) => r.ev === 'message-refused');
    // One full record per run (the hash sees every refusal).
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ to: 2, why: 'held link full' });
    expect(HELD_PER_LINK_MAX).toBe(10_000);
  });
});
