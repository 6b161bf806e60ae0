import type { NodeId, Role } from './types.js';

/**
 * Leadership transfer (Ongaro's thesis §3.10; etcd-raft's MsgTransferLeader / MsgTimeoutNow).
 *
 * A leader asked to hand over to voter T:
 *  1. stops accepting proposals (they are refused 'transferring', with T as the hint), so its log
 *     stops growing and T can catch up;
 *  2. replicates to T until T's matchIndex reaches the leader's last index;
 *  3. sends T a TimeoutNow; T starts an election at once, skipping PreVote, and its RequestVote
 *     carries `transfer` so that voters inside CheckQuorum's lease do not ignore it. T's log is as
 *     up-to-date as any, so it wins in term + 1 unless something fails;
 *  4. if it has not lost leadership within an election timeout (electionTicksMin ticks), the leader
 *     aborts the transfer and accepts proposals again (T may be dead or cut off).
 *
 * This class only remembers the transfer in progress and its clock; RaftNode (raft.ts) does the
 * sending. It lives only while the node is leader.
 */
export class LeadershipTransfer {
  private target: NodeId | null = null;
  private elapsed = 0;

  /** The node leadership is being handed to, or null when no transfer is under way. */
  get transferee(): NodeId | null {
    return this.target;
  }

  /** Starts (or restarts, towards another node) a transfer; its clock starts at 0. */
  start(to: NodeId): void {
    if (this.target === to) return;
    this.target = to;
    this.elapsed = 0;
  }

  /** One leader tick. Returns true if the transfer has just run out of time (and is now aborted). */
  tick(timeoutTicks: number): boolean {
    if (this.target === null) return false;
    this.elapsed++;
    if (this.elapsed < timeoutTicks) return false;
    this.abort();
    return true;
  }

  abort(): void {
    this.target = null;
    this.elapsed = 0;
  }
}

/** What `transferLeadership(to)` answers: under way, or refused with the reason. */
export type TransferResult =
  | { readonly ok: true; readonly to: NodeId }
  | { readonly ok: false; readonly reason: 'not-leader'; readonly leaderHint: NodeId | null }
  /** `to` is this leader itself (nothing to transfer) or no voter of the cluster. */
  | { readonly ok: false; readonly reason: 'self' | 'not-a-voter' };

/** Why a node in `role` cannot hand leadership to `to` (null: it can). */
export function transferRefusal(
  role: Role,
  self: NodeId,
  voters: readonly NodeId[],
  to: NodeId,
  leaderHint: NodeId | null,
): TransferResult | null {
  if (role !== 'leader') return { ok: false, reason: 'not-leader', leaderHint };
  if (to === self) return { ok: false, reason: 'self' };
  if (!voters.includes(to)) return { ok: false, reason: 'not-a-voter' };
  return null;
}
