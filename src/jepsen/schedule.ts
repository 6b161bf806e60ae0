/**
 * The fault schedule, drawn from the seed before the run: when each fault starts, how long it
 * lasts, what kind it is and whom it targets. "The leader" is a target here and is resolved only
 * when the fault begins (by asking /status), since no seed can say who will lead then.
 *
 * The kinds come round in seeded shuffled rounds, so every chosen kind occurs as soon as the run
 * is long enough for one round; each kind has variants that also come round in shuffled rounds:
 * - kill: one node (the leader or a named one), a majority, or every node (then all restart);
 * - pause: one node briefly, or the leader for longer than the client's deadline;
 * - partition: isolate a node, isolate the leader, or split; in `clients: 'minority'` variants
 *   the odd-numbered clients talk only to the minority side while it lasts;
 * - member: remove a voter (the leader or a named node) from the configuration; when the fault
 *   ends, add it back as a learner and promote it (src/raft/membership.ts, one server at a time).
 * Faults may overlap: a fault may begin while the one before it is still in force (never more than
 * two at once, never two partitions at once), except the majority and all-node kills and the
 * membership changes, which are alone (with one voter out, one more fault would stop the cluster,
 * and the change back needs a majority of the smaller configuration).
 */
import seedrandom from 'seedrandom';
import type { FaultKind } from './types.js';

export type PartitionShape = 'isolate' | 'isolate-leader' | 'split';
/** Whom a kill or pause hits: the leader, a named node, a majority or all. */
export type ProcessTarget = 'leader' | 'majority' | 'all' | string;

export type PlannedFault =
  | { readonly kind: 'kill' | 'pause'; readonly atMs: number; readonly durationMs: number; readonly target: ProcessTarget;
      /** majority and all: the nodes (for majority, drawn by the seed). */
      readonly nodes?: readonly string[] }
  | { readonly kind: 'partition'; readonly atMs: number; readonly durationMs: number; readonly shape: PartitionShape;
      /** isolate: the node; split: the minority side. Empty for isolate-leader. */
      readonly nodes: readonly string[];
      /** minority: the odd-numbered clients are sent to the minority side while it lasts. */
      readonly clients: 'all-nodes' | 'minority' }
  /** Remove `target` (the leader, resolved when it begins, or a named node) from the configuration, for the duration. */
  | { readonly kind: 'member'; readonly atMs: number; readonly durationMs: number; readonly target: 'leader' | string };

export interface ScheduleOptions {
  readonly seed: number;
  readonly nodes: readonly string[];
  readonly kinds: readonly FaultKind[];
  /** The faults phase; no fault lasts past it. */
  readonly durationMs: number;
  /** Quiet time at the start, so that the cluster has a leader and clients are running. */
  readonly warmupMs?: number;
  readonly faultMsMin?: number;
  readonly faultMsMax?: number;
  readonly gapMsMin?: number;
  readonly gapMsMax?: number;
  /** Long pauses last longer than this (the client's deadline), by 1 to 4 s. */
  readonly clientDeadlineMs?: number;
}

type Variant = 'kill-one' | 'kill-majority' | 'kill-all' | 'pause-short' | 'pause-long' | 'partition' | 'partition-minority-clients' | 'member-leader' | 'member-one';
const VARIANTS: Record<FaultKind, readonly Variant[]> = {
  kill: ['kill-one', 'kill-majority', 'kill-all'],
  pause: ['pause-short', 'pause-long'],
  partition: ['partition', 'partition-minority-clients'],
  member: ['member-leader', 'member-one'],
};

/** Faults that take a majority down, and membership changes: they never overlap another fault. */
export function isExclusive(fault: PlannedFault): boolean {
  return fault.kind === 'member' || (fault.kind === 'kill' && (fault.target === 'majority' || fault.target === 'all'));
}

