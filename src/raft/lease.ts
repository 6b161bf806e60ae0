import type { NodeId } from './types.js';

/**
 * A leader's record of when it last heard from each voter, by its own tick count since it became
 * leader: the basis of lease reads. A lease is only as good as the clocks behind it (no bound on
 * drift or pauses here).
 */
export class LeaderLease {
  /** Ticks since this node became leader. */
  private leaderTicks = 0;
  /** Per member heard from this term, the tick of the last answer (absent: never). */
  private readonly heardAt = new Map<NodeId, number>();

  constructor(
    private readonly self: NodeId,
    /** The voters of the configuration in force: only they make a majority. */
    private readonly voters: () => readonly NodeId[],
  ) {}

  /** A new term of leadership: nothing heard yet. */
  restart(): void {
    this.leaderTicks = 0;
    this.heardAt.clear();
  }

  tick(): void {
    this.leaderTicks++;
  }

  /** Heard from `peer` about its state as of `asOf` (default now); an older news never overwrites a newer one. */
  heardFrom(peer: NodeId, asOf: number = this.leaderTicks): void {
    if (asOf > (this.heardAt.get(peer) ?? -1)) this.heardAt.set(peer, asOf);
  }

  /** Ticks since this node became leader. */
  get now(): number {
    return this.leaderTicks;
  }

  /** Ticks since a majority (this node included) was last heard from, or null if never. */
  ticksSinceQuorumContact(): number | null {
    const voters = this.voters();
    const heard = voters.map((id) => (id === this.self ? this.leaderTicks : (this.heardAt.get(id) ?? -1)));
    heard.sort((a, b) => b - a);
    const quorumTick = heard[Math.floor(voters.length / 2)]!;
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
