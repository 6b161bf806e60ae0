/**
 * What the simulator needs to know of configurations (thesis ch. 4), besides the core's own
 * membership.ts: which voters a change touched, and who counts as a member for liveness and the
 * end-of-run checks.
 */
import type { ClusterConfig, NodeId } from '../raft/types.js';

/** The voters in one list and not the other (both ways), ascending: a single-server change touches at most one. */
export function votersChanged(before: readonly NodeId[], after: readonly NodeId[]): NodeId[] {
  const added = after.filter((id) => !before.includes(id));
  const removed = before.filter((id) => !after.includes(id));
  return [...added, ...removed].sort((a, b) => a - b);
}

/** A voter or a learner of `config`. */
export function isMemberOf(config: ClusterConfig, id: NodeId): boolean {
  return config.voters.includes(id) || config.learners.includes(id);
}

/** A majority of `config`'s voters. */
export function majorityOf(config: ClusterConfig): number {
  return Math.floor(config.voters.length / 2) + 1;
}
