import type { NodeId, RandomSource } from './types.js';

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
