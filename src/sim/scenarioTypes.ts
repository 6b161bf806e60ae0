/**
 * The shape of a parsed scenario (scenario.ts parses files into it): the cluster, its timing, its
 * workload, its faults and what progress it must show, with the fault kinds a scenario may draw.
 */
import type { FaultAction } from './faults.js';
import type { ReadMode } from '../kv/pendingReads.js';
import type { MembershipSettings } from './scenarioMembership.js';

export type OpKind = 'get' | 'put' | 'append' | 'delete' | 'cas';
export const OP_KINDS: readonly OpKind[] = ['get', 'put', 'append', 'delete', 'cas'];

export type RandomFaultKind =
  | 'crash'
  | 'crash-leader'
  | 'crash-many'
  | 'crash-all'
  | 'crash-new-leader'
  | 'isolate'
  | 'isolate-leader'
  | 'split'
  | 'bridge'
  | 'ring'
  | 'one-way'
  | 'hold'
  // Faults added for realistic bugs (issue 8): message timing, processes, clocks, disks, clients.
  | 'long-delay'
  | 'replay'
  | 'pause'
  | 'pause-leader'
  | 'pause-new-leader'
  | 'clock-jump'
  | 'slow-disk'
  | 'split-clients'
  | 'crash-snapshot-installer'
  // The storage engine's disk faults (issue 11): only with disk.storage "engine".
  | 'disk-damage'
  | 'disk-full'
  // Leadership transfer (issue 13): the leader is asked to hand over to another node.
  | 'transfer-leader'
  // Membership changes (issue 13, membershipFaults.ts): the leader is asked to change the configuration.
  | 'add-learner'
  | 'promote'
  | 'remove'
  | 'remove-leader'
  | 'replace-leader';
/**
 * "engine": each machine runs the runtime's storage engine (src/storage) on a simulated file system
 * with its faults (src/sim/simfs); "model": the fast in-memory model of a disk (src/sim/disk.ts).
 */
export type StorageModel = 'engine' | 'model';
export const DEFAULT_STORAGE_MODEL: StorageModel = 'engine';

