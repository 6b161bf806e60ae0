/**
 * The core's byte limits under faults: with bounds so small that appends are cut to an entry or
 * two, follower windows fill, and a leader refuses most proposals ('uncommitted-limit', which
 * clients get as 'overloaded'), every run must still pass the monitors, liveness and the checker,
 * and the clients must still get work done (a refused request waits for its timeout and is sent
 * again, so nothing livelocks).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadScenario } from '../../src/cli/scenarios.js';
import { executeRun } from '../../src/harness/execute.js';
import { RaftNode } from '../../src/raft/index.js';
import type { ProposeResult } from '../../src/raft/index.js';
import type { Scenario } from '../../src/sim/scenario.js';

const SEEDS = 6;

function tiny(scenario: Scenario): Scenario {
  // A KV command is about 100 bytes as JSON: an append carries one or two, a follower's window
  // three or four, and a leader admits one command at a time beyond what is committed.
  return { ...scenario, raft: { ...scenario.raft, maxBytesPerAppend: 250, maxInflightBytes: 400, maxUncommittedBytes: 150 } };
}

/** Counts the proposals leaders refuse for their uncommitted bound (a spy on the real method). */
function countRefusals(): { refused: number; accepted: number } {
  const counts = { refused: 0, accepted: 0 };
  const original = RaftNode.prototype.propose;
  vi.spyOn(RaftNode.prototype, 'propose').mockImplementation(function (this: RaftNode<unknown>, command: unknown): ProposeResult {
    const result = original.call(this, command);
    if (result.ok) counts.accepted++;
    else if (result.reason === 'uncommitted-limit') counts.refused++;
    return result;
  });
  return counts;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(['lossy-churn', 'minority-partition', 'snapshot-catchup'])('scenario %s with tiny byte limits', (name) => {
  it(`passes for seeds 1..${SEEDS} with swarm, and clients still complete operations`, async () => {
    const scenario = tiny(loadScenario(name));
    const counts = countRefusals();
    const failures: string[] = [];
    let operations = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const report = await executeRun({ scenario, scenarioRef: name, seed, swarm: true, bug: null });
      operations += report.sim.operations - report.sim.pendingOperations;
      if (report.status !== 'pass') {
        const why = report.violation ? `${report.violation.kind} ${report.violation.message}` : `status ${report.status}`;
        failures.push(`seed ${seed}: ${why}`);
      }
    }
    expect(failures).toEqual([]);
    expect(operations).toBeGreaterThan(SEEDS * 20);
    // The bound really bit, and most proposals still got in.
    expect(counts.refused).toBeGreaterThan(0);
    expect(counts.accepted).toBeGreaterThan(counts.refused);
  });
});
