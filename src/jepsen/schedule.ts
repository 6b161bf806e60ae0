/**
 * The fault schedule, drawn from the seed before the run: when each fault starts, how long it
 * lasts, what kind it is and whom it targets. "The leader" is a target here and is resolved only
 * when the fault begins (by asking /status), since no seed can say who will lead then. The kinds
 * come round in seeded shuffled rounds, so every chosen kind occurs as soon as the run is long
 * enough for one round. One fault at a time: each is undone before the next one begins.
 */
import seedrandom from 'seedrandom';
import type { FaultKind } from './types.js';

export type PartitionShape = 'isolate' | 'isolate-leader' | 'split';

export type PlannedFault =
  | { readonly kind: 'kill' | 'pause'; readonly atMs: number; readonly durationMs: number; readonly target: 'leader' | string }
  | { readonly kind: 'partition'; readonly atMs: number; readonly durationMs: number; readonly shape: PartitionShape;
      /** isolate: the node; split: the minority side. Empty for isolate-leader. */
      readonly nodes: readonly string[] };

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
}

export function planFaults(options: ScheduleOptions): PlannedFault[] {
  const { nodes, kinds } = options;
  const random = seedrandom.alea(`jepsen-faults-${options.seed}`);
  const between = (min: number, max: number): number => Math.round(min + random() * (max - min));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const faultMin = options.faultMsMin ?? 1_500;
  const faultMax = options.faultMsMax ?? 4_000;
  const plan: PlannedFault[] = [];
  let round: FaultKind[] = [];
  let at = options.warmupMs ?? 1_000;
  while (kinds.length > 0) {
    const durationMs = between(faultMin, faultMax);
    // The last fault is cut short rather than dropped, if at least the shortest fault fits.
    if (at + faultMin > options.durationMs) break;
    const length = Math.min(durationMs, options.durationMs - at);
    if (round.length === 0) round = shuffled(kinds, random);
    const kind = round.shift()!;
    if (kind === 'partition') {
      const shape = pick<PartitionShape>(['isolate', 'isolate-leader', 'split']);
      const minority = shape === 'split' ? shuffled(nodes, random).slice(0, Math.floor((nodes.length - 1) / 2)) : shape === 'isolate' ? [pick(nodes)] : [];
      plan.push({ kind, atMs: at, durationMs: length, shape, nodes: minority });
    } else {
      plan.push({ kind, atMs: at, durationMs: length, target: random() < 0.5 ? 'leader' : pick(nodes) });
    }
    at += length + between(options.gapMsMin ?? 500, options.gapMsMax ?? 1_500);
  }
  return plan;
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
