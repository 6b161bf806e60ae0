/**
 * The follower-reads scenario (thesis §6.4, src/kv/server.ts followerReads): followers answer
 * gets at a read index their leader confirmed, and the checker finds the histories linearizable;
 * the catalog bug `follower-reads-locally` (a follower answering from its own state) is caught in
 * the same scenario by the bug self-test (test/harness/bugs.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenarios.js';
import { runScenario } from '../../src/sim/run.js';

describe('follower reads in the simulator', () => {
  it.each([1, 2, 3])('seed %i: followers answer gets through their leader, and the history is linearizable', async (seed) => {
    const result = await runScenario(loadScenario('follower-reads'), { seed, keepTrace: true });
    expect(result.ok).toBe(true);
    const delivered = result.trace!.filter((r) => r.ev === 'deliver' && String(r.msg).includes(' ReadIndexResponse '));
    expect(delivered.length).toBeGreaterThan(10);
    // Every answer goes from the leader of its term to a follower, never to itself.
    for (const r of delivered) expect(String(r.msg)).toMatch(/^n(\d)->n(?!\1)\d ReadIndexResponse t\d+ ctx=\d+ index=\d+$/);
  });
});
