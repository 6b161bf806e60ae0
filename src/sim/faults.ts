/**
 * Fault actions: what the nemesis does, at a virtual time. A run's faults are an explicit list of
 * these (drawn from the seed, or written in the scenario), so that a failing run can be shrunk by
 * cutting items from the list. A target of 'leader' is resolved when the action fires.
 */
import { suggestion, unknownFieldProblem } from './fields.js';

export type NodeTarget = number | 'leader';

export type FaultAction =
  /** `forMs`: restart the crashed node(s) that long after (else they stay down until a restart). */
  | { readonly atMs: number; readonly kind: 'crash'; readonly node: NodeTarget; readonly forMs?: number }
  | { readonly atMs: number; readonly kind: 'crash-many'; readonly nodes: number[]; readonly forMs?: number }
  | { readonly atMs: number; readonly kind: 'crash-all'; readonly forMs?: number }
  /**
   * Arms a trap: the next node to become leader crashes `afterMs` after its election (for `forMs`),
   * before it can replicate much: the Figure 8 situation, reached on purpose rather than by luck.
   */
  | { readonly atMs: number; readonly kind: 'crash-next-leader'; readonly afterMs: number; readonly forMs?: number }
  | { readonly atMs: number; readonly kind: 'restart'; readonly node: number }
  | { readonly atMs: number; readonly kind: 'restart-all' }
  /** Nodes in one group talk to each other only; a node in no group talks to nobody. */
  | { readonly atMs: number; readonly kind: 'partition'; readonly groups: number[][] }
  | { readonly atMs: number; readonly kind: 'isolate'; readonly node: NodeTarget }
  /** Two halves that cannot talk, and one node that talks to both. */
  | { readonly atMs: number; readonly kind: 'bridge'; readonly node: number }
  /** Every node sees a majority (itself and its nearest neighbours on a ring), no two the same. */
  | { readonly atMs: number; readonly kind: 'ring'; readonly order: number[] }
  | { readonly atMs: number; readonly kind: 'one-way'; readonly from: number; readonly to: number }
  | { readonly atMs: number; readonly kind: 'hold'; readonly from: number; readonly to: number }
  | { readonly atMs: number; readonly kind: 'release'; readonly from: number; readonly to: number }
  /** Heals every partition between nodes and every cut between clients and nodes. */
  | { readonly atMs: number; readonly kind: 'heal' }
  /** The next message sent on from→to is held `forMs` beyond its latency (far past an election timeout). */
  | { readonly atMs: number; readonly kind: 'delay'; readonly from: number; readonly to: number; readonly forMs: number }
  /** A copy of an old message sent on from→to (from the link's bounded memory, chosen by the seed) is delivered again now. */
  | { readonly atMs: number; readonly kind: 'replay'; readonly from: number; readonly to: number }
  /** The node stops (no ticks, no deliveries, no fsync completions seen) for `forMs`, then resumes with its inbox full. */
  | { readonly atMs: number; readonly kind: 'pause'; readonly node: NodeTarget; readonly forMs: number }
  /** Arms a trap: the next node to become leader is paused `afterMs` after its election, for `forMs`. */
  | { readonly atMs: number; readonly kind: 'pause-next-leader'; readonly afterMs: number; readonly forMs: number }
  /** The node's clock jumps: forward (ms > 0) fires the ticks of `ms` at once; backward (ms < 0) gives no ticks for |ms|. */
  | { readonly atMs: number; readonly kind: 'clock-jump'; readonly node: number; readonly ms: number }
  /** The node's fsyncs take `factor` times longer for `forMs`. */
  | { readonly atMs: number; readonly kind: 'slow-disk'; readonly node: number; readonly factor: number; readonly forMs: number }
  /** Clients reach only these nodes (until a heal): e.g. clients cut off with a minority. */
  | { readonly atMs: number; readonly kind: 'clients-reach'; readonly nodes: number[] }
  /** Arms a trap: the next node that installs a snapshot from its leader crashes right after (before its fsync). */
  | { readonly atMs: number; readonly kind: 'crash-next-snapshot-installer'; readonly forMs?: number }
  /**
   * With disk.storage "engine": the machine crashes (if up) and its synced data is damaged at rest
   * where its storage engine vouches for it (diskDamage.ts); with `forMs`, it restarts that long
   * after. The engine must notice and refuse to start, or recover without losing a write.
   */
  | { readonly atMs: number; readonly kind: 'disk-damage'; readonly node: number; readonly damage: DiskDamage; readonly forMs?: number }
  /** With disk.storage "engine": the node's disk is full for `forMs` (writes fail with ENOSPC). */
  | { readonly atMs: number; readonly kind: 'disk-full'; readonly node: number; readonly forMs: number }
  /**
   * The leader at that time is asked to hand leadership to `to` (thesis §3.10), as an operator or a
   * graceful shutdown would; without `to`, or when `to` is the leader, to another node drawn from
   * the seed. Nothing happens when there is no leader.
   */
  | { readonly atMs: number; readonly kind: 'transfer-leader'; readonly to?: number }
  /**
   * Membership changes, one server at a time (thesis ch. 4), asked of the leader at that time (as an
   * operator would): add `node` as a learner, promote learner `node` to voter, remove `node` (voter
   * or learner; 'leader' is the leader itself). Without `node`, one that makes sense is drawn from
   * the seed when it fires (a non-member, a learner, a member). Nothing happens without a leader;
   * a refusal (a change pending, no such change) is traced and skipped.
   */
  | { readonly atMs: number; readonly kind: 'add-learner'; readonly node?: number }
  | { readonly atMs: number; readonly kind: 'promote'; readonly node?: number }
  | { readonly atMs: number; readonly kind: 'remove'; readonly node?: NodeTarget };