export function planFaults(options: ScheduleOptions): PlannedFault[] {
  const { nodes, kinds } = options;
  const random = seedrandom.alea(`jepsen-faults-${options.seed}`);
  const between = (min: number, max: number): number => Math.round(min + random() * (max - min));
  const faultMin = options.faultMsMin ?? 1_500;
  const faultMax = options.faultMsMax ?? 4_000;
  const deadline = options.clientDeadlineMs ?? 6_000;
  const plan: PlannedFault[] = [];
  let round: FaultKind[] = [];
  const variantRounds = new Map<FaultKind, Variant[]>();
  /** The latest end among the faults before the last one (an overlap must start after it). */
  let endBeforeLast = 0;
  let lastEnd = options.warmupMs ?? 1_000;
  while (kinds.length > 0) {
    if (round.length === 0) round = shuffled(kinds, random);
    const kind = round[0]!;
    if ((variantRounds.get(kind) ?? []).length === 0) variantRounds.set(kind, shuffled(VARIANTS[kind], random));
    const variant = variantRounds.get(kind)![0]!;
    const durationMs = variant === 'pause-long' ? between(deadline + 1_000, deadline + 4_000) : between(faultMin, faultMax);
    const fault = drawFault(variant, nodes, random);
    const previous = plan[plan.length - 1];
    let at = lastEnd + (plan.length === 0 ? 0 : between(options.gapMsMin ?? 500, options.gapMsMax ?? 1_500));
    if (previous !== undefined && random() < 0.5) {
      const overlapAt = previous.atMs + Math.round(previous.durationMs * (0.2 + random() * 0.5));
      const compatible = !isExclusive(previous) && !isExclusive({ ...fault, atMs: 0, durationMs: 0 } as PlannedFault) &&
        !(previous.kind === 'partition' && kind === 'partition') && overlapAt >= endBeforeLast;
      if (compatible) at = overlapAt;
    }
    // The last fault is cut short rather than dropped, if at least the shortest fault fits.
    if (at + faultMin > options.durationMs) break;
    const length = Math.min(durationMs, options.durationMs - at);
    round.shift();
    variantRounds.get(kind)!.shift();
    plan.push({ ...fault, atMs: at, durationMs: length } as PlannedFault);
    endBeforeLast = lastEnd;
    lastEnd = Math.max(lastEnd, at + length);
  }
  return plan;
}

type Unplaced = Omit<Extract<PlannedFault, { kind: 'kill' | 'pause' }>, 'atMs' | 'durationMs'> | Omit<Extract<PlannedFault, { kind: 'partition' }>, 'atMs' | 'durationMs'>
  | Omit<Extract<PlannedFault, { kind: 'member' }>, 'atMs' | 'durationMs'>;

function drawFault(variant: Variant, nodes: readonly string[], random: () => number): Unplaced {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  switch (variant) {
    case 'kill-majority':
      return { kind: 'kill', target: 'majority', nodes: shuffled(nodes, random).slice(0, Math.floor(nodes.length / 2) + 1).sort() };
    case 'kill-all':
      return { kind: 'kill', target: 'all', nodes: [...nodes] };
    case 'kill-one':
    case 'pause-short':
      return { kind: variant === 'kill-one' ? 'kill' : 'pause', target: random() < 0.5 ? 'leader' : pick(nodes) };
    case 'pause-long':
      return { kind: 'pause', target: 'leader' };
    case 'member-leader':
      return { kind: 'member', target: 'leader' };
    case 'member-one':
      return { kind: 'member', target: pick(nodes) };
    case 'partition':
    case 'partition-minority-clients': {
      const shape = pick<PartitionShape>(['isolate', 'isolate-leader', 'split']);
      const minority = shape === 'split' ? shuffled(nodes, random).slice(0, Math.floor((nodes.length - 1) / 2)) : shape === 'isolate' ? [pick(nodes)] : [];
      return { kind: 'partition', shape, nodes: minority, clients: variant === 'partition' ? 'all-nodes' : 'minority' };
    }
  }
}

/**
 * One line per planned fault, for the console and people reading faults.json. With `phaseStart`
 * the time is on the test clock (ms since the test started), the base of every other time shown.
 */
export function describePlanned(fault: PlannedFault, phaseStart = 0): string {
  const when = `${String(phaseStart + fault.atMs).padStart(7)} ms +${fault.durationMs} ms`;
  if (fault.kind === 'partition') {
    const who = fault.shape === 'isolate-leader' ? 'the leader' : fault.nodes.join(',');
    return `${when}  partition ${fault.shape} ${who}${fault.clients === 'minority' ? ', odd clients on the minority side' : ''}`;
  }
  if (fault.kind === 'member') return `${when}  member remove ${fault.target === 'leader' ? 'the leader' : fault.target}, then add it back and promote it`;
  const who = fault.target === 'majority' ? `a majority (${fault.nodes!.join(',')})` : fault.target === 'all' ? 'every node' : fault.target === 'leader' ? 'the leader' : fault.target;
  return `${when}  ${fault.kind} ${who}`;
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
