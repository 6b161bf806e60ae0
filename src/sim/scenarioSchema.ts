/**
 * Every numeric field of a scenario file: its type, bounds, default and meaning, in one table that
 * the parser reads (src/sim/scenario.ts) and the reference documentation follows. The field lists
 * used to refuse unknown fields come from here too.
 */
import { DEFAULT_MAX_BYTES_PER_APPEND, DEFAULT_MAX_INFLIGHT_BYTES, DEFAULT_MAX_UNCOMMITTED_BYTES } from '../raft/config.js';
import { RANDOM_FAULT_KINDS, OP_KINDS } from './scenario.js';
import type { Scenario } from './scenario.js';

export interface NumberField {
  /** `int`: an integer; `ratio`: a number from 0 to 1; `number`: any number within the bounds. */
  readonly type: 'int' | 'ratio' | 'number';
  readonly min: number;
  readonly max: number;
  /** The default: a value; null (the check is off); or `{from}`: another field's value. */
  readonly default: number | null | { readonly from: string };
  /** null is accepted (and means "not checked"). */
  readonly nullable?: boolean;
  readonly doc: string;
}

type NumericKeys<T> = { [K in keyof T]-?: T[K] extends number | null ? K : never }[keyof T];
export type SectionName = 'timing' | 'raft' | 'workload' | 'network' | 'clientNetwork' | 'disk' | 'faults' | 'liveness';
type Table<T> = { readonly [K in NumericKeys<T>]: NumberField };

const int = (min: number, max: number, def: NumberField['default'], doc: string): NumberField => ({ type: 'int', min, max, default: def, doc });
const ratio = (def: NumberField['default'], doc: string): NumberField => ({ type: 'ratio', min: 0, max: 1, default: def, doc });
const optional = (min: number, def: number | null, doc: string): NumberField => ({ type: 'int', min, max: 1e9, default: def, nullable: true, doc });

/** The top level's numeric fields. */
export const TOP_FIELDS: Table<Pick<Scenario, 'nodes' | 'durationMs'>> = {
  nodes: int(1, 9, 3, 'cluster size; nodes are n1 … nN'),
  durationMs: int(1, 1e9, 10_000, 'the faults phase: workload and nemesis run this long, then everything heals'),
};