/** Damage at rest (TigerBeetle's storage faults): a flipped bit, a zeroed sector, a write lost, or one that landed elsewhere. */
export type DiskDamage = 'bit-flip' | 'zero-sector' | 'lost-write' | 'misdirected-write';
export const DISK_DAMAGES: readonly DiskDamage[] = ['bit-flip', 'zero-sector', 'lost-write', 'misdirected-write'];

export type FaultKind = FaultAction['kind'];

/** The largest cluster a scenario may name: node ids are n1 … n9. */
export const MAX_NODE_ID = 9;

/**
 * A node id as a user writes it: `"n3"` (the form raftsim prints), or a bare `3` or `"3"` (kept
 * for files and flags written before names). null for anything else, n0 and n10 included.
 */
export function parseNodeId(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1 && value <= MAX_NODE_ID ? value : null;
  if (typeof value !== 'string') return null;
  const match = /^n?([1-9])$/.exec(value);
  return match ? Number(match[1]) : null;
}

/** How a user reads a node id: `n3`, or `leader` for the leader at the time of a fault. */
export function nodeName(node: NodeTarget): string {
  return node === 'leader' ? 'leader' : `n${node}`;
}

/** The node-id problem for `value`, in one phrase. */
export function nodeIdProblem(value: unknown, leaderOk = false): string {
  return `must be a node id, n1 to n${MAX_NODE_ID}${leaderOk ? ', or "leader"' : ''}; got ${JSON.stringify(value)}`;
}

type FieldType = 'node' | 'target' | 'nodes' | 'groups' | 'ms' | 'signedMs' | 'factor' | 'damage';

interface ActionSpec {
  /** The action's fields besides atMs and kind, in the order they are written back. */
  readonly fields: Readonly<Record<string, FieldType>>;
  readonly optional?: readonly string[];
}

const FOR_MS_OPTIONAL: ActionSpec['optional'] = ['forMs'];
const ACTIONS: Readonly<Record<FaultKind, ActionSpec>> = {
  crash: { fields: { node: 'target', forMs: 'ms' }, optional: FOR_MS_OPTIONAL },
  'crash-many': { fields: { nodes: 'nodes', forMs: 'ms' }, optional: FOR_MS_OPTIONAL },
  'crash-all': { fields: { forMs: 'ms' }, optional: FOR_MS_OPTIONAL },
  'crash-next-leader': { fields: { afterMs: 'ms', forMs: 'ms' }, optional: FOR_MS_OPTIONAL },
  restart: { fields: { node: 'node' } },
  'restart-all': { fields: {} },
  partition: { fields: { groups: 'groups' } },
  isolate: { fields: { node: 'target' } },
  bridge: { fields: { node: 'node' } },
  ring: { fields: { order: 'nodes' } },
  'one-way': { fields: { from: 'node', to: 'node' } },
  hold: { fields: { from: 'node', to: 'node' } },
  release: { fields: { from: 'node', to: 'node' } },
  heal: { fields: {} },
  delay: { fields: { from: 'node', to: 'node', forMs: 'ms' } },
  replay: { fields: { from: 'node', to: 'node' } },
  pause: { fields: { node: 'target', forMs: 'ms' } },
  'pause-next-leader': { fields: { afterMs: 'ms', forMs: 'ms' } },
  'clock-jump': { fields: { node: 'node', ms: 'signedMs' } },
  'slow-disk': { fields: { node: 'node', factor: 'factor', forMs: 'ms' } },
  'clients-reach': { fields: { nodes: 'nodes' } },
  'crash-next-snapshot-installer': { fields: { forMs: 'ms' }, optional: FOR_MS_OPTIONAL },
  'disk-damage': { fields: { node: 'node', damage: 'damage', forMs: 'ms' }, optional: FOR_MS_OPTIONAL },
  'disk-full': { fields: { node: 'node', forMs: 'ms' } },
  'transfer-leader': { fields: { to: 'node' }, optional: ['to'] },
  'add-learner': { fields: { node: 'node' }, optional: ['node'] },
  promote: { fields: { node: 'node' }, optional: ['node'] },
  remove: { fields: { node: 'target' }, optional: ['node'] },
};
export const FAULT_KINDS = Object.keys(ACTIONS) as FaultKind[];

