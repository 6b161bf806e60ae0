/**
 * The two charts of the report's latency and throughput section, as inline SVG on one time axis
 * (ms since the test started, like faults.json): answered operations per bucket as bars, and the
 * p50 and p99 latency of the operations answered in each bucket as lines on a log scale (a fault
 * turns 10 ms into seconds). The faults are shaded behind both and the heal is a dashed line, so
 * that a dip or a spike can be read against the fault that caused it.
 */
import { escapeHtml, px } from '../report/html.js';
import type { Performance } from './performance.js';
import type { FaultRecord } from './types.js';

const WIDTH = 900;
const HEIGHT = 140;
/** Room on the left for the latency scale: both charts keep it so that their time axes line up. */
const LEFT = 48;
const AXIS = 18;
const PLOT = HEIGHT - AXIS;
export const FAULT_FILL: Readonly<Record<string, string>> = { kill: '#e57373', pause: '#ffb74d', partition: '#64b5f6', member: '#ba68c8' };
const P50_STROKE = '#1565c0';
const P99_STROKE = '#c62828';

/** The shared time axis: bucket i spans [i, i + 1) × bucketMs. */
interface Axis {
  readonly buckets: number;
  readonly bucketMs: number;
  readonly spanMs: number;
  /** x of a time in ms, clamped to the plot. */
  readonly x: (t: number) => number;
  readonly barWidth: number;
}

