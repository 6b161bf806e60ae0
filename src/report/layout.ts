/**
 * Geometry of the timeline: the time scale, the axis ticks, and packing intervals into rows so
 * that bars in one lane never overlap.
 */

/** Plot width at zoom 1: the whole run fits a laptop screen; zoom widens it. */
export const PLOT_PX = 1400;

export interface Scale {
  readonly end: number;
  readonly pxPerUnit: number;
  x(t: number): number;
}

export function makeScale(end: number, width = PLOT_PX): Scale {
  // A little room after the last event, so what happens at the very end (often the violation) shows.
  const span = (end > 0 ? end : 1) * 1.015;
  const pxPerUnit = width / span;
  return { end: span, pxPerUnit, x: (t: number) => Math.max(0, Math.min(span, t)) * pxPerUnit };
}

export interface Ticks {
  /** Labelled major ticks. */
  readonly major: number[];
  /** Five per major step, shown when zoomed in. */
  readonly minor: number[];
  readonly step: number;
}

/** Round steps (1, 2, 5 × 10^k) giving about `target` major ticks over [0, end]. */
export function makeTicks(end: number, target = 12): Ticks {
  const raw = Math.max(end, 1) / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const major: number[] = [];
  const minor: number[] = [];
  const minorStep = step / 5;
  for (let i = 0; i * minorStep <= end + 1e-9; i++) {
    const t = Math.round(i * minorStep * 1e6) / 1e6;
    (i % 5 === 0 ? major : minor).push(t);
  }
  return { major, minor, step };
}

/**
 * Greedy first-fit row packing: each interval goes in the first row free at its start. Returns the
 * row of each interval (in input order) and the number of rows. `gap` keeps a little space.
 */
export function packRows(intervals: readonly { start: number; end: number }[], gap = 0): { rows: number[]; count: number } {
  const order = intervals.map((_, i) => i).sort((a, b) => intervals[a]!.start - intervals[b]!.start || a - b);
  const rowEnds: number[] = [];
  const rows = new Array<number>(intervals.length).fill(0);
  for (const i of order) {
    const { start, end } = intervals[i]!;
    let row = rowEnds.findIndex((rowEnd) => rowEnd + gap <= start);
    if (row === -1) row = rowEnds.push(end) - 1;
    else rowEnds[row] = end;
    rows[i] = row;
  }
  return { rows, count: rowEnds.length };
}
