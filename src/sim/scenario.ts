/**
 * A scenario: the data that names a cluster, its timing, its workload, its faults and what progress
 * it must show. Scenario files are JSON in `scenarios/`; `parseScenario` fills defaults (from the
 * table in scenarioSchema.ts) and rejects bad input, unknown fields at any depth included, with a
 * one-line message starting with the field's full path.
 */
import { fieldNameProblem, fieldPath, unknownFieldProblem } from './fields.js';
import type { FaultAction } from './faults.js';
import { faultActionFields, faultActionJson, nodeName, parseFaultAction } from './faults.js';
import { READ_MODES, type ReadMode } from '../kv/pendingReads.js';
import { DEFAULT_MIX, DEFAULT_READ_MODE, MAX_WEIGHT, RAFT_SWITCH_DEFAULTS, RAFT_SWITCHES, SECTIONS, TOP_FIELDS, WHOLE_RUN_LIVENESS, knownFields } from './scenarioSchema.js';
import type { NumberField, SectionName } from './scenarioSchema.js';
import { parseMembership } from './scenarioMembership.js';

export { DEFAULT_STORAGE_MODEL, OP_KINDS, RANDOM_FAULT_KINDS } from './scenarioTypes.js';
export type { OpKind, RandomFaultKind, Scenario, StorageModel } from './scenarioTypes.js';
import { DEFAULT_STORAGE_MODEL, OP_KINDS, RANDOM_FAULT_KINDS } from './scenarioTypes.js';
import type { OpKind, RandomFaultKind, Scenario, StorageModel } from './scenarioTypes.js';

/** Thrown for a bad scenario; the message is one line, starting with the field's full path. */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

export interface ParseOptions {
  /**
   * The scenario was recorded in a failure file (the run happened with it): checked for shape,
   * bounds and the relations a run needs, but not for the rules that only guard a hand-written
   * file against quiet mistakes (a schedule action after the heal, fault kinds with no rate, half
   * of an fsync spike), which files written before those rules may break.
   */
  readonly recorded?: boolean;
}

type Json = Record<string, unknown>;
type Values = Map<string, number | null>;

/** The scenario as a user reads it in a file (failure.json): node ids in its schedule as names. */
export function scenarioJson(scenario: Scenario): Json {
  return { ...scenario, faults: { ...scenario.faults, schedule: scenario.faults.schedule.map(faultActionJson) } };
}

/**
 * Reads a scenario file's JSON: fills every default, and refuses bad input with a ScenarioError
 * whose one line starts with the field's full path (`faults.meanInterval: unknown field (did you
 * mean meanIntervalMs?)`). Unknown fields are refused first, at any depth, in the file's order.
 */
export function parseScenario(raw: unknown, name: string, options: ParseOptions = {}): Scenario {
  const root = object(raw, '(top level)');
  checkFieldNames(root, '');
  const values: Values = new Map();
  const top = parseTable(root, '', TOP_FIELDS, values);
  const parsed = {} as Record<SectionName, Json>;
  for (const section of Object.keys(SECTIONS) as SectionName[]) {
    parsed[section] = parseTable(sectionOf(root, section), section, SECTIONS[section], values);
  }
  const workload = sectionOf(root, 'workload');
  const faults = sectionOf(root, 'faults');
  const scenario = {
    name: optionalString(root, 'name') ?? name,
    description: optionalString(root, 'description') ?? '',
    nodes: top.nodes,
    ...membershipOf(root, top.nodes as number),
    timing: parsed.timing,
    raft: { ...parsed.raft, ...parseRaftSwitches(sectionOf(root, 'raft')) },
    workload: { ...parsed.workload, mix: parseMix(workload.mix) },
    network: parsed.network,
    clientNetwork: parsed.clientNetwork,
    disk: { ...parsed.disk, storage: parseStorage(sectionOf(root, 'disk').storage) },
    durationMs: top.durationMs,
    faults: { ...parsed.faults, kinds: parseKinds(faults.kinds), schedule: parseSchedule(faults.schedule) },
    liveness: { ...parsed.liveness, ...parsePresent(sectionOf(root, 'liveness'), 'liveness', WHOLE_RUN_LIVENESS) },
  } as unknown as Scenario;
  checkRelations(scenario, sectionOf(root, 'clientNetwork'));
  if (!options.recorded) checkQuietMistakes(scenario);
  return scenario;
}

