/**
 * The catalog of known Raft, KV and storage bugs that `--bug NAME` runs, one at a time, so that users can
 * watch the harness catch each, and so that we know it does. Each names a mutant of src/mutants
 * (same name): a subclass of the core that breaks one rule at one protected method.
 */

export interface BugEntry {
  readonly name: string;
  readonly description: string;
  /** The bundled scenario the self-test fuzzes to find it. */
  readonly scenario: string;
  /**
   * The invariants that catch it for the right reason, at its cause: a failure of any other kind
   * (a crash, a liveness miss, another monitor) does not count as caught.
   */
  readonly caughtBy: readonly string[];
  /** The fault or monitor without which it would escape (for the README's table and the self-test). */
  readonly needs: string;
}

export const BUGS: readonly BugEntry[] = [
  {
    name: 'vote-without-log-check',
    description: 'grant a vote without the up-to-date check on (lastLogTerm, lastLogIndex) (§5.4.1)',
    scenario: 'lossy-churn',
    caughtBy: ['leader-completeness', 'state-machine-safety', 'log-matching'],
    needs: 'the leader-completeness monitor',
  },
  {
    name: 'grant-every-vote',
    description: 'grant every vote request of the current term, even after voting for another candidate',
    scenario: 'split-vote',
    caughtBy: ['election-safety'],
    needs: 'split votes',
  },
  {
    name: 'commit-older-term',
    description: 'commit by counting replicas of an entry from an older term (the Figure 8 bug, §5.4.2)',
    scenario: 'figure8',
    caughtBy: ['leader-completeness', 'state-machine-safety', 'acknowledged-write-lost'],
    needs: 'crash-new-leader (the Figure 8 schedule)',
  },
  {
    name: 'truncate-matching-entries',
    description: 'a stale, reordered AppendEntries truncates entries that match (cutting the log)',
    scenario: 'lossy-churn',
    caughtBy: ['acknowledged-entry-kept', 'leader-completeness', 'committed-entry-kept'],
    needs: 'reordered appends',
  },
  {
    name: 'no-duplicate-detection',
    description: 'the KV applies a retried command again (no exactly-once client table)',
    scenario: 'lossy-churn',
    caughtBy: ['linearizability'],
    needs: 'client retries',
  },
  {
    name: 'snapshot-without-sessions',
    description: 'a KV snapshot leaves out the client table, so a retry after InstallSnapshot applies twice',
    scenario: 'lossy-churn',
    caughtBy: ['linearizability'],
    needs: 'snapshots and client retries',
  },
  {
    name: 'forget-voted-for',
    description: 'votedFor is not persisted, so a node that restarts may vote twice in one term',
    scenario: 'flapping-nodes',
    caughtBy: ['election-safety'],
    needs: 'crash and restart during elections',
  },
  {
    name: 'ack-before-fsync',
    description: 'a follower acknowledges AppendEntries before its fsync completes',
    scenario: 'full-restart',
    caughtBy: ['acknowledged-entry-kept'],
    needs: 'the acknowledged-entry-kept monitor',
  },
  {
    name: 'apply-before-commit',
    description: 'a leader applies entries and answers clients before they are committed',
    scenario: 'leader-isolated',
    // The core asserts lastApplied ≤ commitIndex after every Ready: the first uncommitted no-op a
    // leader applies crashes it, before any monitor or the checker could see a wrong answer.
    caughtBy: ['assertion: raft: lastApplied beyond commitIndex'],
    needs: "the core's lastApplied ≤ commitIndex assertion",
  },
  {
    name: 'no-step-down',
    description: 'a leader that sees a higher term adopts it but does not step down (§5.1)',
    // Not leader-isolated since CheckQuorum is on by default: an isolated leader steps down on its
    // own before it can hear the new term. A transfer's target asks the leader itself for its vote.
    scenario: 'leader-transfer',
    caughtBy: ['election-safety'],
    needs: 'a leader that hears a higher term while a majority still follows it (a leadership transfer)',
  },
  {
    name: 'stale-leader-reads',
    description: 'a leader serves reads from local state without the log, though it may be deposed',
    // Not leader-isolated since CheckQuorum is on by default: there an isolated leader steps down
    // about when the others can elect, and 300 seeds did not catch it. read-index keeps it off.
    scenario: 'read-index',
    caughtBy: ['linearizability'],
    needs: 'an isolated leader that does not step down on its own (CheckQuorum off), and the checker',
  },
  {
    name: 'accept-stale-appends',
    description: 'a follower accepts an AppendEntries of an earlier term as if from its current leader (§5.1)',
    // Not long-delays since PreVote and CheckQuorum are on by default: leaders change there too
    // seldom for a late append to land in a later term (400 seeds did not catch it). In
    // leader-transfer leaders change every 700 ms, among long delays and holds. The follower's
    // assertion that it never truncates a committed entry often fires before the
    // committed-entry-kept monitor sees the damage (seed 7 of leader-transfer, the first catch).
    scenario: 'leader-transfer',
    caughtBy: ['committed-entry-kept', 'acknowledged-entry-kept', 'assertion: follower: truncating a committed entry'],
    needs: 'long delay (a message held far beyond the election timeout) while leaders change, and the committed-entry-kept monitor',
  },
  {
    name: 'lease-reads-by-local-clock',
    description: 'a leader serves reads locally while it heard from a majority within an election timeout by its own clock; with no vote stickiness and no bound on pauses or drift, a new leader may be writing meanwhile',
    scenario: 'paused-processes',
    caughtBy: ['linearizability'],
    needs: 'a paused or isolated leader, and the checker',
  },
  {
    name: 'dedupe-last-seq-only',
    description: 'the session table treats only a client\'s last seq as a duplicate, so a late copy of an older request is applied again',
    scenario: 'client-links',
    caughtBy: ['linearizability'],
    needs: 'client links that duplicate and delay requests',
  },
  {
    name: 'heartbeats-only-when-busy',
    description: 'an idle leader sends no heartbeats, so followers time out and elections never settle',
    scenario: 'no-faults',
    caughtBy: ['leader-after-heal', 'elections-after-heal', 'term-growth-after-heal'],
    needs: 'the liveness-quality monitor (a stable leader after the heal)',
  },
  {
    name: 'release-one-write-early',
    description: 'the durability barrier releases a message when the write before the one it depends on is durable (off by one)',
    scenario: 'lossy-churn',
    caughtBy: ['acknowledged-entry-kept'],
    needs: 'the acknowledged-entry-kept monitor',
  },
  {
    name: 'commit-to-leader-commit',
    description: 'a follower sets commitIndex to min(leaderCommit, its last index) instead of the last entry the message verified (Figure 2)',
    scenario: 'lossy-churn',
    caughtBy: ['state-machine-safety', 'committed-entry-kept'],
    needs: 'stale entries beyond what a message verified (partitions, crashes)',
  },
  {
    name: 'leader-counts-undurable-self',
    description: 'a leader counts its own log toward commit before its own write is durable (thesis §10.2.1)',
    scenario: 'disk-faults',
    caughtBy: ['leader-completeness', 'acknowledged-write-lost', 'state-machine-safety', 'committed-entry-kept'],
    needs: 'slow disks and fsync latency spikes',
  },
  {
    name: 'expire-by-local-clock',
    description: "sessions expire by each replica's own clock when it applies an entry, not by the leader's stamp in the log, so replicas that apply late or whose clocks drift or jump expire different sessions and apply different commands",
    scenario: 'session-expiry',
    caughtBy: ['linearizability'],
    needs: 'a short session expiry, replicas that apply late (crashes, isolation) or drift, and the checker',
  },
  {
    name: 'recovery-ignores-durable-mark',
    description: 'storage engine: recovery ignores the durable mark, so damage in the last segment is cut as a torn write and a WAL cut short is accepted: acknowledged writes vanish silently (issue 10\'s amnesia)',
    scenario: 'disk-damage',
    caughtBy: ['recovery-faithful'],
    needs: 'the real storage engine in the simulator, damage at rest, and the recovery check',
  },
  {
    name: 'wal-skips-fdatasync',
    description: 'storage engine: appends to the WAL are reported durable without their fdatasync, so a power cut loses writes the node acknowledged',
    scenario: 'disk-damage',
    caughtBy: ['recovery-faithful', 'acknowledged-entry-kept'],
    needs: 'the real storage engine in the simulator, crashes that lose unsynced data, and the recovery check',
  },
  {
    name: 'transfer-without-catch-up',
    description: "leadership transfer taken on trust: the leader sends TimeoutNow before its target holds its whole log, and voters skip the up-to-date check (§5.4.1) for a transfer's vote, so a lagging target wins and overwrites committed entries",
    scenario: 'leader-transfer',
    caughtBy: ['leader-completeness', 'state-machine-safety', 'acknowledged-write-lost', 'committed-entry-kept'],
    needs: 'transfers to a node that lags (crashed, cut off or slow)',
  },
  {
    name: 'read-index-without-heartbeat',
    description: 'ReadIndex without its heartbeat round: a leader answers a read at its commitIndex without confirming that a majority still follows it, though it may be deposed (thesis §6.4)',
    // read-index keeps CheckQuorum off (its description says why): with it on, an isolated leader
    // steps down about when the others can elect, and 400 seeds did not catch this bug.
    scenario: 'read-index',
    caughtBy: ['linearizability'],
    needs: 'an isolated leader that does not step down on its own (CheckQuorum off), and the checker',
  },
  {
    name: 'follower-reads-locally',
    description: 'a follower answers gets from its own state without asking its leader for a read index, though it may lag writes already acknowledged (thesis §6.4)',
    scenario: 'follower-reads',
    caughtBy: ['linearizability'],
    needs: 'a lagging follower, and the checker',
  },
  {
    name: 'lease-past-drift-bound',
    description: "a read lease that lasts the whole minimum election timeout by the leader's clock, ignoring the clock drift bound: a leader whose clock runs slow serves reads after the followers, whose clocks run fast, elected another (thesis §6.4.1)",
    scenario: 'lease-reads',
    caughtBy: ['linearizability'],
    needs: 'clock drift beyond the margin, an isolated leader, and the checker',
  },
  {
    name: 'two-voters-at-once',
    description: 'a membership change that adds two voters at once: promoting a learner promotes every other learner too, so a majority of the new voters need not overlap one of the old (thesis §4.1), and one server at a time is broken',
    scenario: 'grow-shrink',
    caughtBy: ['config-one-server-at-a-time', 'election-safety', 'state-machine-safety', 'leader-completeness', 'acknowledged-write-lost'],
    needs: 'two learners at once (a cluster that grows), the config-one-server-at-a-time monitor',
  },
  {
    name: 'config-change-without-fix',
    description: "single-server membership changes without Ongaro's fix (raft-dev, 2015): a leader proposes a configuration entry before an entry of its own term has committed, and while another is uncommitted, so two changes in flight across a leader change make majorities that do not overlap: a new leader lacks a committed entry",
    scenario: 'membership-changes',
    caughtBy: ['leader-completeness', 'election-safety', 'state-machine-safety', 'acknowledged-write-lost', 'committed-entry-kept'],
    needs: 'membership changes asked of new leaders at once, leaders cut off',
  },
  {
    name: 'pre-vote-bumps-term',
    description: 'a pre-candidate moves to the term it asks about (and persists it) as a candidate would, so a node cut off from the leader comes back with a higher term and deposes a healthy leader: the disruption PreVote exists to prevent (thesis §9.6)',
    scenario: 'rejoin-disruption',
    caughtBy: ['elections', 'leaderless-time'],
    needs: "a node cut off from the leader but not from the cluster, and the scenario's whole-run liveness bounds",
  },
  {
    name: 'check-quorum-never-steps-down',
    description: 'CheckQuorum that never acts: a leader cut off from the majority goes on leading until it hears a higher term, taking requests it cannot commit while the others elect (thesis §6.2)',
    scenario: 'leader-isolated',
    caughtBy: ['leader-cut-off'],
    needs: "an isolated leader, and the simulator's bound on how long a node leads without a majority (one election timeout with CheckQuorum on)",
  },
];

export function findBug(name: string): BugEntry | undefined {
  return BUGS.find((bug) => bug.name === name);
}

export function bugNames(): string[] {
  return BUGS.map((bug) => bug.name);
}