export const SECTIONS: { readonly [S in SectionName]: Table<Scenario[S]> } = {
  timing: {
    tickMs: int(1, 10_000, 10, 'one Raft tick, in virtual ms'),
    electionTicksMin: int(2, 10_000, 15, 'election timeout, drawn per election from min..max ticks'),
    electionTicksMax: int(2, 10_000, 30, 'must be ≥ electionTicksMin'),
    heartbeatTicks: int(1, 10_000, 5, 'must be below electionTicksMin'),
    latencyMsMin: int(0, 60_000, 1, 'message latency between nodes: min + exponential jitter (which reorders), capped at max'),
    latencyMsMean: int(0, 60_000, 2, 'must be ≥ latencyMsMin'),
    latencyMsMax: int(0, 600_000, 50, 'must be ≥ latencyMsMin'),
    fsyncMsMin: int(0, 60_000, 1, 'fsync time; a write is durable only when its fsync completes'),
    fsyncMsMax: int(0, 60_000, 4, 'must be ≥ fsyncMsMin'),
    clockDriftMax: { type: 'number', min: 0, max: 0.5, default: 0, doc: "each node's tick lasts tickMs × (1 + d), d drawn per node in ±clockDriftMax" },
  },
  raft: {
    maxEntriesPerAppend: int(1, 100_000, 64, 'entries in one AppendEntries'),
    maxInflightAppends: int(1, 1000, 4, 'unacknowledged AppendEntries per follower'),
    maxBytesPerAppend: int(1, 1e12, DEFAULT_MAX_BYTES_PER_APPEND, 'bytes of entries (JSON length + 16 each) in one AppendEntries; a larger entry goes alone'),
    maxInflightBytes: int(1, 1e12, DEFAULT_MAX_INFLIGHT_BYTES, 'unacknowledged bytes of entries per follower'),
    maxUncommittedBytes: int(1, 1e12, DEFAULT_MAX_UNCOMMITTED_BYTES, "bytes of a leader's uncommitted entries past which it refuses proposals (clients get overloaded)"),
    snapshotEveryEntries: int(0, 1e9, 0, 'compact the log every this many applied entries; 0: never'),
    sessionExpiryMs: int(1, 1e12, 3_600_000, "a client session idle this long by the log's clock (the leaders' stamps) expires on every replica"),
    maxSessions: int(1, 1e9, 65_536, 'client sessions kept; past it the least recently active is evicted'),
  },
  workload: {
    clients: int(0, 1000, 3, 'closed-loop clients'),
    opsPerClient: int(0, 1_000_000, 200, 'operations each client may call (it stops at the heal)'),
    keys: int(1, 1_000_000, 5, 'keys the operations draw from'),
    thinkMsMax: int(0, 600_000, 20, 'a client waits 0..thinkMsMax ms between operations'),
    clientTimeoutMs: int(1, 600_000, 300, 'a client retries a request after this long'),
    giveUpAfterMs: optional(1, null, 'a client that has waited this long gives the operation up as indeterminate (output null, as Jepsen :info) and moves on with a new seq; null: never'),
  },
  network: {
    dropRatio: ratio(0, 'chance a message between nodes is lost (faults phase only)'),
    duplicateRatio: ratio(0, 'chance a message between nodes is delivered twice (faults phase only)'),
    linkLatencySpreadMs: int(0, 600_000, 0, 'each directed link adds a fixed delay drawn in 0..this ms'),
  },
  clientNetwork: {
    dropRatio: ratio({ from: 'network.dropRatio' }, 'chance a client request or answer is lost'),
    duplicateRatio: ratio(0, 'chance a client request or answer is delivered twice'),
    latencyMsMin: int(0, 60_000, { from: 'timing.latencyMsMin' }, 'client link latency, as timing.latencyMs*'),
    latencyMsMean: int(0, 60_000, { from: 'timing.latencyMsMean' }, 'must be ≥ clientNetwork.latencyMsMin'),
    latencyMsMax: int(0, 600_000, { from: 'timing.latencyMsMax' }, 'must be ≥ clientNetwork.latencyMsMin'),
  },
  disk: {
    crashKeepsPrefixRatio: ratio(0, 'on a crash, the chance that a prefix of the unsynced writes survives'),
    fsyncSpikeRatio: ratio(0, 'the chance that one fsync takes an extra 1..fsyncSpikeMsMax ms'),
    fsyncSpikeMsMax: int(0, 600_000, 0, 'the largest fsync spike; set both or neither'),
  },
  faults: {
    meanIntervalMs: int(0, 1e9, 0, 'mean gap between random faults; 0: none (then no kind may have a weight)'),
    faultMsMin: int(0, 1e9, 200, 'how long each random fault lasts, min..max'),
    faultMsMax: int(0, 1e9, 2000, 'must be ≥ faultMsMin'),
  },
  liveness: {
    leaderWithinMs: optional(1, 5000, 'after the heal, a stable leader within this many ms; null: not required'),
    opsCompleteWithinMs: optional(1, 20_000, 'after the heal, every operation finishes within this many ms; null: not required'),
    stableLeaderMs: int(0, 1e9, 1000, 'a leader is stable once it has led this long with no election anywhere'),
    maxElectionsAfterHeal: optional(0, null, 'at most this many elections after the heal; null: not checked'),
    maxTermGrowthAfterHeal: optional(0, null, 'the highest term grows by at most this much after the heal; null: not checked'),
  },
};

