/**
 * Liveness quality: how well the cluster elects and keeps a leader. The world reports every role or
 * term change, crash and restart; the tracker keeps the run's figures (elections, time without a
 * leader, highest term) and decides when a leader is stable: it leads the highest term among live
 * nodes and no node has started an election for `stableLeaderMs`. After the heal a run ends only
 * once a leader is stable, so that elections that never settle fail the run instead of ending it.
 */

/** Per-run figures, in --json and the report. */
export interface LivenessFigures {
  /** Elections started (a node became candidate) over the whole run, and after the heal. */
  readonly elections: number;
  readonly electionsAfterHeal: number;
  /** Virtual ms with no leader of the highest term among live nodes, over the whole run and after the heal. */
  readonly leaderlessMs: number;
  readonly leaderlessAfterHealMs: number;
  readonly highestTerm: number;
  /** How much the highest term grew after the heal. */
  readonly termGrowthAfterHeal: number;
  /** From when the final leader was stable (its election, or the last election anywhere, or the heal); null if never. */
  readonly stableFromMs: number | null;
  /**
   * The longest any node went on leading without hearing from a majority (since its election or
   * its last majority contact), in ms of its own ticks: what CheckQuorum bounds (thesis §6.2).
   */
  readonly longestLeaderCutOffMs: number;
}

export class LivenessTracker {
  private elections = 0;
  private electionsAfterHeal = 0;
  private highestTerm = 0;
  private termAtHeal = 0;
  private healAt: number | null = null;
  private lastElectionAt = 0;
  /** When the current leader (of the highest term) took office; null while there is none. */
  private leaderSince: number | null = null;
  private leader = 0;
  private leaderlessFrom: number | null = 0;
  private leaderlessMs = 0;
  private leaderlessAfterHealMs = 0;
  private longestLeaderCutOffMs = 0;

  /** A leader ticked having heard from no majority for `cutOffMs` (its own ticks). */
  onLeaderTick(cutOffMs: number): void {
    if (cutOffMs > this.longestLeaderCutOffMs) this.longestLeaderCutOffMs = cutOffMs;
  }

  /** A node became candidate: an election started. */
  onElection(now: number): void {
    this.elections++;
    if (this.healAt !== null) this.electionsAfterHeal++;
    this.lastElectionAt = now;
  }

  /**
   * After any role or term change, crash or restart: the highest term among live nodes and the live
   * node leading it (0 if none).
   */
  onCluster(now: number, highestTerm: number, leader: number): void {
    if (highestTerm > this.highestTerm) this.highestTerm = highestTerm;
    if (leader === this.leader) return;
    if (leader === 0) {
      this.leaderSince = null;
      this.leaderlessFrom = now;
    } else {
      this.closeLeaderless(now);
      this.leaderSince = now;
    }
    this.leader = leader;
  }

  onHeal(now: number): void {
    this.healAt = now;
    this.termAtHeal = this.highestTerm;
    if (this.leaderlessFrom !== null) {
      // Count the leaderless time before and after the heal apart.
      this.closeLeaderless(now);
      this.leaderlessFrom = now;
    }
  }

  /** The time from which the current leader counts as stable, or null without a leader. */
  stableFrom(): number | null {
    if (this.leaderSince === null) return null;
    return Math.max(this.leaderSince, this.lastElectionAt, this.healAt ?? 0);
  }

  /** Whether a leader has been stable for `windowMs` at `now` (after the heal). */
  isStable(now: number, windowMs: number): boolean {
    const from = this.stableFrom();
    return from !== null && this.healAt !== null && now - from >= windowMs;
  }

  figures(now: number): LivenessFigures {
    const open = this.leaderlessFrom === null ? 0 : now - this.leaderlessFrom;
    const afterHeal = this.healAt !== null && this.leaderlessFrom !== null && this.leaderlessFrom >= this.healAt ? open : 0;
    return {
      elections: this.elections,
      electionsAfterHeal: this.electionsAfterHeal,
      leaderlessMs: this.leaderlessMs + open,
      leaderlessAfterHealMs: this.leaderlessAfterHealMs + afterHeal,
      highestTerm: this.highestTerm,
      termGrowthAfterHeal: this.healAt === null ? 0 : this.highestTerm - this.termAtHeal,
      stableFromMs: this.stableFrom(),
      longestLeaderCutOffMs: this.longestLeaderCutOffMs,
    };
  }

  private closeLeaderless(now: number): void {
    if (this.leaderlessFrom === null) return;
    const span = now - this.leaderlessFrom;
    this.leaderlessMs += span;
    if (this.healAt !== null && this.leaderlessFrom >= this.healAt) this.leaderlessAfterHealMs += span;
    this.leaderlessFrom = null;
  }
}