/** The fields an action of this kind may have (atMs and kind included); null for an unknown kind. */
export function faultActionFields(kind: unknown): readonly string[] | null {
  if (typeof kind !== 'string' || !(kind in ACTIONS)) return null;
  return ['atMs', 'kind', ...Object.keys(ACTIONS[kind as FaultKind].fields)];
}

/** Every time in an action (atMs, forMs, afterMs, |ms|) is at most this: about 11.5 virtual days. */
export const MAX_ACTION_MS = 1e9;
export const MAX_SLOW_DISK_FACTOR = 1000;

/** A problem at `sub` (e.g. `[1]`) below the field being parsed. */
class Problem {
  constructor(readonly text: string, readonly sub = '') {}
}

/**
 * Parses one action, written with node ids as `"n2"` (or bare numbers); returns it with numeric
 * ids, or a one-line problem starting with the full path of the field: `faults.schedule[2].frm:
 * unknown field (did you mean from?)`. `path` names the action itself (e.g. `faults.schedule[2]`).
 */
export function parseFaultAction(raw: unknown, path: string): FaultAction | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return `${path}: must be an object like {"atMs": 1000, "kind": "crash", "node": "n2"}`;
  const obj = raw as Record<string, unknown>;
  const kind = obj.kind;
  if (typeof kind !== 'string' || !(kind in ACTIONS)) {
    const got = kind === undefined ? 'missing' : `unknown action ${JSON.stringify(kind)}`;
    return `${path}.kind: ${got} ${typeof kind === 'string' ? suggestion(kind, FAULT_KINDS) : `(known: ${FAULT_KINDS.join(', ')})`}`;
  }
  const spec = ACTIONS[kind as FaultKind];
  const unknown = unknownFieldProblem(obj, path, faultActionFields(kind)!);
  if (unknown) return unknown;
  const atMs = parseField('ms', obj.atMs);
  if (obj.atMs === undefined) return `${path}.atMs: missing (when the action fires, in virtual ms)`;
  if (atMs instanceof Problem) return `${path}.atMs: ${atMs.text}`;
  const action: Record<string, unknown> = { atMs, kind };
  for (const [field, type] of Object.entries(spec.fields)) {
    if (obj[field] === undefined) {
      if (spec.optional?.includes(field)) continue;
      return `${path}.${field}: missing (a ${kind} action needs ${Object.keys(spec.fields).join(', ')})`;
    }
    const value = parseField(type, obj[field]);
    if (value instanceof Problem) return `${path}.${field}${value.sub}: ${value.text}`;
    action[field] = value;
  }
  if ('from' in action && action.from === action.to) return `${path}.to: must differ from from (both are ${nodeName(action.to as number)})`;
  return action as unknown as FaultAction;
}

function parseField(type: FieldType, value: unknown): unknown {
  switch (type) {
    case 'node':
    case 'target': {
      if (type === 'target' && value === 'leader') return value;
      return parseNodeId(value) ?? new Problem(nodeIdProblem(value, type === 'target'));
    }
    case 'nodes':
      return parseNodeList(value, new Set());
    case 'groups': {
      if (!Array.isArray(value)) return new Problem('must be a list of groups, each a list of node ids, e.g. [["n1"], ["n2", "n3"]]');
      const seen = new Set<number>();
      const groups: number[][] = [];
      for (const [i, group] of value.entries()) {
        const nodes = parseNodeList(group, seen);
        if (nodes instanceof Problem) return new Problem(nodes.text, `[${i}]${nodes.sub}`);
        groups.push(nodes);
      }
      return groups;
    }
    case 'ms':
      return integerIn(value, 0, MAX_ACTION_MS);
    case 'signedMs':
      return integerIn(value, -MAX_ACTION_MS, MAX_ACTION_MS);
    case 'factor':
      return integerIn(value, 1, MAX_SLOW_DISK_FACTOR);
    case 'damage':
      return DISK_DAMAGES.includes(value as DiskDamage) ? value : new Problem(`must be one of ${DISK_DAMAGES.join(', ')}; got ${JSON.stringify(value)}`);
  }
}

