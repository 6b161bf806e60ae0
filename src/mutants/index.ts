/**
 * The catalog's bugs as code: each bug name maps to the subclasses of the core that carry it. The
 * core (src/raft, src/kv) holds only the correct rules, at protected methods; nothing there knows
 * these exist. The harness picks one by name and hands its factories to the simulator.
 */
import type { KvServerOptions } from '../kv/index.js';
import { KvServer } from '../kv/index.js';
import type { DurableState, RaftConfig } from '../raft/index.js';
import { RaftNode } from '../raft/index.js';
import type { KvCommand } from '../kv/index.js';
import type { StorageVariant } from '../storage/index.js';
import { RECOVERY_IGNORES_DURABLE_MARK, WAL_SKIPS_FDATASYNC } from './storageMutants.js';
import {
  DedupeLastSeqOnlyServer, ExpireByLocalClockServer, LeaseReadsByLocalClockServer, NoDuplicateDetectionServer,
  FollowerReadsLocallyServer, SnapshotWithoutSessionsServer, StaleLeaderReadsServer,
} from './kvMutants.js';
import {
  AcceptStaleAppends, AckBeforeFsync, CheckQuorumNeverStepsDown, ApplyBeforeCommit, CommitOlderTerm, CommitToLeaderCommit, ForgetVotedFor,
  GrantEveryVote, HeartbeatsOnlyWhenBusy, LeaderCountsUndurableSelf, LeasePastDriftBound, NoStepDown, PreVoteBumpsTerm,
  ReadIndexWithoutHeartbeat, ReleaseOneWriteEarly, TransferWithoutCatchUp, TruncateMatchingEntries, VoteWithoutLogCheck,
} from './raftMutants.js';
import { ConfigChangeWithoutFix, TwoVotersAtOnce } from './membershipMutants.js';

/** How to build a machine's node and server with the bug in (the shape of the simulator's NodeFactories). */
export interface Mutant {
  /** Which layer the bug lives in. */
  readonly layer: 'raft' | 'kv' | 'storage';
  readonly raft?: (config: RaftConfig, durable: DurableState<KvCommand> | undefined) => RaftNode<KvCommand>;
  readonly kv?: (options: KvServerOptions) => KvServer;
  /** The storage engine's parts the bug replaces (runs on disk.storage "engine" only). */
  readonly storage?: StorageVariant;
}

type RaftNodeClass = new (config: RaftConfig, durable?: DurableState<KvCommand>) => RaftNode<KvCommand>;
type KvServerClass = new (options: KvServerOptions) => KvServer;

function raftMutant(Node: RaftNodeClass): Mutant {
  return { layer: 'raft', raft: (config, durable) => new Node(config, durable) };
}

function storageMutant(variant: StorageVariant): Mutant {
  return { layer: 'storage', storage: variant };
}

function kvMutant(Server: KvServerClass): Mutant {
  return { layer: 'kv', kv: (options) => new Server(options) };
}

/** Every bug of the catalog (src/harness/bugs.ts), by name. */
export const MUTANTS: Readonly<Record<string, Mutant>> = {
  'vote-without-log-check': raftMutant(VoteWithoutLogCheck),
  'grant-every-vote': raftMutant(GrantEveryVote),
  'commit-older-term': raftMutant(CommitOlderTerm),
  'truncate-matching-entries': raftMutant(TruncateMatchingEntries),
  'no-duplicate-detection': kvMutant(NoDuplicateDetectionServer),
  'snapshot-without-sessions': kvMutant(SnapshotWithoutSessionsServer),
  'forget-voted-for': raftMutant(ForgetVotedFor),
  'ack-before-fsync': raftMutant(AckBeforeFsync),
  'apply-before-commit': raftMutant(ApplyBeforeCommit),
  'no-step-down': raftMutant(NoStepDown),
  'stale-leader-reads': kvMutant(StaleLeaderReadsServer),
  'accept-stale-appends': raftMutant(AcceptStaleAppends),
  'lease-reads-by-local-clock': kvMutant(LeaseReadsByLocalClockServer),
  'dedupe-last-seq-only': kvMutant(DedupeLastSeqOnlyServer),
  'heartbeats-only-when-busy': raftMutant(HeartbeatsOnlyWhenBusy),
  'release-one-write-early': raftMutant(ReleaseOneWriteEarly),
  'commit-to-leader-commit': raftMutant(CommitToLeaderCommit),
  'leader-counts-undurable-self': raftMutant(LeaderCountsUndurableSelf),
  'expire-by-local-clock': kvMutant(ExpireByLocalClockServer),
  'recovery-ignores-durable-mark': storageMutant(RECOVERY_IGNORES_DURABLE_MARK),
  'wal-skips-fdatasync': storageMutant(WAL_SKIPS_FDATASYNC),
  'transfer-without-catch-up': raftMutant(TransferWithoutCatchUp),
  'read-index-without-heartbeat': raftMutant(ReadIndexWithoutHeartbeat),
  'lease-past-drift-bound': raftMutant(LeasePastDriftBound),
  'follower-reads-locally': kvMutant(FollowerReadsLocallyServer),
  'two-voters-at-once': raftMutant(TwoVotersAtOnce),
  'config-change-without-fix': raftMutant(ConfigChangeWithoutFix),
  'pre-vote-bumps-term': raftMutant(PreVoteBumpsTerm),
  'check-quorum-never-steps-down': raftMutant(CheckQuorumNeverStepsDown),
};

/** The mutant named `name`, or undefined if there is none. */
export function findMutant(name: string): Mutant | undefined {
  return Object.prototype.hasOwnProperty.call(MUTANTS, name) ? MUTANTS[name] : undefined;
}

export * from './kvMutants.js';
export * from './raftMutants.js';
export * from './membershipMutants.js';
