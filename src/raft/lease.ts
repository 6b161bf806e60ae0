import type { NodeId } from './types.js';

/**
 * A leader's record of when it last heard from each voter, by its own tick count since it became
 * leader: the basis of lease reads. A lease is only as good as the clocks behind it (no bound on
 * drift or pauses here).
 */
export class LeaderLease {
  /** Ticks since this node became leader. */
  private leaderTicks = 0;
  /** Per position in `voters`, the tick of the last answer heard (-1: never). */
  private readonly heardAt: Int32Array;

  constructor(
    private readonly self: NodeId,
    private readonly voters: readonly NodeId[],
  ) {
    this.heardAt = new Int32Array(voters.length);
  }

  /** A new term of leadership: nothing heard yet. */
  restart(): void {
    this.leaderTicks = 0;
    this.heardAt.fill(-1);
  }

  tick(): void {
    this.leaderTicks++;
  }

  /** Heard from `peer` about its state as of `asOf` (default now); an older news never overwrites a newer one. */
  heardFrom(peer: NodeId, asOf: number = this.leaderTicks): void {
    const k = this.voters.indexOf(peer);
    if (asOf > this.heardAt[k]!) this.heardAt[k] = asOf;
  }

  /** Ticks since this node became leader. */
  get now(): number {
    return this.leaderTicks;
  }

  /** Ticks since a majority (this node included) was last heard from, or null if never. */
  ticksSinceQuorumContact(): number | null {
    const heard = Array.from(this.heardAt).map((tick, k) => (this.voters[k] === this.self ? this.leaderTicks : tick));
    heard.sort((a, b) => b - a);
    const quorumTick = heard[Math.floor(this.voters.length / 2)]!;
    return quorumTick < 0 ? null : this.leaderTicks - quorumTick;
  }

  /**
   * Ticks since a majority (this node included) was last heard from, counting the election that
   * made this node leader as contact at tick 0 (a majority had just voted for it): CheckQuorum's
   * clock (thesis §6.2).
   */
  ticksSinceQuorumContactOrElection(): number {
    return Math.min(this.ticksSinceQuorumContact() ?? this.leaderTicks, this.leaderTicks);
  }
}