/** `{membership}` when the file sets the section (checked against `nodes`), else nothing. */
function membershipOf(root: Json, nodes: number): Json {
  const membership = parseMembership(root.membership, nodes);
  if (typeof membership === 'string') fail(membership);
  return membership === undefined ? {} : { membership };
}

/** The fields of `table` that the file sets, checked; absent (or null) ones stay absent. */
function parsePresent(obj: Json, path: string, table: Readonly<Record<string, NumberField>>): Json {
  const out: Json = {};
  for (const [key, field] of Object.entries(table)) {
    const value = obj[key] === undefined ? null : checkNumber(obj[key], fieldPath(path, key), field);
    if (value !== null) out[key] = value;
  }
  return out;
}

/** The raft section's boolean switches (see RAFT_SWITCHES), their defaults where the file leaves them out. */
function parseRaftSwitches(raft: Json): Json {
  const out: Json = { ...RAFT_SWITCH_DEFAULTS };
  for (const key of RAFT_SWITCHES) {
    const value = raft[key];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') fail(`raft.${key}: must be true or false, got ${JSON.stringify(value)}`);
    out[key] = value;
  }
  return { ...out, ...parseReadFields(raft, out.checkQuorum === true) };
}

/** raft.readMode (DEFAULT_READ_MODE when absent) and raft.clockDriftBoundTicks, when the file sets it (see RAFT_READ_FIELDS). */
function parseReadFields(raft: Json, checkQuorum: boolean): Json {
  const mode = raft.readMode ?? DEFAULT_READ_MODE;
  if (!READ_MODES.includes(mode as ReadMode)) fail(`raft.readMode: must be one of ${READ_MODES.join(', ')}, got ${JSON.stringify(mode)}`);
  if (mode === 'lease' && !checkQuorum) fail('raft.readMode: lease reads need raft.checkQuorum true');
  const out: Json = { readMode: mode };
  const drift = raft.clockDriftBoundTicks;
  if (drift !== undefined) {
    if (mode !== 'lease') fail('raft.clockDriftBoundTicks: only with raft.readMode "lease"');
    if (!(Number.isInteger(drift) && (drift as number) >= 0)) fail(`raft.clockDriftBoundTicks: must be a non-negative integer, got ${JSON.stringify(drift)}`);
    out.clockDriftBoundTicks = drift;
  }
  const followerReads = raft.followerReads;
  if (followerReads !== undefined) {
    if (typeof followerReads !== 'boolean') fail(`raft.followerReads: must be true or false, got ${JSON.stringify(followerReads)}`);
    if (followerReads && mode !== 'read-index') fail('raft.followerReads: only with raft.readMode "read-index"');
    out.followerReads = followerReads;
  }
  return out;
}

/** Refuses the first unknown field, depth first in the file's order, schedule actions included. */
function checkFieldNames(obj: Json, path: string): void {
  const known = knownFields(path)!;
  for (const [key, value] of Object.entries(obj)) {
    const problem = fieldNameProblem(key, path, known);
    if (problem) fail(problem);
    const child = fieldPath(path, key);
    if (knownFields(child) !== null && isObject(value)) checkFieldNames(value, child);
    if (child === 'faults.schedule' && Array.isArray(value)) {
      for (const [i, item] of value.entries()) {
        const fields = isObject(item) ? faultActionFields(item.kind) : null;
        const itemProblem = fields && unknownFieldProblem(item as Json, `faults.schedule[${i}]`, fields);
        if (itemProblem) fail(itemProblem);
      }
    }
  }
}

/** Reads one section's numeric fields; records each value under its path (later defaults may take it). */
function parseTable(obj: Json, path: string, table: Readonly<Record<string, NumberField>>, values: Values): Json {
  const out: Json = {};
  for (const [key, field] of Object.entries(table)) {
    const full = fieldPath(path, key);
    const value = obj[key] === undefined ? defaultOf(field, values) : checkNumber(obj[key], full, field);
    values.set(full, value);
    out[key] = value;
  }
  return out;
}

function defaultOf(field: NumberField, values: Values): number | null {
  const def = field.default;
  return def !== null && typeof def === 'object' ? values.get(def.from)! : def;
}

