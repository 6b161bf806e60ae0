/**
 * Reads a simulator run's node and network history out of its trace (or, without a trace, out of
 * its fault list): role changes, crash/restart pairs as down intervals, and network faults folded
 * into bands with a start and an end, following the network's rules (src/sim/network.ts).
 */
import { describeFault, type FaultAction } from '../sim/faults.js';
import type { TraceRecord } from '../sim/trace.js';
import type { DownInterval, NetworkEvent, NodeEvent, RoleChange } from './types.js';

const name = (node: unknown): string => `n${String(node)}`;

/**
 * Role changes and down intervals, from the trace's role, crash and restart records. Every node
 * starts a follower of term 0 (the trace records changes only).
 */
export function nodeEventsFromTrace(trace: readonly TraceRecord[], nodes: readonly string[]): NodeEvent[] {
  const events: NodeEvent[] = nodes.map((node): RoleChange => ({ kind: 'role', node, t: 0, role: 'follower', term: 0 }));
  const term = new Map<string, number | null>(nodes.map((node) => [node, 0]));
  const down = new Map<string, { start: number; lost: number; index: number }>();
  for (const record of trace) {
    const t = Number(record.t);
    if (record.ev === 'role') {
      const node = name(record.node);
      term.set(node, typeof record.term === 'number' ? record.term : null);
      events.push({ kind: 'role', node, t, role: String(record.role), term: term.get(node) ?? null });
    } else if (record.ev === 'crash') {
      const node = name(record.node);
      down.set(node, { start: t, lost: Number(record.lostWrites ?? 0), index: events.length });
      events.push(downInterval(node, t, null, Number(record.lostWrites ?? 0)));
    } else if (record.ev === 'restart') {
      const node = name(record.node);
      const open = down.get(node);
      if (open) events[open.index] = downInterval(node, open.start, t, open.lost);
      down.delete(node);
      // A restarted node comes back a follower of the term it had persisted, without a role
      // record (its observer resets quietly), so say it here.
      const back: RoleChange = { kind: 'role', node, t, role: 'follower', term: term.get(node) ?? null };
      events.push(back);
    }
  }
  return events;
}

function downInterval(node: string, start: number, end: number | null, lost: number): DownInterval {
  const detail = lost > 0 ? `${lost} unsynced write${lost === 1 ? '' : 's'} lost` : 'no unsynced writes lost';
  return { kind: 'down', node, start, end, cause: 'crash', detail };
}

/** A fault as it happened: when, and its description (the first word names its kind). */
export interface FaultMoment {
  readonly t: number;
  readonly what: string;
}

/**
 * The fault moments of the trace, with the final heal as `heal-all`. A fault aimed at "leader" is
 * resolved as the world does (the live leader with the highest term) and says whom it hit.
 */
export function faultMomentsFromTrace(trace: readonly TraceRecord[]): FaultMoment[] {
  const moments: FaultMoment[] = [];
  const leaders = new Map<number, number>();
  const down = new Set<number>();
  for (const record of trace) {
    if (record.ev === 'role') {
      if (record.role === 'leader') leaders.set(Number(record.node), Number(record.term));
      else leaders.delete(Number(record.node));
    } else if (record.ev === 'crash') {
      down.add(Number(record.node));
    } else if (record.ev === 'restart') {
      down.delete(Number(record.node));
      leaders.delete(Number(record.node));
    } else if (record.ev === 'fault') {
      let what = String(record.what);
      const leader = currentLeader(leaders, down);
      if (leader !== null && /\bleader\b/.test(what) && !what.includes('next leader')) what = what.replace(/\bleader\b/, `leader (n${leader})`);
      moments.push({ t: Number(record.t), what });
    } else if (record.ev === 'heal-all') {
      moments.push({ t: Number(record.t), what: 'heal-all' });
    }
  }
  return moments;
}

function currentLeader(leaders: ReadonlyMap<number, number>, down: ReadonlySet<number>): number | null {
  let best: number | null = null;
  for (const [node, term] of leaders) {
    if (down.has(node)) continue;
    if (best === null || term > leaders.get(best)!) best = node;
  }
  return best;
}

/** Without a trace: the planned faults that fell within the run, and the heal if reached. */
export function faultMomentsFromPlan(faults: readonly FaultAction[], healAt: number, endMs: number): FaultMoment[] {
  const moments = faults.filter((f) => f.atMs <= endMs).map((f) => ({ t: f.atMs, what: describeFault(f) }));
  if (healAt <= endMs) {
    // The heal comes after the faults of the same time (it was scheduled after them).
    const at = moments.findIndex((m) => m.t > healAt);
    moments.splice(at === -1 ? moments.length : at, 0, { t: healAt, what: 'heal-all' });
  }
  return moments;
}

/** Network faults that replace every block in force (src/sim/nemesisActions.ts). */
const REPLACING = new Set(['partition', 'isolate', 'bridge', 'ring']);

/**
 * Bands from fault moments: a partition, isolation, bridge or ring replaces the blocks in force
 * (ending their bands); a one-way block adds to them; `heal` ends every block but not the holds;
 * `release` ends its hold; the final heal ends everything. Crashes and restarts are not network
 * faults (they are node events).
 */
export function networkEventsFromFaults(moments: readonly FaultMoment[]): NetworkEvent[] {
  const bands: { event: NetworkEvent; open: boolean }[] = [];
  const close = (t: number, which: (event: NetworkEvent) => boolean) => {
    for (const band of bands) {
      if (band.open && which(band.event)) {
        band.event = { ...band.event, end: t };
        band.open = false;
      }
    }
  };
  for (const { t, what } of moments) {
    const kind = what.split(' ')[0]!;
    if (REPLACING.has(kind)) {
      close(t, (e) => e.kind !== 'hold');
      bands.push({ event: band(kind, what, t), open: true });
    } else if (kind === 'one-way' || kind === 'hold') {
      bands.push({ event: band(kind, what, t), open: true });
    } else if (kind === 'heal') {
      close(t, (e) => e.kind !== 'hold');
    } else if (kind === 'release') {
      const link = what.slice('release '.length);
      close(t, (e) => e.kind === 'hold' && e.description === `hold ${link}`);
    } else if (kind === 'heal-all') {
      close(t, () => true);
    }
  }
  return bands.map((b) => b.event);
}

function band(kind: string, what: string, t: number): NetworkEvent {
  return { kind, description: what, start: t, end: null, nodes: singledOut(kind, what) };
}

/** The nodes a fault singles out: the smaller side of a partition, the isolated or bridging node, a link's ends. */
function singledOut(kind: string, what: string): string[] {
  const rest = what.slice(kind.length + 1);
  if (kind === 'ring') return [];
  if (kind === 'partition') {
    const groups = rest.split(' | ').map((group) => group.split(',').filter((n) => /^n\d+$/.test(n)));
    const smallest = groups.reduce((a, b) => (b.length < a.length ? b : a), groups[0] ?? []);
    return groups.length > 1 ? smallest : [];
  }
  return rest.match(/n\d+/g) ?? [];
}
