/**
 * What the simulator needs to know of configurations (thesis ch. 4) besides the core's own
 * membership.ts (isMember) and quorum.ts (majority): which voters a change touched.
 */
import type { NodeId } from '../raft/types.js';

/** The voters in one list and not the other (both ways), ascending: a single-server change touches at most one. */
export function votersChanged(before: readonly NodeId[], after: readonly NodeId[]): NodeId[] {
  const added = after.filter((id) => !before.includes(id));
  const removed = before.filter((id) => !after.includes(id));
  return [...added, ...removed].sort((a, b) => a - b);
}
