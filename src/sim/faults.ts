/**
 * Fault actions: what the nemesis does, at a virtual time. A run's faults are an explicit list of
 * these (drawn from the seed, or written in the scenario), so that a failing run can be shrunk by
 * cutting items from the list. A target of 'leader' is resolved when the action fires.
 */

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
  | { readonly atMs: number; readonly kind: 'crash-next-snapshot-installer'; readonly forMs?: number };

export type FaultKind = FaultAction['kind'];

const FIELDS: Record<FaultKind, readonly string[]> = {
  crash: ['node'],
  'crash-many': ['nodes'],
  'crash-all': [],
  'crash-next-leader': ['afterMs'],
  restart: ['node'],
  'restart-all': [],
  partition: ['groups'],
  isolate: ['node'],
  bridge: ['node'],
  ring: ['order'],
  'one-way': ['from', 'to'],
  hold: ['from', 'to'],
  release: ['from', 'to'],
  heal: [],
  delay: ['from', 'to', 'forMs'],
  replay: ['from', 'to'],
  pause: ['node', 'forMs'],
  'pause-next-leader': ['afterMs', 'forMs'],
  'clock-jump': ['node', 'ms'],
  'slow-disk': ['node', 'factor', 'forMs'],
  'clients-reach': ['nodes'],
  'crash-next-snapshot-installer': [],
};

/** Parses one action; returns it, or a one-line description of what is wrong. */
export function parseFaultAction(raw: unknown): FaultAction | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'must be an object';
  const obj = raw as Record<string, unknown>;
  const kind = obj.kind;
  if (typeof kind !== 'string' || !(kind in FIELDS)) {
    return `kind must be one of ${Object.keys(FIELDS).join(', ')}, got ${JSON.stringify(kind)}`;
  }
  if (typeof obj.atMs !== 'number' || !Number.isInteger(obj.atMs) || obj.atMs < 0) {
    return 'atMs must be a non-negative integer';
  }
  const crashKind = kind === 'crash' || kind === 'crash-many' || kind === 'crash-all' || kind === 'crash-next-leader' ||
    kind === 'crash-next-snapshot-installer';
  for (const key of Object.keys(obj)) {
    if (key === 'forMs' && crashKind) continue;
    if (key !== 'kind' && key !== 'atMs' && !FIELDS[kind as FaultKind].includes(key)) {
      return `${key} is not a field of a ${kind} action`;
    }
  }
  if (obj.forMs !== undefined && (typeof obj.forMs !== 'number' || !Number.isInteger(obj.forMs) || obj.forMs < 0)) {
    return 'forMs must be a non-negative integer';
  }
  for (const field of FIELDS[kind as FaultKind]) {
    const problem = checkField(kind as FaultKind, field, obj[field]);
    if (problem) return `${field} ${problem}`;
  }
  return obj as unknown as FaultAction;
}

function checkField(kind: FaultKind, field: string, value: unknown): string | null {
  const isNode = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1;
  const isNodes = (v: unknown) => Array.isArray(v) && v.every(isNode);
  if (field === 'node') {
    const leaderOk = kind === 'crash' || kind === 'isolate' || kind === 'pause';
    if (isNode(value) || (leaderOk && value === 'leader')) return null;
    return leaderOk ? 'must be a node id (1, 2, …) or "leader"' : 'must be a node id (1, 2, …)';
  }
  if (field === 'forMs' || field === 'ms' || field === 'factor') {
    return typeof value === 'number' && Number.isInteger(value) && (field === 'ms' || value >= (field === 'factor' ? 1 : 0))
      ? null : field === 'ms' ? 'must be an integer' : field === 'factor' ? 'must be an integer of at least 1' : 'must be a non-negative integer';
  }
  if (field === 'afterMs') return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? null : 'must be a non-negative integer';
  if (field === 'nodes' || field === 'order') return isNodes(value) ? null : 'must be a list of node ids';
  if (field === 'groups') {
    return Array.isArray(value) && value.every(isNodes) ? null : 'must be a list of lists of node ids';
  }
  return isNode(value) ? null : 'must be a node id (1, 2, …)';
}

/** A short human description, for traces and reports. */
export function describeFault(action: FaultAction): string {
  const text = describeAction(action);
  return 'forMs' in action && action.forMs !== undefined ? `${text} for ${action.forMs} ms` : text;
}

function describeAction(action: FaultAction): string {
  switch (action.kind) {
    case 'crash':
    case 'restart':
    case 'isolate':
    case 'bridge':
      return `${action.kind} ${nodeName(action.node)}`;
    case 'crash-many':
      return `crash ${action.nodes.map(nodeName).join(',')}`;
    case 'crash-next-leader':
      return `crash the next leader ${action.afterMs} ms after its election`;
    case 'partition':
      return `partition ${action.groups.map((g) => g.map(nodeName).join(',')).join(' | ')}`;
    case 'ring':
      return `ring ${action.order.map(nodeName).join('-')}`;
    case 'one-way':
    case 'hold':
    case 'release':
      return `${action.kind} ${nodeName(action.from)}->${nodeName(action.to)}`;
    default:
      return action.kind;
  }
}

export function nodeName(node: NodeTarget): string {
  return node === 'leader' ? 'leader' : `n${node}`;
}
