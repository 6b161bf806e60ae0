/**
 * Known exactly-once and read bugs as mutants: each subclass of the correct KvStateMachine or
 * KvServer breaks one rule by overriding the one protected method where the KV layer decides it.
 * A server whose state machine is a mutant builds it in `createStateMachine`.
 */
import { KvServer, KvStateMachine } from '../kv/index.js';
import type { KvSession, KvSessionEntry, KvStateMachineOptions } from '../kv/index.js';

/** Applies every command, even one whose (clientId, seq) was already applied. */
export class NoDuplicateDetectionMachine extends KvStateMachine {
  protected override isDuplicate(_seq: number, _sessionSeq: number): boolean {
    return false;
  }
}

/** Leaves the client session table out of snapshots, so a restored replica forgets it. */
export class SnapshotWithoutSessionsMachine extends KvStateMachine {
  protected override sessionsForSnapshot(): KvSessionEntry[] {
    return [];
  }
}

/** Treats only the client's last seq as a duplicate; an older one is applied again. */
export class DedupeLastSeqOnlyMachine extends KvStateMachine {
  protected override isDuplicate(seq: number, sessionSeq: number): boolean {
    return seq === sessionSeq;
  }
}

/**
 * Expires sessions by this replica's own clock at the moment it applies an entry, instead of the
 * leader's stamp in the log: replicas that apply late, or whose clocks drift or jump, expire
 * different sessions, and so apply or refuse the same command differently.
 */
export class ExpireByLocalClockMachine extends KvStateMachine {
  constructor(options: KvStateMachineOptions, private readonly localClockMs: () => number) {
    super(options);
  }

  protected override expiryStamp(_stampMs: number | undefined): number | undefined {
    return this.localClockMs();
  }
}

/** A server over a NoDuplicateDetectionMachine. */
export class NoDuplicateDetectionServer extends KvServer {
  protected override createStateMachine(options: KvStateMachineOptions): KvStateMachine {
    return new NoDuplicateDetectionMachine(options);
  }
}

/** A server over a SnapshotWithoutSessionsMachine. */
export class SnapshotWithoutSessionsServer extends KvServer {
  protected override createStateMachine(options: KvStateMachineOptions): KvStateMachine {
    return new SnapshotWithoutSessionsMachine(options);
  }
}

/** A server over an ExpireByLocalClockMachine reading this machine's clock. */
export class ExpireByLocalClockServer extends KvServer {
  protected override createStateMachine(options: KvStateMachineOptions, clockMs: () => number): KvStateMachine {
    return new ExpireByLocalClockMachine(options, clockMs);
  }
}

/** Both sides of dedupe-last-seq-only: the state machine and the server answer only the last seq as a duplicate. */
export class DedupeLastSeqOnlyServer extends KvServer {
  protected override createStateMachine(options: KvStateMachineOptions): KvStateMachine {
    return new DedupeLastSeqOnlyMachine(options);
  }

  protected override isAnsweredSeq(seq: number, session: KvSession): boolean {
    return seq === session.seq;
  }
}

/** A leader answers a get from its local state, without the log, though it may be deposed. */
export class StaleLeaderReadsServer extends KvServer {
  protected override mayReadLocally(): boolean {
    return true;
  }
}

/**
 * A leader answers a get from local state while it heard from a majority within an election
 * timeout by its own clock: a lease with no vote stickiness and no bound on clock drift or pauses.
 */
export class LeaseReadsByLocalClockServer extends KvServer {
  protected override mayReadLocally(): boolean {
    const age = this.node.ticksSinceQuorumContact();
    return age !== null && age < this.node.electionTicksMin;
  }
}

/** A follower answers gets from its own state without asking its leader for a read index (thesis §6.4). */
export class FollowerReadsLocallyServer extends KvServer {
  protected override followerAsksLeader(): boolean {
    return false;
  }
}
