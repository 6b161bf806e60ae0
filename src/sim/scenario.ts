/**
 * A scenario: the data that names a cluster, its timing, its workload, its faults and what progress
 * it must show. Scenario files are JSON in `scenarios/`; `parseScenario` fills defaults in one place
 * and rejects bad input with a one-line message naming the field.
 */
import type { FaultAction } from './faults.js';
import { parseFaultAction } from './faults.js';

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
  | 'crash-snapshot-installer';
export const RANDOM_FAULT_KINDS: readonly RandomFaultKind[] = [
  'crash', 'crash-leader', 'crash-many', 'crash-all', 'crash-new-leader', 'isolate', 'isolate-leader', 'split', 'bridge',
  'ring', 'one-way', 'hold', 'long-delay', 'replay', 'pause', 'pause-leader', 'pause-new-leader', 'clock-jump',
  'slow-disk', 'split-clients', 'crash-snapshot-installer',
];

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly nodes: number;
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
    readonly snapshotEveryEntries: number;
  };
  readonly workload: {
    readonly clients: number;
    readonly opsPerClient: number;
    readonly keys: number;
    readonly mix: Readonly<Record<OpKind, number>>;
    readonly thinkMsMax: number;
    readonly clientTimeoutMs: number;
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
  };
}

const DEFAULTS = {
  nodes: 3,
  timing: {
    tickMs: 10, electionTicksMin: 15, electionTicksMax: 30, heartbeatTicks: 5,
    latencyMsMin: 1, latencyMsMean: 2, latencyMsMax: 50, fsyncMsMin: 1, fsyncMsMax: 4,
    clockDriftMax: 0,
  },
  raft: { maxEntriesPerAppend: 64, maxInflightAppends: 4, snapshotEveryEntries: 0 },
  workload: {
    clients: 3, opsPerClient: 200, keys: 5, mix: { get: 3, put: 2, append: 2, delete: 1, cas: 2 },
    thinkMsMax: 20, clientTimeoutMs: 300,
  },
  network: { dropRatio: 0, duplicateRatio: 0, linkLatencySpreadMs: 0 },
  disk: { crashKeepsPrefixRatio: 0, fsyncSpikeRatio: 0, fsyncSpikeMsMax: 0 },
  durationMs: 10_000,
  faults: { meanIntervalMs: 0, kinds: {}, faultMsMin: 200, faultMsMax: 2000, schedule: [] },
  liveness: {
    leaderWithinMs: 5000, opsCompleteWithinMs: 20_000, stableLeaderMs: 1000, maxElectionsAfterHeal: null,
    maxTermGrowthAfterHeal: null,
  },
} as const;

/** Thrown for a bad scenario; the message is one line naming the field. */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

type Json = Record<string, unknown>;

