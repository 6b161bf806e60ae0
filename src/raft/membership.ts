import type { ClusterConfig, NodeId } from './types.js';

/**
 * Membership changes, one server at a time (thesis §4.1–4.3), with learners (thesis §4.2.1,
 * etcd-raft's learners). Why not joint consensus: a change of one voter keeps every majority of
 * the old configuration overlapping every majority of the new one, so a single configuration entry
 * is safe, and with learners catching up first (`add` makes a learner, `promote` a voter) nothing
 * is lost by going one step at a time. Its known flaw (Ongaro, raft-dev 2015: two changes in
 * flight across a leader change can yield disjoint majorities) is closed by the fix he gave: a
 * leader proposes a configuration entry only once an entry of its own term is committed (its
 * no-op), and only one configuration entry is ever uncommitted (see `changeRefusal`).
 *
 * A configuration takes effect on every node as soon as its entry is in the log, committed or not
 * (thesis §4.1); truncating the entry reverts it (configHistory.ts).
 */

export type ConfigChangeType = 'add-learner' | 'promote' | 'remove';

/** One step: add `node` as a learner, promote learner `node` to voter, or remove `node` (voter or learner). */
export interface ConfigChange {
  readonly type: ConfigChangeType;
  readonly node: NodeId;
}

export const CONFIG_CHANGE_TYPES: readonly ConfigChangeType[] = ['add-learner', 'promote', 'remove'];

/** At most this many members (voters and learners): a bound on every per-member table. */
export const MAX_MEMBERS = 64;

/** Why a change is refused: a definite refusal, nothing was appended. */
export type ConfigChangeRefusal =
  /** An earlier configuration entry is not committed yet, or this leader's own no-op is not. */
  | 'change-pending'
  /** `add-learner` of a member, `promote` of a non-learner, `remove` of a non-member. */
  | 'no-such-change'
  /** `remove` of the last voter, or a change past MAX_MEMBERS. */
  | 'would-break-cluster';

/** The configuration `change` makes of `config`, or the reason it cannot. */
export function applyChange(config: ClusterConfig, change: ConfigChange): ClusterConfig | ConfigChangeRefusal {
  const { node } = change;
  const isVoter = config.voters.includes(node);
  const isLearner = config.learners.includes(node);
  switch (change.type) {
    case 'add-learner':
      if (isVoter || isLearner) return 'no-such-change';
      if (config.voters.length + config.learners.length >= MAX_MEMBERS) return 'would-break-cluster';
      return { voters: config.voters, learners: sorted([...config.learners, node]) };
    case 'promote':
      if (!isLearner) return 'no-such-change';
      return { voters: sorted([...config.voters, node]), learners: config.learners.filter((id) => id !== node) };
    case 'remove':
      if (!isVoter && !isLearner) return 'no-such-change';
      if (isVoter && config.voters.length === 1) return 'would-break-cluster';
      return { voters: config.voters.filter((id) => id !== node), learners: config.learners.filter((id) => id !== node) };
  }
}

/** The bootstrap configuration: `peers` as voters, no learners. */
export function bootstrapConfig(peers: readonly NodeId[]): ClusterConfig {
  return { voters: sorted(peers), learners: [] };
}

export function isMember(config: ClusterConfig, id: NodeId): boolean {
  return config.voters.includes(id) || config.learners.includes(id);
}

/** "voters=[1,2,3] learners=[4]": stable text for traces and errors. */
export function describeConfig(config: ClusterConfig): string {
  return `voters=[${config.voters.join(',')}] learners=[${config.learners.join(',')}]`;
}

/**
 * Voters and learners must be positive integers, sorted, without repeats, disjoint, at least one
 * voter, at most MAX_MEMBERS in all. Returns what is wrong, or null (for hosts validating frames and files).
 */
export function configProblem(config: ClusterConfig): string | null {
  const { voters, learners } = config;
  if (!Array.isArray(voters) || !Array.isArray(learners)) return 'voters and learners must be arrays';
  if (voters.length === 0) return 'a configuration needs at least one voter';
  if (voters.length + learners.length > MAX_MEMBERS) return `at most ${MAX_MEMBERS} members`;
  for (const list of [voters, learners]) {
    for (let k = 0; k < list.length; k++) {
      const id = list[k];
      if (!Number.isInteger(id) || (id as number) < 1) return `node ids must be positive integers, got ${typeof id === 'string' ? `"${id}"` : String(id)}`;
      if (k > 0 && (id as number) <= list[k - 1]!) return 'node ids must be sorted and not repeat';
    }
  }
  if (voters.some((id) => learners.includes(id))) return 'a node is both voter and learner';
  return null;
}

function sorted(ids: readonly NodeId[]): NodeId[] {
  return [...ids].sort((a, b) => a - b);
}
