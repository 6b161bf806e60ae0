/**
 * Counts of the faults as they really happened (from their records, not the plan), so that a run
 * can show it reached the hard paths: kills of a majority and of every node, pauses longer than
 * the client's deadline, overlapping faults, clients left with a minority, and faults that could
 * not be carried out fully; and membership changes, with how many removed the leader.
 */
import type { FaultRecord } from './types.js';

export interface FaultSummary {
  readonly kill: number;
  readonly pause: number;
  readonly partition: number;
  /** Membership changes: a voter removed, then added back as a learner and promoted. */
  readonly member: number;
  /** Of those, the ones that removed the leader (which stepped down once its removal committed). */
  readonly memberLeaderRemovals: number;
  /** Kills that took down more than half of the nodes at once (every-node kills included). */
  readonly majorityKills: number;
  readonly allNodeKills: number;
  /** Pauses that really lasted longer than the client's deadline. */
  readonly longPauses: number;
  /** Faults that began while another was still in force. */
  readonly overlapping: number;
  readonly minorityClientPartitions: number;
  /** Faults with a recorded problem (not applied, or applied only in part). */
  readonly notFullyApplied: number;
}

export function summarizeFaults(faults: readonly FaultRecord[], nodes: number, clientDeadlineMs: number): FaultSummary {
  const count = (test: (f: FaultRecord) => boolean): number => faults.filter(test).length;
  return {
    kill: count((f) => f.kind === 'kill'),
    pause: count((f) => f.kind === 'pause'),
    partition: count((f) => f.kind === 'partition'),
    member: count((f) => f.kind === 'member'),
    memberLeaderRemovals: count((f) => f.kind === 'member' && f.leader),
    majorityKills: count((f) => f.kind === 'kill' && f.nodes.length > nodes / 2),
    allNodeKills: count((f) => f.kind === 'kill' && f.nodes.length === nodes),
    longPauses: count((f) => f.kind === 'pause' && f.end !== null && f.end - f.start > clientDeadlineMs),
    overlapping: count((f) => faults.some((g) => g !== f && g.start < f.start && (g.end === null || g.end > f.start))),
    minorityClientPartitions: count((f) => f.kind === 'partition' && f.clients === 'minority'),
    notFullyApplied: count((f) => f.error !== undefined),
  };
}
