/**
 * The catalog of known Raft and KV bugs that `--bug NAME` switches on, one at a time, so that users
 * can watch the harness catch each, and so that we know it does. Each maps to one switch in
 * `RaftBugs` or `KvBugs`, consulted in exactly one obvious place in the core.
 */
import type { KvBugs } from '../kv/bugs.js';
import type { RaftBugs } from '../raft/config.js';

export interface BugEntry {
  readonly name: string;
  readonly description: string;
  readonly raft?: RaftBugs;
  readonly kv?: KvBugs;
  /** The bundled scenario the self-test fuzzes to find it. */
  readonly scenario: string;
}

export const BUGS: readonly BugEntry[] = [
  {
    name: 'vote-without-log-check',
    description: 'grant a vote without the up-to-date check on (lastLogTerm, lastLogIndex) (§5.4.1)',
    raft: { voteWithoutUpToDateCheck: true },
    scenario: 'lossy-churn',
  },
  {
    name: 'grant-every-vote',
    description: 'grant every vote request of the current term, even after voting for another candidate',
    raft: { grantEveryVote: true },
    scenario: 'split-vote',
  },
  {
    name: 'commit-older-term',
    description: 'commit by counting replicas of an entry from an older term (the Figure 8 bug, §5.4.2)',
    raft: { commitOlderTermByCounting: true },
    scenario: 'figure8',
  },
  {
    name: 'truncate-matching-entries',
    description: 'a stale, reordered AppendEntries truncates entries that match (cutting the log)',
    raft: { truncateMatchingEntries: true },
    scenario: 'lossy-churn',
  },
  {
    name: 'no-duplicate-detection',
    description: 'the KV applies a retried command again (no exactly-once client table)',
    kv: { noDuplicateDetection: true },
    scenario: 'lossy-churn',
  },
  {
    name: 'snapshot-without-sessions',
    description: 'a KV snapshot leaves out the client table, so a retry after InstallSnapshot applies twice',
    kv: { snapshotWithoutSessions: true },
    scenario: 'lossy-churn',
  },
  {
    name: 'forget-voted-for',
    description: 'votedFor is not persisted, so a node that restarts may vote twice in one term',
    raft: { forgetVotedFor: true },
    scenario: 'flapping-nodes',
  },
  {
    name: 'ack-before-fsync',
    description: 'a follower acknowledges AppendEntries before its fsync completes',
    raft: { ackBeforeFsync: true },
    scenario: 'full-restart',
  },
  {
    name: 'apply-before-commit',
    description: 'a leader applies entries and answers clients before they are committed',
    raft: { applyBeforeCommit: true },
    scenario: 'leader-isolated',
  },
  {
    name: 'no-step-down',
    description: 'a leader that sees a higher term adopts it but does not step down (§5.1)',
    raft: { keepLeadershipOnHigherTerm: true },
    scenario: 'leader-isolated',
  },
  {
    name: 'stale-leader-reads',
    description: 'a leader serves reads from local state without the log, though it may be deposed',
    kv: { staleLeaderReads: true },
    scenario: 'leader-isolated',
  },
];

export function findBug(name: string): BugEntry | undefined {
  return BUGS.find((bug) => bug.name === name);
}

export function bugNames(): string[] {
  return BUGS.map((bug) => bug.name);
}