function checkNumber(value: unknown, full: string, field: NumberField): number | null {
  if (value === null && field.nullable) return null;
  const orNull = field.nullable ? ', or null (not checked)' : '';
  if (field.type === 'int') {
    if (typeof value !== 'number' || !Number.isInteger(value)) fail(`${full}: must be an integer${orNull}, got ${JSON.stringify(value)}`);
    if (value < field.min || value > field.max) fail(`${full}: must be between ${field.min} and ${field.max}${orNull}, got ${value}`);
    return value;
  }
  if (typeof value !== 'number' || !(value >= field.min && value <= field.max)) {
    fail(`${full}: must be a number from ${field.min} to ${field.max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Relations every scenario needs, recorded ones included. */
function checkRelations(s: Scenario, clientNetwork: Json): void {
  const t = s.timing;
  atLeast('timing.electionTicksMax', t.electionTicksMax, 'timing.electionTicksMin', t.electionTicksMin);
  const drift = s.raft.clockDriftBoundTicks;
  if (drift !== undefined && drift >= t.electionTicksMin) fail(`raft.clockDriftBoundTicks (${drift}) must be below timing.electionTicksMin (${t.electionTicksMin})`);
  if (t.heartbeatTicks >= t.electionTicksMin) fail(`timing.heartbeatTicks: must be below timing.electionTicksMin (${t.electionTicksMin}), got ${t.heartbeatTicks}`);
  atLeast('timing.latencyMsMean', t.latencyMsMean, 'timing.latencyMsMin', t.latencyMsMin);
  atLeast('timing.latencyMsMax', t.latencyMsMax, 'timing.latencyMsMin', t.latencyMsMin);
  atLeast('timing.fsyncMsMax', t.fsyncMsMax, 'timing.fsyncMsMin', t.fsyncMsMin);
  const c = s.clientNetwork;
  const from = (key: string) => (clientNetwork[key] === undefined ? ` (not set: it takes timing.${key})` : '');
  atLeast('clientNetwork.latencyMsMean', c.latencyMsMean, 'clientNetwork.latencyMsMin', c.latencyMsMin, from('latencyMsMean'));
  atLeast('clientNetwork.latencyMsMax', c.latencyMsMax, 'clientNetwork.latencyMsMin', c.latencyMsMin, from('latencyMsMax'));
  atLeast('faults.faultMsMax', s.faults.faultMsMax, 'faults.faultMsMin', s.faults.faultMsMin);
  for (const [i, action] of s.faults.schedule.entries()) {
    for (const [field, node] of actionNodes(action)) {
      if (node > s.nodes) fail(`faults.schedule[${i}].${field}: ${nodeName(node)}, but the cluster has ${s.nodes} nodes (n1 to n${s.nodes})`);
    }
  }
}

function atLeast(field: string, value: number, other: string, otherValue: number, note = ''): void {
  if (value < otherValue) fail(`${field}: must be ≥ ${other} (${otherValue}), got ${value}${note}`);
}

/** Each node an action names, with the field (and index) that names it. */
function actionNodes(action: FaultAction): [string, number][] {
  const out: [string, number][] = [];
  const a = action as Record<string, unknown>;
  for (const key of ['node', 'from', 'to']) if (typeof a[key] === 'number') out.push([key, a[key] as number]);
  for (const key of ['nodes', 'order']) if (Array.isArray(a[key])) (a[key] as number[]).forEach((n, i) => out.push([`${key}[${i}]`, n]));
  if (Array.isArray(a.groups)) (a.groups as number[][]).forEach((g, i) => g.forEach((n, j) => out.push([`groups[${i}][${j}]`, n])));
  return out;
}

/** Settings that would quietly do nothing (or act after the heal): refused in hand-written files. */
function checkQuietMistakes(s: Scenario): void {
  for (const [i, action] of s.faults.schedule.entries()) {
    if (action.atMs >= s.durationMs) fail(`faults.schedule[${i}].atMs: ${action.atMs} is at or after durationMs ${s.durationMs} (the heal); schedule faults before it`);
  }
  const { meanIntervalMs, kinds } = s.faults;
  const weighted = RANDOM_FAULT_KINDS.filter((kind) => (kinds[kind] ?? 0) > 0);
  if (meanIntervalMs === 0 && weighted.length > 0) {
    fail(`faults.kinds.${weighted[0]}: weight ${kinds[weighted[0]!]} does nothing while faults.meanIntervalMs is 0 or absent (random faults off); set faults.meanIntervalMs`);
  }
  if (meanIntervalMs > 0 && weighted.length === 0) {
    fail(`faults.meanIntervalMs: ${meanIntervalMs} turns random faults on, but no kind in faults.kinds has a positive weight; give one a weight (e.g. "crash": 1)`);
  }
  const { fsyncSpikeRatio, fsyncSpikeMsMax } = s.disk;
  if (fsyncSpikeRatio > 0 && fsyncSpikeMsMax === 0) fail(`disk.fsyncSpikeRatio: ${fsyncSpikeRatio} does nothing while disk.fsyncSpikeMsMax is 0 or absent; set disk.fsyncSpikeMsMax`);
  if (fsyncSpikeRatio === 0 && fsyncSpikeMsMax > 0) fail(`disk.fsyncSpikeMsMax: ${fsyncSpikeMsMax} does nothing while disk.fsyncSpikeRatio is 0 or absent; set disk.fsyncSpikeRatio`);
  if (s.disk.storage === 'model') {
    const engineOnly = ENGINE_FAULT_KINDS.find((kind) => (kinds[kind] ?? 0) > 0);
    if (engineOnly) fail(`faults.kinds.${engineOnly}: does nothing while disk.storage is "model" (no files to damage or fill); set disk.storage to "engine"`);
    const i = s.faults.schedule.findIndex((action) => (ENGINE_FAULT_KINDS as readonly string[]).includes(action.kind));
    if (i >= 0) fail(`faults.schedule[${i}].kind: ${s.faults.schedule[i]!.kind} does nothing while disk.storage is "model"; set disk.storage to "engine"`);
  }
}

/** Fault kinds that need files: only runs on the storage engine have them. */
const ENGINE_FAULT_KINDS = ['disk-damage', 'disk-full'] as const;

function fail(message: string): never {
  throw new ScenarioError(message);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, field: string): Json {
  if (!isObject(value)) fail(`${field}: must be an object, got ${Array.isArray(value) ? 'a list' : JSON.stringify(value)}`);
  return value;
}

function sectionOf(root: Json, key: string): Json {
  return root[key] === undefined ? {} : object(root[key], key);
}

/** disk.storage: which disk the machines have (see StorageModel). */
function parseStorage(value: unknown): StorageModel {
  if (value === undefined) return DEFAULT_STORAGE_MODEL;
  if (value !== 'engine' && value !== 'model') fail(`disk.storage: must be "engine" (the real storage engine on a simulated file system) or "model" (the fast in-memory model), got ${JSON.stringify(value)}`);
  return value;
}

function optionalString(root: Json, key: string): string | undefined {
  const value = root[key];
  if (value !== undefined && typeof value !== 'string') fail(`${key}: must be a string, got ${JSON.stringify(value)}`);
  return value;
}

function weight(obj: Json, path: string, key: string): number {
  const value = obj[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_WEIGHT) {
    fail(`${fieldPath(path, key)}: must be an integer weight between 0 and ${MAX_WEIGHT}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function parseMix(value: unknown): Record<OpKind, number> {
  if (value === undefined) return { ...DEFAULT_MIX };
  const obj = object(value, 'workload.mix');
  const mix = { get: 0, put: 0, append: 0, delete: 0, cas: 0 };
  for (const kind of OP_KINDS) if (obj[kind] !== undefined) mix[kind] = weight(obj, 'workload.mix', kind);
  if (OP_KINDS.every((kind) => mix[kind] === 0)) fail('workload.mix: must give some operation a positive weight');
  return mix;
}

function parseKinds(value: unknown): Partial<Record<RandomFaultKind, number>> {
  if (value === undefined) return {};
  const obj = object(value, 'faults.kinds');
  const kinds: Partial<Record<RandomFaultKind, number>> = {};
  for (const kind of RANDOM_FAULT_KINDS) if (obj[kind] !== undefined) kinds[kind] = weight(obj, 'faults.kinds', kind);
  return kinds;
}

function parseSchedule(value: unknown): FaultAction[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(`faults.schedule: must be a list of fault actions, got ${JSON.stringify(value)}`);
  return value.map((item, i) => {
    const result = parseFaultAction(item, `faults.schedule[${i}]`);
    if (typeof result === 'string') fail(result);
    return result;
  });
}
