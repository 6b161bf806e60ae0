/**
 * Membership changes in the real runtime (src/raft/membership.ts: one server at a time, with
 * learners): `POST /members/...` and `raftsim member`. The leader proposes the configuration entry
 * and the answer waits, bounded, until that entry commits; a configuration takes effect as soon
 * as it is in the log, but only a committed one is the cluster's for sure.
 */
import type { ConfigChange, ConfigChangeRefusal } from '../raft/membership.js';
import type { ClusterConfig, NodeId } from '../raft/types.js';
import type { RaftHost } from './raftHost.js';

export type MembershipOutcome =
  /** The entry at `index` (term `term`) committed: `config` is the cluster's configuration. */
  | { readonly kind: 'committed'; readonly config: ClusterConfig; readonly index: number; readonly term: number }
  /** This node was no leader: nothing was proposed (hint: the leader it knows, if any). */
  | { readonly kind: 'not-leader'; readonly leaderHint: NodeId | null }
  /** The core refused: nothing was appended. */
  | { readonly kind: 'refused'; readonly reason: ConfigChangeRefusal | 'uncommitted-limit' | 'transferring' }
  /** The entry left this node's log uncommitted (a new leader replaced it): the change did not happen there; retry. */
  | { readonly kind: 'lost'; readonly index: number; readonly term: number }
  /** Not committed within the bound: it may still commit (or be lost); the outcome is unknown. */
  | { readonly kind: 'timed-out'; readonly index: number; readonly term: number };

/** Proposes `change` and waits up to `waitMs` for its entry to commit. */
export async function changeMembership(host: RaftHost, change: ConfigChange, waitMs = host.requestTimeoutMs): Promise<MembershipOutcome> {
  const node = host.node;
  if (node.role !== 'leader') return { kind: 'not-leader', leaderHint: node.leaderId };
  const result = host.proposeConfigChange(change);
  if (!result.ok) return result.reason === 'not-leader' ? { kind: 'not-leader', leaderHint: result.leaderHint } : { kind: 'refused', reason: result.reason };
  const { index, term, config } = result;
  const deadline = performance.now() + waitMs;
  const pollMs = Math.max(1, Math.min(host.timing.tickMs, 10));
  for (;;) {
    // Read the term first: once committed the entry may be compacted (termAt is then null).
    const entryTerm = node.termAt(index);
    if (node.commitIndex >= index) {
      return entryTerm === term || entryTerm === null ? { kind: 'committed', config, index, term } : { kind: 'lost', index, term };
    }
    if (entryTerm !== term) return { kind: 'lost', index, term };
    if (performance.now() >= deadline) return { kind: 'timed-out', index, term };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
