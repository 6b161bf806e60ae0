import type { NodeId, RandomSource } from './types.js';

/**
 * Known Raft bugs that can be switched on, one at a time, to prove the harness catches them.
 * All off by default. Each switch is consulted in exactly one obvious place in the core.
 */
export interface RaftBugs {
  /** Grant a vote without the up-to-date check on (lastLogTerm, lastLogIndex) (§5.4.1). */
  readonly voteWithoutUpToDateCheck?: boolean;
  /** Grant every vote request of the current or a higher term, even after voting for another. */
  readonly grantEveryVote?: boolean;
  /** Commit by counting replicas of an entry of an older term (the Figure 8 bug, §5.4.2). */
  readonly commitOlderTermByCounting?: boolean;
  /** Truncate the log at prevLogIndex+1 on every AppendEntries, even when entries match. */
  readonly truncateMatchingEntries?: boolean;
  /** Persist the hard state without votedFor, so a restarted node may vote twice in one term. */
  readonly forgetVotedFor?: boolean;
  /** A follower acknowledges AppendEntries before its fsync completes (acting on volatile state). */
  readonly ackBeforeFsync?: boolean;
  /** A leader applies entries (and so answers clients) as soon as it appends them, before commit. */
  readonly applyBeforeCommit?: boolean;
  /** A leader that sees a higher term adopts the term but does not step down (§5.1). */
  readonly keepLeadershipOnHigherTerm?: boolean;
  /** A follower accepts an AppendEntries of an earlier term as if its current leader sent it (§5.1 ignored). */
  readonly acceptStaleAppends?: boolean;
  /** A leader sends heartbeats only while it has uncommitted entries (idle followers time out). */
  readonly heartbeatsOnlyWhenBusy?: boolean;
  /** The durability barrier releases a message one write early (its tag is off by one). */
  readonly releaseOneWriteEarly?: boolean;
  /** A follower sets commitIndex to min(leaderCommit, its last index), not the last new entry (Figure 2). */
  readonly commitToLeaderCommit?: boolean;
  /** A leader counts its own log toward commit before its own write is durable (thesis §10.2.1). */
  readonly leaderCountsUndurableSelf?: boolean;
}

export interface RaftConfig {
  readonly id: NodeId;
  /** Every voter in the cluster, including `id`. */
  readonly peers: readonly NodeId[];
  /** Election timeout in ticks, drawn uniformly from [min, max] at each reset. */
  readonly electionTicksMin: number;
  readonly electionTicksMax: number;
  /** A leader sends heartbeats every `heartbeatTicks` ticks; must be below electionTicksMin. */
  readonly heartbeatTicks: number;
  /** At most this many entries in one AppendEntries. */
  readonly maxEntriesPerAppend: number;
  /** At most this many AppendEntries carrying entries unanswered per follower. */
  readonly maxInflightAppends: number;
  readonly random: RandomSource;
  readonly bugs?: RaftBugs;
}

/** Returns a one-line description of what is wrong with `config`, or null if it is valid. */
export function validateRaftConfig(config: RaftConfig): string | null {
  const { id, peers } = config;
  if (!Number.isInteger(id) || id < 1) return `id must be a positive integer, got ${id}`;
  if (!peers.includes(id)) return `peers must include the node's own id ${id}`;
  if (new Set(peers).size !== peers.length) return 'peers must not repeat an id';
  if (!(config.electionTicksMin >= 1)) return 'electionTicksMin must be at least 1';
  if (!(config.electionTicksMax >= config.electionTicksMin)) {
    return 'electionTicksMax must be at least electionTicksMin';
  }
  if (!(config.heartbeatTicks >= 1 && config.heartbeatTicks < config.electionTicksMin)) {
    return 'heartbeatTicks must be at least 1 and below electionTicksMin';
  }
  if (!(config.maxEntriesPerAppend >= 1)) return 'maxEntriesPerAppend must be at least 1';
  if (!(config.maxInflightAppends >= 1)) return 'maxInflightAppends must be at least 1';
  return null;
}