export function parseScenario(raw: unknown, name: string): Scenario {
  const root = object(raw, '(top level)');
  known(root, '', ['name', 'description', 'nodes', 'timing', 'raft', 'workload', 'network',
    'clientNetwork', 'disk', 'durationMs', 'faults', 'liveness']);
  const timing = section(root, 'timing');
  const raft = section(root, 'raft');
  const workload = section(root, 'workload');
  const network = section(root, 'network');
  const clientNetwork = section(root, 'clientNetwork');
  const disk = section(root, 'disk');
  const faults = section(root, 'faults');
  const liveness = section(root, 'liveness');
  const D = DEFAULTS;
  const scenario: Scenario = {
    name: typeof root.name === 'string' ? root.name : name,
    description: typeof root.description === 'string' ? root.description : '',
    nodes: int(root, 'nodes', D.nodes, 1, 9),
    timing: {
      tickMs: int(timing, 'timing.tickMs', D.timing.tickMs, 1, 10_000),
      electionTicksMin: int(timing, 'timing.electionTicksMin', D.timing.electionTicksMin, 2, 10_000),
      electionTicksMax: int(timing, 'timing.electionTicksMax', D.timing.electionTicksMax, 2, 10_000),
      heartbeatTicks: int(timing, 'timing.heartbeatTicks', D.timing.heartbeatTicks, 1, 10_000),
      latencyMsMin: int(timing, 'timing.latencyMsMin', D.timing.latencyMsMin, 0, 60_000),
      latencyMsMean: int(timing, 'timing.latencyMsMean', D.timing.latencyMsMean, 0, 60_000),
      latencyMsMax: int(timing, 'timing.latencyMsMax', D.timing.latencyMsMax, 0, 600_000),
      fsyncMsMin: int(timing, 'timing.fsyncMsMin', D.timing.fsyncMsMin, 0, 60_000),
      fsyncMsMax: int(timing, 'timing.fsyncMsMax', D.timing.fsyncMsMax, 0, 60_000),
      clockDriftMax: boundedNumber(timing, 'timing.clockDriftMax', D.timing.clockDriftMax, 0, 0.5),
    },
    raft: {
      maxEntriesPerAppend: int(raft, 'raft.maxEntriesPerAppend', D.raft.maxEntriesPerAppend, 1, 100_000),
      maxInflightAppends: int(raft, 'raft.maxInflightAppends', D.raft.maxInflightAppends, 1, 1000),
      snapshotEveryEntries: int(raft, 'raft.snapshotEveryEntries', D.raft.snapshotEveryEntries, 0, 1e9),
    },
    workload: {
      clients: int(workload, 'workload.clients', D.workload.clients, 0, 1000),
      opsPerClient: int(workload, 'workload.opsPerClient', D.workload.opsPerClient, 0, 1_000_000),
      keys: int(workload, 'workload.keys', D.workload.keys, 1, 1_000_000),
      mix: parseMix(workload.mix, D.workload.mix),
      thinkMsMax: int(workload, 'workload.thinkMsMax', D.workload.thinkMsMax, 0, 600_000),
      clientTimeoutMs: int(workload, 'workload.clientTimeoutMs', D.workload.clientTimeoutMs, 1, 600_000),
    },
    network: {
      dropRatio: ratio(network, 'network.dropRatio', D.network.dropRatio),
      duplicateRatio: ratio(network, 'network.duplicateRatio', D.network.duplicateRatio),
      linkLatencySpreadMs: int(network, 'network.linkLatencySpreadMs', D.network.linkLatencySpreadMs, 0, 600_000),
    },
    clientNetwork: {
      dropRatio: ratio(clientNetwork, 'clientNetwork.dropRatio', ratio(network, 'network.dropRatio', D.network.dropRatio)),
      duplicateRatio: ratio(clientNetwork, 'clientNetwork.duplicateRatio', 0),
      latencyMsMin: int(clientNetwork, 'clientNetwork.latencyMsMin', int(timing, 'timing.latencyMsMin', D.timing.latencyMsMin, 0, 60_000), 0, 60_000),
      latencyMsMean: int(clientNetwork, 'clientNetwork.latencyMsMean', int(timing, 'timing.latencyMsMean', D.timing.latencyMsMean, 0, 60_000), 0, 60_000),
      latencyMsMax: int(clientNetwork, 'clientNetwork.latencyMsMax', int(timing, 'timing.latencyMsMax', D.timing.latencyMsMax, 0, 600_000), 0, 600_000),
    },
    disk: {
      crashKeepsPrefixRatio: ratio(disk, 'disk.crashKeepsPrefixRatio', D.disk.crashKeepsPrefixRatio),
      fsyncSpikeRatio: ratio(disk, 'disk.fsyncSpikeRatio', D.disk.fsyncSpikeRatio),
      fsyncSpikeMsMax: int(disk, 'disk.fsyncSpikeMsMax', D.disk.fsyncSpikeMsMax, 0, 600_000),
    },
    durationMs: int(root, 'durationMs', D.durationMs, 1, 1e9),
    faults: {
      meanIntervalMs: int(faults, 'faults.meanIntervalMs', D.faults.meanIntervalMs, 0, 1e9),
      kinds: parseKinds(faults.kinds),
      faultMsMin: int(faults, 'faults.faultMsMin', D.faults.faultMsMin, 0, 1e9),
      faultMsMax: int(faults, 'faults.faultMsMax', D.faults.faultMsMax, 0, 1e9),
      schedule: parseSchedule(faults.schedule),
    },
    liveness: {
      leaderWithinMs: optionalInt(liveness, 'liveness.leaderWithinMs', D.liveness.leaderWithinMs),
      opsCompleteWithinMs: optionalInt(liveness, 'liveness.opsCompleteWithinMs', D.liveness.opsCompleteWithinMs),
      stableLeaderMs: int(liveness, 'liveness.stableLeaderMs', D.liveness.stableLeaderMs, 0, 1e9),
      maxElectionsAfterHeal: optionalInt(liveness, 'liveness.maxElectionsAfterHeal', D.liveness.maxElectionsAfterHeal),
      maxTermGrowthAfterHeal: optionalInt(liveness, 'liveness.maxTermGrowthAfterHeal', D.liveness.maxTermGrowthAfterHeal),
    },
  };
  checkRelations(scenario);
  return scenario;
}