export const RANDOM_FAULT_KINDS: readonly RandomFaultKind[] = [
  'crash', 'crash-leader', 'crash-many', 'crash-all', 'crash-new-leader', 'isolate', 'isolate-leader', 'split', 'bridge',
  'ring', 'one-way', 'hold', 'long-delay', 'replay', 'pause', 'pause-leader', 'pause-new-leader', 'clock-jump',
  'slow-disk', 'split-clients', 'crash-snapshot-installer', 'disk-damage', 'disk-full', 'transfer-leader',
  'add-learner', 'promote', 'remove', 'remove-leader', 'replace-leader',
];

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly nodes: number;
  /** The bootstrap configuration (scenarioMembership.ts); absent: every node a voter. Present only when the file sets it. */
  readonly membership?: MembershipSettings;
  readonly timing: {
    readonly tickMs: number;
    readonly electionTicksMin: number;
    readonly electionTicksMax: number;
    readonly heartbeatTicks: number;
    readonly latencyMsMin: number;
    readonly latencyMsMean: number;
    readonly latencyMsMax: number;
    readonly fsyncMsMin: number;
    readonly fsyncMsMax: number;
    /**
     * Clock drift: each node's tick lasts tickMs × (1 + d), d drawn per node from the seed in
     * [−clockDriftMax, +clockDriftMax] (a ratio, 0 to 0.5; 0: every clock exact).
     */
    readonly clockDriftMax: number;
  };
  readonly raft: {
    readonly maxEntriesPerAppend: number;
    readonly maxInflightAppends: number;
    /** Byte limits of the Raft core (src/raft/config.ts); the defaults are the core's, far above what a simulated run sends. */
    readonly maxBytesPerAppend: number;
    readonly maxInflightBytes: number;
    readonly maxUncommittedBytes: number;
    readonly snapshotEveryEntries: number;
    /** A client session idle this long by the log's clock expires (ms). */
    readonly sessionExpiryMs: number;
    /** Client sessions kept; past it the least recently active is evicted. */
    readonly maxSessions: number;
    /**
     * PreVote and CheckQuorum (src/raft/config.ts). On when the file leaves them out, as in
     * `raftsim serve` (RAFT_SWITCH_DEFAULTS); a parsed scenario always holds them, so a failure
     * file records what its run used.
     */
    readonly preVote: boolean;
    readonly checkQuorum: boolean;
    /** How gets are answered (src/kv/pendingReads.ts); 'read-index' when the file leaves it out (DEFAULT_READ_MODE). */
    readonly readMode: ReadMode;
    /** With readMode 'lease': the lease's drift margin in ticks (below timing.electionTicksMin); absent = 0. */
    readonly clockDriftBoundTicks?: number;
    /** With readMode 'read-index': followers answer gets (KvServerOptions.followerReads) and each client reads from its own node. */
    readonly followerReads?: boolean;
  };
  readonly workload: {
    readonly clients: number;
    readonly opsPerClient: number;
    readonly keys: number;
    readonly mix: Readonly<Record<OpKind, number>>;
    readonly thinkMsMax: number;
    readonly clientTimeoutMs: number;
    /**
     * A client that has waited this long since calling gives up at its next time-out: the operation
     * is recorded indeterminate (output null) and the client moves on with a new seq; null: never.
     */
    readonly giveUpAfterMs: number | null;
  };
  readonly network: {
    readonly dropRatio: number;
    readonly duplicateRatio: number;
    /** Per-link latency: each directed link adds a fixed delay drawn from the seed in [0, this] ms. */
    readonly linkLatencySpreadMs: number;
  };
  /**
   * The links between clients and nodes (requests and answers). Each field defaults to the node
   * network's value (latency, drop), except duplicateRatio, which defaults to 0.
   */
  readonly clientNetwork: {
    readonly dropRatio: number;
    readonly duplicateRatio: number;
    readonly latencyMsMin: number;
    readonly latencyMsMean: number;
    readonly latencyMsMax: number;
  };
  /** The disk's fault model beyond "unsynced writes are lost on a crash". */
  readonly disk: {
    /** On a crash, the chance that a prefix (drawn from the seed) of the unsynced writes survives. */
    readonly crashKeepsPrefixRatio: number;
    /** The chance that one fsync takes an extra spike of 1..fsyncSpikeMsMax ms. */
    readonly fsyncSpikeRatio: number;
    readonly fsyncSpikeMsMax: number;
    /** Which disk the machines have (see StorageModel). */
    readonly storage: StorageModel;
  };
  /** The faults phase: workload and nemesis run for this long; then everything heals. */
  readonly durationMs: number;
  readonly faults: {
    /** Random faults drawn from the seed; meanIntervalMs 0 turns them off. */
    readonly meanIntervalMs: number;
    readonly kinds: Readonly<Partial<Record<RandomFaultKind, number>>>;
    readonly faultMsMin: number;
    readonly faultMsMax: number;
    /** Faults at fixed times, in addition to the random ones. */
    readonly schedule: readonly FaultAction[];
  };
  readonly liveness: {
    /** After the heal, a leader must exist within this many ms (null: not required). */
    readonly leaderWithinMs: number | null;
    /** After the heal, every client operation must finish within this many ms (null: not required). */
    readonly opsCompleteWithinMs: number | null;
    /**
     * A leader is stable once it has led this long with no election anywhere; the run ends only
     * after one (or at its deadline), and leaderWithinMs applies to the stable leader's election.
     */
    readonly stableLeaderMs: number;
    /** After the heal, at most this many elections (a node becoming candidate); null: not checked. */
    readonly maxElectionsAfterHeal: number | null;
    /** After the heal, the highest term may grow by at most this much; null: not checked. */
    readonly maxTermGrowthAfterHeal: number | null;
    /** Over the whole run: at most this many elections; at most this many ms without a leader (absent: not checked). */
    readonly maxElections?: number;
    readonly maxLeaderlessMs?: number;
    /** Over the whole run: the longest a node may lead without hearing from a majority, by its own ticks (absent: not checked). */
    readonly maxLeaderCutOffMs?: number;
  };
}