function axisOf(perf: Performance): Axis {
  const buckets = perf.completedPerBucket.length;
  const spanMs = buckets * perf.bucketMs;
  return {
    buckets, bucketMs: perf.bucketMs, spanMs,
    x: (t) => LEFT + (Math.max(0, Math.min(t, spanMs)) / spanMs) * (WIDTH - LEFT),
    barWidth: (WIDTH - LEFT) / buckets,
  };
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** Fault bands, heal line, base line and time ticks: what both charts share. */
function frame(axis: Axis, faults: readonly FaultRecord[], healTime: number | null): { behind: string; front: string } {
  const behind = faults.map((f) => {
    const end = f.end ?? axis.spanMs;
    const x0 = axis.x(f.start);
    return `<rect class="fault-band" x="${px(x0)}" y="0" width="${px(Math.max(1, axis.x(end) - x0))}" height="${PLOT}" fill="${FAULT_FILL[f.kind] ?? '#ccc'}" fill-opacity="0.25"><title>${escapeHtml(`${f.start}–${end} ms: ${f.description}`)}</title></rect>`;
  }).join('');
  const heal = healTime === null ? '' : `<line x1="${px(axis.x(healTime))}" x2="${px(axis.x(healTime))}" y1="0" y2="${PLOT}" stroke="#2e7d32" stroke-dasharray="4 3"><title>heal at ${healTime} ms</title></line>`;
  const step = Math.max(1, Math.ceil(axis.buckets / 12));
  const ticks = Array.from({ length: axis.buckets }, (_, i) => i).filter((i) => i % step === 0)
    .map((i) => `<text x="${px(axis.x(i * axis.bucketMs))}" y="${HEIGHT - 4}" font-size="10" fill="#555">${seconds(i * axis.bucketMs)}</text>`).join('');
  return { behind, front: `${heal}<line x1="${LEFT}" x2="${WIDTH}" y1="${PLOT}" y2="${PLOT}" stroke="#999"/>${ticks}` };
}

function svg(id: string, label: string, body: string): string {
  return `<svg id="${id}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" style="max-width:${WIDTH}px" role="img" aria-label="${escapeHtml(label)}">
${body}
</svg>`;
}

export function throughputChart(perf: Performance, faults: readonly FaultRecord[], healTime: number | null): string {
  if (perf.completedPerBucket.length === 0) return '<p>no operation was answered</p>';
  const axis = axisOf(perf);
  const peak = Math.max(1, ...perf.completedPerBucket);
  const perSecond = 1000 / perf.bucketMs;
  const bars = perf.completedPerBucket.map((count, i) => {
    const h = (count / peak) * (PLOT - 4);
    const x0 = axis.x(i * perf.bucketMs);
    return `<rect x="${px(x0)}" y="${px(PLOT - h)}" width="${px(Math.max(0.5, axis.barWidth - 1))}" height="${px(h)}" fill="#455a64"><title>${seconds(i * perf.bucketMs)}–${seconds((i + 1) * perf.bucketMs)}: ${count} answered</title></rect>`;
  }).join('');
  const { behind, front } = frame(axis, faults, healTime);
  const scale = `<text x="${LEFT - 4}" y="10" font-size="10" text-anchor="end" fill="#555">${px(peak * perSecond)}/s</text><text x="${LEFT - 4}" y="${PLOT}" font-size="10" text-anchor="end" fill="#555">0</text>`;
  return svg('throughput-chart', `answered operations per second; peak ${px(peak * perSecond)}`, `${behind}${bars}${front}${scale}`);
}

export function latencyChart(perf: Performance, faults: readonly FaultRecord[], healTime: number | null): string {
  if (perf.latency === null) return '<p>no operation was answered</p>';
  const axis = axisOf(perf);
  // Log scale from 1 ms to the power of ten above the slowest p99: a fault's seconds and a calm
  // run's milliseconds both stay readable.
  const decades = Math.max(1, Math.ceil(Math.log10(Math.max(10, ...perf.latencyPerBucket.map((l) => l?.p99 ?? 1)))));
  const y = (ms: number): number => PLOT - (Math.log10(Math.max(1, ms)) / decades) * (PLOT - 4);
  const grid = Array.from({ length: decades + 1 }, (_, d) => 10 ** d).map((ms) =>
    `<line x1="${LEFT}" x2="${WIDTH}" y1="${px(y(ms))}" y2="${px(y(ms))}" stroke="#eee"/><text x="${LEFT - 4}" y="${px(y(ms) + 3)}" font-size="10" text-anchor="end" fill="#555">${ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`}</text>`).join('');
  const centre = (i: number): number => axis.x((i + 0.5) * perf.bucketMs);
  const line = (pick: 'p50' | 'p99', stroke: string): string => segments(perf, (i, l) => `${px(centre(i))},${px(y(l[pick]))}`)
    .map((points) => (points.length === 1
      ? `<circle cx="${points[0]!.split(',')[0]}" cy="${points[0]!.split(',')[1]}" r="1.5" fill="${stroke}"/>`
      : `<polyline points="${points.join(' ')}" fill="none" stroke="${stroke}" stroke-width="1.5"/>`)).join('');
  // One transparent column per bucket carries the tooltip with its figures.
  const tips = perf.latencyPerBucket.map((l, i) => l === null ? '' :
    `<rect x="${px(axis.x(i * perf.bucketMs))}" y="0" width="${px(axis.barWidth)}" height="${PLOT}" fill="transparent"><title>${seconds(i * perf.bucketMs)}–${seconds((i + 1) * perf.bucketMs)}: ${l.count} answered, p50 ${l.p50} ms, p99 ${l.p99} ms, max ${l.max} ms</title></rect>`).join('');
  const { behind, front } = frame(axis, faults, healTime);
  return svg('latency-chart', `latency p50 and p99 per ${perf.bucketMs / 1000} s; slowest p99 ${Math.max(...perf.latencyPerBucket.map((l) => l?.p99 ?? 0))} ms`,
    `${behind}${grid}${line('p50', P50_STROKE)}${line('p99', P99_STROKE)}${front}${tips}`);
}

/** Runs of consecutive buckets with answers: a bucket without any breaks the line. */
function segments(perf: Performance, point: (i: number, l: NonNullable<Performance['latencyPerBucket'][number]>) => string): string[][] {
  const runs: string[][] = [];
  let current: string[] = [];
  perf.latencyPerBucket.forEach((l, i) => {
    if (l === null) {
      if (current.length > 0) runs.push(current);
      current = [];
    } else {
      current.push(point(i, l));
    }
  });
  if (current.length > 0) runs.push(current);
  return runs;
}

export function chartLegend(): string {
  const faults = Object.entries(FAULT_FILL).map(([kind, fill]) => `<span style="background:${fill};opacity:.6;padding:0 6px;margin-right:6px">${kind}</span>`).join('');
  return `<p style="font-size:smaller">latency: <span style="color:${P50_STROKE}">━ p50</span> <span style="color:${P99_STROKE}">━ p99</span> (log scale);
faults shaded behind both charts: ${faults} the dashed green line is the heal. Hover a bar or a column for its figures.</p>`;
}