function checkRelations(s: Scenario): void {
  const t = s.timing;
  if (t.electionTicksMax < t.electionTicksMin) fail('timing.electionTicksMax', 'must be ≥ timing.electionTicksMin');
  if (t.heartbeatTicks >= t.electionTicksMin) fail('timing.heartbeatTicks', 'must be below timing.electionTicksMin');
  if (t.latencyMsMean < t.latencyMsMin) fail('timing.latencyMsMean', 'must be ≥ timing.latencyMsMin');
  if (t.latencyMsMax < t.latencyMsMin) fail('timing.latencyMsMax', 'must be ≥ timing.latencyMsMin');
  if (t.fsyncMsMax < t.fsyncMsMin) fail('timing.fsyncMsMax', 'must be ≥ timing.fsyncMsMin');
  if (s.faults.faultMsMax < s.faults.faultMsMin) fail('faults.faultMsMax', 'must be ≥ faults.faultMsMin');
  for (const [i, action] of s.faults.schedule.entries()) {
    for (const node of actionNodes(action)) {
      if (node > s.nodes) fail(`faults.schedule[${i}]`, `names node n${node} but the cluster has ${s.nodes}`);
    }
  }
}

function actionNodes(action: FaultAction): number[] {
  if ('node' in action && typeof action.node === 'number') return [action.node];
  if ('nodes' in action && Array.isArray(action.nodes)) return action.nodes;
  if ('from' in action) return [action.from, action.to];
  if ('groups' in action) return action.groups.flat();
  return [];
}

function fail(field: string, problem: string): never {
  throw new ScenarioError(`${field} ${problem}`);
}

function object(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, 'must be an object');
  return value as Json;
}

function section(root: Json, key: string): Json {
  return root[key] === undefined ? {} : object(root[key], key);
}

function known(obj: Json, prefix: string, keys: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!keys.includes(key)) fail(prefix + key, `is not a known field (known: ${keys.join(', ')})`);
  }
}

function int(obj: Json, field: string, fallback: number, min: number, max: number): number {
  const key = field.slice(field.lastIndexOf('.') + 1);
  const value = obj[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(field, `must be an integer, got ${JSON.stringify(value)}`);
  if (value < min || value > max) fail(field, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function optionalInt(obj: Json, field: string, fallback: number | null): number | null {
  const key = field.slice(field.lastIndexOf('.') + 1);
  if (obj[key] === null) return null;
  if (obj[key] === undefined) return fallback;
  return int(obj, field, 0, 1, 1e9);
}

function boundedNumber(obj: Json, field: string, fallback: number, min: number, max: number): number {
  const key = field.slice(field.lastIndexOf('.') + 1);
  const value = obj[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= min && value <= max)) fail(field, `must be a number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return value;
}

function ratio(obj: Json, field: string, fallback: number): number {
  const key = field.slice(field.lastIndexOf('.') + 1);
  const value = obj[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) fail(field, `must be a number from 0 to 1, got ${JSON.stringify(value)}`);
  return value;
}

function parseMix(value: unknown, fallback: Readonly<Record<OpKind, number>>): Record<OpKind, number> {
  if (value === undefined) return { ...fallback };
  const obj = object(value, 'workload.mix');
  known(obj, 'workload.mix.', OP_KINDS);
  const mix = { get: 0, put: 0, append: 0, delete: 0, cas: 0 };
  for (const kind of OP_KINDS) mix[kind] = int(obj, `workload.mix.${kind}`, 0, 0, 1e6);
  if (OP_KINDS.every((kind) => mix[kind] === 0)) fail('workload.mix', 'must give some operation a positive weight');
  return mix;
}

function parseKinds(value: unknown): Partial<Record<RandomFaultKind, number>> {
  if (value === undefined) return {};
  const obj = object(value, 'faults.kinds');
  known(obj, 'faults.kinds.', RANDOM_FAULT_KINDS);
  const kinds: Partial<Record<RandomFaultKind, number>> = {};
  for (const kind of RANDOM_FAULT_KINDS) {
    if (obj[kind] !== undefined) kinds[kind] = int(obj, `faults.kinds.${kind}`, 0, 0, 1e6);
  }
  return kinds;
}

function parseSchedule(value: unknown): FaultAction[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail('faults.schedule', 'must be an array');
  return value.map((item, i) => {
    const result = parseFaultAction(item);
    if (typeof result === 'string') fail(`faults.schedule[${i}]`, result);
    return result;
  });
}
