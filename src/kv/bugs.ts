/**
 * Known exactly-once bugs that can be switched on, one at a time, to prove the harness catches
 * them. All off by default. Each switch is consulted in exactly one place:
 * - `noDuplicateDetection`: in `KvStateMachine.apply` (stateMachine.ts);
 * - `snapshotWithoutSessions`: in `KvStateMachine.snapshot` (stateMachine.ts);
 * - `staleLeaderReads`, `leaseReadsByLocalClock`: in `KvServer.handleRequest` (server.ts);
 * - `dedupeLastSeqOnly`: in `KvStateMachine.isDuplicate` and `KvServer.handleRequest`;
 * - `expireByLocalClock`: in `KvStateMachine.advanceClock` (stateMachine.ts).
 */
export interface KvBugs {
  /** Apply every command, even one whose (clientId, seq) was already applied. */
  readonly noDuplicateDetection?: boolean;
  /** Leave the client session table out of snapshots, so a restored replica forgets it. */
  readonly snapshotWithoutSessions?: boolean;
  /** A leader answers a get from its local state, without the log, though it may be deposed. */
  readonly staleLeaderReads?: boolean;
  /**
   * A leader answers a get from local state while it heard from a majority within an election
   * timeout by its own clock: a lease with no vote stickiness and no bound on clock drift or pauses.
   */
  readonly leaseReadsByLocalClock?: boolean;
  /** The session table treats only the client's last seq as a duplicate; an older one is applied again. */
  readonly dedupeLastSeqOnly?: boolean;
  /**
   * Sessions expire by each replica's own clock at the moment it applies an entry, instead of the
   * leader's stamp in the log: replicas that apply late, or whose clocks drift or jump, expire
   * different sessions, and so apply or refuse the same command differently.
   */
  readonly expireByLocalClock?: boolean;
}

export const NO_KV_BUGS: KvBugs = Object.freeze({});
