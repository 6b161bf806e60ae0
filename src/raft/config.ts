import { MAX_MEMBERS } from './membership.js';
import type { NodeId, RandomSource } from './types.js';

export interface RaftConfig {
  readonly id: NodeId;
  /**
   * The bootstrap configuration's voters: the configuration until the log (or a snapshot) holds
   * another (membership.ts). Every node of a cluster gets the same list; a node outside it starts
   * as a non-member (it never campaigns) and joins once a configuration entry adds it.
   */
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
  /**
   * At most this many bytes of entries (see entrySize.ts) in one AppendEntries, besides the count
   * limit; an entry larger than this still goes out, alone (etcd-raft's MaxSizePerMsg).
   * Default DEFAULT_MAX_BYTES_PER_APPEND.
   */
  readonly maxBytesPerAppend?: number;
  /**
   * A leader sends a follower no new append while this many bytes of entries are unanswered to it,
   * besides maxInflightAppends (etcd-raft's MaxInflightBytes). Default DEFAULT_MAX_INFLIGHT_BYTES.
   */
  readonly maxInflightBytes?: number;
  /**
   * A leader refuses proposals ('uncommitted-limit') while the entries it appended this term and
   * has not committed hold more than this many bytes, so a leader that cannot commit (no quorum)
   * does not grow its log without bound (etcd-raft's MaxUncommittedEntriesSize). A proposal is
   * always admitted when nothing is uncommitted. Default DEFAULT_MAX_UNCOMMITTED_BYTES.
   */
  readonly maxUncommittedBytes?: number;
  /**
   * PreVote (thesis §9.6, etcd-raft's PreVote): a node whose election timer fires first asks for
   * pre-votes at term + 1 without changing its term, and campaigns only if a majority would vote
   * for it, so a node that cannot win (cut off, or behind) never bumps the cluster's term.
   * Default off (absent = off) in the core; hosts choose.
   */
  readonly preVote?: boolean;
  /**
   * CheckQuorum (thesis §6.2, etcd-raft's CheckQuorum): a leader that has not heard from a majority
   * within an election timeout (electionTicksMin) steps down; and a node that heard from a leader
   * within electionTicksMin ignores (pre-)votes of a higher term (thesis §4.2.3, the "lease").
   * Default off (absent = off) in the core; hosts choose.
   */
  readonly checkQuorum?: boolean;
  /**
   * Lease reads (thesis §6.4.1, readIndex.ts): a leader serves a read without a heartbeat round
   * while a majority acknowledged a heartbeat it sent less than electionTicksMin −
   * clockDriftBoundTicks ticks ago. Needs checkQuorum (followers then refuse votes that long).
   * Safe only while clocks drift apart by less than clockDriftBoundTicks per election timeout.
   * Default off: reads are confirmed by a heartbeat round (ReadIndex).
   */
  readonly leaseReads?: boolean;
  /** The drift margin the lease leaves (ticks, below electionTicksMin); default 0. */
  readonly clockDriftBoundTicks?: number;
  readonly random: RandomSource;
}

const MIB = 1024 * 1024;
/** 1 MiB, etcd's usual MaxSizePerMsg: small enough to keep a message's latency short. */
export const DEFAULT_MAX_BYTES_PER_APPEND = 1 * MIB;
/**
 * 32 MiB per follower: 32 full appends, far above the default count window (which binds first
 * for small entries), so the byte bound only matters when entries are large; times the followers
 * it is what a leader may buffer for the network.
 */
export const DEFAULT_MAX_INFLIGHT_BYTES = 32 * MIB;
/** 64 MiB: twice one follower's window, so a healthy leader never hits it before its followers' windows. */
export const DEFAULT_MAX_UNCOMMITTED_BYTES = 64 * MIB;

/** The byte limits alone, for hosts that pass them through. */
export type RaftByteLimits = Pick<RaftConfig, 'maxBytesPerAppend' | 'maxInflightBytes' | 'maxUncommittedBytes'>;

/** A config with every optional limit filled in with its default. */
export type ResolvedRaftConfig = RaftConfig & {
  readonly maxBytesPerAppend: number;
  readonly maxInflightBytes: number;
  readonly maxUncommittedBytes: number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  readonly leaseReads: boolean;
  readonly clockDriftBoundTicks: number;
};

/** `config` with the byte limits' defaults filled in. */
export function resolveRaftConfig(config: RaftConfig): ResolvedRaftConfig {
  return {
    ...config,
    maxBytesPerAppend: config.maxBytesPerAppend ?? DEFAULT_MAX_BYTES_PER_APPEND,
    maxInflightBytes: config.maxInflightBytes ?? DEFAULT_MAX_INFLIGHT_BYTES,
    maxUncommittedBytes: config.maxUncommittedBytes ?? DEFAULT_MAX_UNCOMMITTED_BYTES,
    preVote: config.preVote ?? false,
    checkQuorum: config.checkQuorum ?? false,
    leaseReads: config.leaseReads ?? false,
    clockDriftBoundTicks: config.clockDriftBoundTicks ?? 0,
  };
}

/** Returns a one-line description of what is wrong with `config`, or null if it is valid. */
export function validateRaftConfig(config: RaftConfig): string | null {
  const { id, peers } = config;
  if (!Number.isInteger(id) || id < 1) return `id must be a positive integer, got ${id}`;
  if (peers.length === 0) return 'peers must name at least one voter';
  if (peers.length > MAX_MEMBERS) return `peers must name at most ${MAX_MEMBERS} voters`;
  if (!peers.every((peer) => Number.isInteger(peer) && peer >= 1)) return 'peers must be positive integers';
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
  for (const name of ['preVote', 'checkQuorum', 'leaseReads'] as const) {
    const value = config[name];
    if (value !== undefined && typeof value !== 'boolean') return `${name} must be a boolean`;
  }
  const drift = config.clockDriftBoundTicks;
  if (drift !== undefined && !(Number.isInteger(drift) && drift >= 0 && drift < config.electionTicksMin)) {
    return 'clockDriftBoundTicks must be an integer from 0 to below electionTicksMin';
  }
  if (config.leaseReads === true && config.checkQuorum !== true) return 'leaseReads needs checkQuorum';
  for (const name of ['maxBytesPerAppend', 'maxInflightBytes', 'maxUncommittedBytes'] as const) {
    const value = config[name];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) return `${name} must be a positive integer`;
  }
  return null;
}
