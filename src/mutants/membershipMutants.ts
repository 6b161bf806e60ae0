/**
 * Membership changes done wrong (thesis ch. 4). Each overrides the one protected method of the
 * core where the rule lives.
 */
import { RaftNode, applyChange } from '../raft/index.js';
import type { ClusterConfig, ConfigChange, ConfigChangeRefusal } from '../raft/index.js';

/**
 * Two voters at once: a promote also promotes every other learner, as if catching up were the
 * only thing that mattered. With two voters added in one entry, a majority of the new voters need
 * not overlap a majority of the old (thesis §4.1: {1,2,3} to {1,2,3,4,5}: {1,2} and {3,4,5}), so
 * two leaders can be elected in one term, and a committed entry lost.
 */
export class TwoVotersAtOnce<C> extends RaftNode<C> {
  protected override configAfter(change: ConfigChange): ClusterConfig | ConfigChangeRefusal {
    const config = applyChange(this.configuration, change);
    if (change.type !== 'promote' || typeof config === 'string') return config;
    const voters = [...config.voters, ...config.learners].sort((a, b) => a - b);
    return { voters, learners: [] };
  }
}

/**
 * Single-server changes without Ongaro's fix (raft-dev, 2015): a leader proposes a configuration
 * entry before an entry of its own term has committed, and while another is still uncommitted. Two
 * changes in flight across a leader change can then make configurations whose majorities do not
 * overlap: two leaders in one term, or a committed entry lost.
 */
export class ConfigChangeWithoutFix<C> extends RaftNode<C> {
  protected override mayChangeConfig(): boolean {
    return true;
  }
}