/**
 * Liveness bounds over the whole run (the faults phase included), for scenarios whose point is how
 * well the cluster keeps a leader under a fault (rejoin-disruption.json: PreVote and CheckQuorum).
 * Not in SECTIONS: a parsed scenario holds them only when its file sets them, so older scenarios and
 * failure files stay as they were. Absent: not checked.
 */
export const WHOLE_RUN_LIVENESS: Table<WholeRunLiveness> = {
  maxElections: { type: 'int', min: 0, max: 1e9, default: null, nullable: true, doc: 'at most this many elections (a node becoming candidate) over the whole run, the first included; absent: not checked' },
  maxLeaderlessMs: { type: 'int', min: 0, max: 1e9, default: null, nullable: true, doc: 'at most this many virtual ms without a leader over the whole run, the first election included; absent: not checked' },
  maxLeaderCutOffMs: { type: 'int', min: 0, max: 1e9, default: null, nullable: true, doc: "at most this many ms (of the leader's own ticks) a node may go on leading without hearing from a majority; absent: with CheckQuorum on, one minimum election timeout (thesis §6.2), else not checked" },
};

type WholeRunLiveness = { readonly maxElections: number | null; readonly maxLeaderlessMs: number | null; readonly maxLeaderCutOffMs: number | null };

/** The raft section's boolean fields: PreVote and CheckQuorum (src/raft/config.ts). */
export const RAFT_SWITCHES = ['preVote', 'checkQuorum'] as const;

/**
 * Their defaults when a file leaves them out: on, as in `raftsim serve` (DEFAULT_ELECTION_SAFEGUARDS,
 * src/runtime/raftHost.ts), so that the simulator tests what runs in production. A scenario that
 * tests the other side sets `false`.
 */
export const RAFT_SWITCH_DEFAULTS = { preVote: true, checkQuorum: true } as const;

/**
 * How the KV servers answer gets (src/kv/pendingReads.ts). With 'lease', the drift margin the
 * lease leaves is raft.clockDriftBoundTicks (absent = 0), and checkQuorum must be on.
 * raft.followerReads (with 'read-index') lets followers answer gets, each client reading from its own node.
 */
export const RAFT_READ_FIELDS = ['readMode', 'clockDriftBoundTicks', 'followerReads'] as const;

/** raft.readMode when a file leaves it out: ReadIndex, as in `raftsim serve` (DEFAULT_READ_SETTINGS, src/runtime/readSettings.ts). */
export const DEFAULT_READ_MODE = 'read-index' as const;

/** The operation mix's default weights (workload.mix); a mix written in a file replaces it whole. */
export const DEFAULT_MIX = { get: 3, put: 2, append: 2, delete: 1, cas: 2 } as const;
export const MAX_WEIGHT = 1e6;

/**
 * The known field names of the object at `path` in a scenario file ('' is the top level), or null
 * if the object there is not one of a scenario's sections. (A function, not a table: this module
 * and scenario.ts import each other.)
 */
export function knownFields(path: string): readonly string[] | null {
  switch (path) {
    case '': return ['name', 'description', ...Object.keys(TOP_FIELDS), ...Object.keys(SECTIONS), 'membership'];
    case 'workload': return [...Object.keys(SECTIONS.workload), 'mix'];
    case 'workload.mix': return OP_KINDS;
    case 'faults': return [...Object.keys(SECTIONS.faults), 'kinds', 'schedule'];
    case 'faults.kinds': return RANDOM_FAULT_KINDS;
    case 'disk': return [...Object.keys(SECTIONS.disk), 'storage'];
    case 'raft': return [...Object.keys(SECTIONS.raft), ...RAFT_SWITCHES, ...RAFT_READ_FIELDS];
    case 'liveness': return [...Object.keys(SECTIONS.liveness), ...Object.keys(WHOLE_RUN_LIVENESS)];
    default: return path in SECTIONS ? Object.keys(SECTIONS[path as SectionName]) : null;
  }
}