/** A list of node ids, none in `seen` (which it extends): a node may not be listed twice. */
function parseNodeList(value: unknown, seen: Set<number>): number[] | Problem {
  if (!Array.isArray(value)) return new Problem(`must be a list of node ids, e.g. ["n1", "n3"]; got ${JSON.stringify(value)}`);
  const nodes: number[] = [];
  for (const [i, item] of value.entries()) {
    const node = parseNodeId(item);
    if (node === null) return new Problem(nodeIdProblem(item), `[${i}]`);
    if (seen.has(node)) return new Problem(`${nodeName(node)} is listed twice`, `[${i}]`);
    seen.add(node);
    nodes.push(node);
  }
  return nodes;
}

function integerIn(value: unknown, min: number, max: number): number | Problem {
  if (typeof value !== 'number' || !Number.isInteger(value)) return new Problem(`must be an integer, got ${JSON.stringify(value)}`);
  if (value < min || value > max) return new Problem(`must be from ${min} to ${max}, got ${value}`);
  return value;
}

/** The action as a user reads it in a file: node ids as names (`"n2"`), every other field as is. */
export function faultActionJson(action: FaultAction): Record<string, unknown> {
  const json: Record<string, unknown> = { ...action };
  const name = (node: unknown) => (typeof node === 'number' ? nodeName(node) : node);
  for (const key of ['node', 'from', 'to'] as const) if (key in json) json[key] = name(json[key]);
  for (const key of ['nodes', 'order'] as const) if (Array.isArray(json[key])) json[key] = (json[key] as unknown[]).map(name);
  if (Array.isArray(json.groups)) json.groups = (json.groups as unknown[][]).map((group) => group.map(name));
  return json;
}

/** A short human description, for traces and reports (mixed into the trace hash: keep it stable). */
export function describeFault(action: FaultAction): string {
  const text = describeAction(action);
  if (action.kind === 'delay') return text;
  return 'forMs' in action && action.forMs !== undefined ? `${text} for ${action.forMs} ms` : text;
}

function describeAction(action: FaultAction): string {
  switch (action.kind) {
    case 'crash':
    case 'restart':
    case 'isolate':
    case 'bridge':
    case 'pause':
      return `${action.kind} ${nodeName(action.node)}`;
    case 'crash-many':
      return `crash ${action.nodes.map(nodeName).join(',')}`;
    case 'crash-next-leader':
      return `crash the next leader ${action.afterMs} ms after its election`;
    case 'pause-next-leader':
      return `pause the next leader ${action.afterMs} ms after its election`;
    case 'crash-next-snapshot-installer':
      return 'crash the next snapshot installer';
    case 'partition':
      return `partition ${action.groups.map((g) => g.map(nodeName).join(',')).join(' | ')}`;
    case 'ring':
      return `ring ${action.order.map(nodeName).join('-')}`;
    case 'one-way':
    case 'hold':
    case 'release':
      return `${action.kind} ${nodeName(action.from)}->${nodeName(action.to)}`;
    case 'delay':
      return `delay next ${nodeName(action.from)}->${nodeName(action.to)} message by ${action.forMs} ms`;
    case 'replay':
      return `replay a ${nodeName(action.from)}->${nodeName(action.to)} message`;
    case 'clock-jump':
      return `clock-jump ${nodeName(action.node)} ${action.ms >= 0 ? '+' : ''}${action.ms} ms`;
    case 'slow-disk':
      return `slow-disk ${nodeName(action.node)} x${action.factor}`;
    case 'disk-damage':
      return `disk-damage ${nodeName(action.node)} ${action.damage}`;
    case 'disk-full':
      return `disk-full ${nodeName(action.node)}`;
    case 'add-learner':
    case 'promote':
    case 'remove':
      return action.node === undefined ? action.kind : `${action.kind} ${nodeName(action.node)}`;
    case 'transfer-leader':
      return action.to === undefined ? 'transfer-leader' : `transfer-leader to ${nodeName(action.to)}`;
    case 'clients-reach':
      return action.nodes.length === 0 ? 'clients reach no node' : `clients reach ${action.nodes.map(nodeName).join(',')}`;
    default:
      return action.kind;
  }
}
