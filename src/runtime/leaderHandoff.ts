/**
 * Leadership transfer in the real runtime (thesis §3.10; the core's side is src/raft/transfer.ts):
 * `POST /transfer-leader`, `raftsim transfer-leader`, and a leader's graceful shutdown (SIGTERM),
 * which hands over first so that the cluster does not wait an election timeout for a new leader.
 */
import type { NodeId } from '../raft/types.js';
import type { RaftHost } from './raftHost.js';

export type HandoffOutcome =
  /** `to` leads a later term. */
  | { readonly kind: 'transferred'; readonly to: NodeId; readonly term: number }
  /** This node was no leader: nothing was asked (hint: the leader it knows, if any). */
  | { readonly kind: 'not-leader'; readonly leaderHint: NodeId | null }
  /** The core refused: `to` is this node or no voter; or there is no follower to hand over to. */
  | { readonly kind: 'refused'; readonly reason: 'self' | 'not-a-voter' | 'no-follower' }
  /** The target did not take over in time: the leader aborted (or still leads), or another node won. */
  | { readonly kind: 'timed-out'; readonly role: string; readonly leader: NodeId | null; readonly term: number };

/**
 * The follower the leader knows to hold the most of its log (highest matchIndex; the lowest id on
 * a tie), so that it needs the least catching up; null if not leader or alone.
 */
export function mostUpToDateFollower(host: RaftHost): NodeId | null {
  let best: NodeId | null = null;
  let bestMatch = -1;
  for (const peer of host.node.configuration.voters) {
    const progress = peer === host.node.id ? null : host.node.progressOf(peer);
    if (progress === null) continue;
    if (progress.matchIndex > bestMatch) {
      best = peer;
      bestMatch = progress.matchIndex;
    }
  }
  return best;
}

/**
 * How long to wait for the outcome: the core aborts a transfer after electionTicksMin ticks; a few
 * ticks more let the new leader's first heartbeat tell this node who won.
 */
export function handoffWaitMs(host: RaftHost): number {
  const { tickMs, electionTicksMin, heartbeatTicks } = host.timing;
  return tickMs * (electionTicksMin + 2 * heartbeatTicks);
}

/** Hands leadership to `to` (null: the most up-to-date follower) and waits, bounded, for the outcome. */
export async function handOffLeadership(host: RaftHost, to: NodeId | null, waitMs = handoffWaitMs(host)): Promise<HandoffOutcome> {
  const node = host.node;
  if (node.role !== 'leader') return { kind: 'not-leader', leaderHint: node.leaderId };
  const target = to ?? mostUpToDateFollower(host);
  if (target === null) return { kind: 'refused', reason: 'no-follower' };
  const startTerm = node.term;
  const result = host.transferLeadership(target);
  if (!result.ok) return result.reason === 'not-leader' ? { kind: 'not-leader', leaderHint: result.leaderHint } : { kind: 'refused', reason: result.reason };
  const deadline = performance.now() + waitMs;
  const pollMs = Math.max(1, Math.min(host.timing.tickMs, 10));
  while (performance.now() < deadline) {
    if (node.term > startTerm && node.leaderId === target) return { kind: 'transferred', to: target, term: node.term };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return { kind: 'timed-out', role: node.role, leader: node.leaderId, term: node.term };
}
