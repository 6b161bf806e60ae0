/**
 * The report's "Latency and throughput" section: a latency table (overall and per operation
 * kind), completions per second as a small inline SVG bar chart with the faults shaded behind the
 * bars, and the same counts as a table. Plain HTML and SVG with inline styles: the page stays one
 * self-contained file.
 */
import { escapeHtml, px } from '../report/html.js';
import { formatShare, type LatencySummary, type Performance } from './performance.js';
import type { FaultRecord } from './types.js';

const WIDTH = 900;
const HEIGHT = 140;
const AXIS = 18;
const FAULT_FILL: Record<string, string> = { kill: '#e57373', pause: '#ffb74d', partition: '#64b5f6' };

export function renderPerformanceSection(perf: Performance, faults: readonly FaultRecord[], healTime: number | null): string {
  const cell = 'style="padding:2px 10px;text-align:right"';
  const row = (label: string, l: LatencySummary): string =>
    `<tr><td style="padding:2px 10px">${escapeHtml(label)}</td>${[l.count, l.p50, l.p99, l.max].map((n) => `<td ${cell}>${n}</td>`).join('')}</tr>`;
  const rows = perf.latency === null ? '<tr><td colspan="5">no operation completed</td></tr>'
    : [row('all', perf.latency), ...Object.entries(perf.latencyByKind).map(([kind, l]) => row(kind, l))].join('');
  return `<section id="performance-section">
<h2>Latency and throughput</h2>
<p>${perf.operations} operations, ${perf.unknown} with an unknown outcome (<b id="unknown-share">${formatShare(perf.unknownShare)}</b>).
Latency of the completed operations (call to answer, ms); throughput ${perf.meanPerSecond.toFixed(1)} completed operations/s on average.</p>
<table id="latency-table" style="border-collapse:collapse"><thead><tr><th style="padding:2px 10px;text-align:left">operation</th><th ${cell}>completed</th><th ${cell}>p50 ms</th><th ${cell}>p99 ms</th><th ${cell}>max ms</th></tr></thead>
<tbody>${rows}</tbody></table>
<h3>Completed operations per second</h3>
${throughputSvg(perf, faults, healTime)}
<details><summary>as a table</summary>${throughputTable(perf)}</details>
</section>
`;
}

function throughputSvg(perf: Performance, faults: readonly FaultRecord[], healTime: number | null): string {
  const buckets = perf.completedPerBucket;
  if (buckets.length === 0) return '<p>no operation completed</p>';
  const peak = Math.max(1, ...buckets);
  const span = buckets.length * perf.bucketMs;
  const x = (t: number): number => (Math.max(0, Math.min(t, span)) / span) * WIDTH;
  const plot = HEIGHT - AXIS;
  const bands = faults.map((f) => {
    const end = f.end ?? span;
    return `<rect x="${px(x(f.start))}" y="0" width="${px(Math.max(1, x(end) - x(f.start)))}" height="${plot}" fill="${FAULT_FILL[f.kind] ?? '#ccc'}" fill-opacity="0.25"><title>${escapeHtml(`${f.start}–${end} ms: ${f.description}`)}</title></rect>`;
  }).join('');
  const barWidth = WIDTH / buckets.length;
  const bars = buckets.map((count, i) => {
    const h = (count / peak) * (plot - 4);
    return `<rect x="${px(i * barWidth)}" y="${px(plot - h)}" width="${px(Math.max(0.5, barWidth - 1))}" height="${px(h)}" fill="#455a64"><title>${i * perf.bucketMs / 1000}–${(i + 1) * perf.bucketMs / 1000} s: ${count} completed</title></rect>`;
  }).join('');
  const heal = healTime === null ? '' : `<line x1="${px(x(healTime))}" x2="${px(x(healTime))}" y1="0" y2="${plot}" stroke="#2e7d32" stroke-dasharray="4 3"><title>heal at ${healTime} ms</title></line>`;
  const step = Math.max(1, Math.ceil(buckets.length / 12));
  const ticks = buckets.map((_, i) => i).filter((i) => i % step === 0)
    .map((i) => `<text x="${px(i * barWidth)}" y="${HEIGHT - 4}" font-size="10" fill="#555">${i * perf.bucketMs / 1000} s</text>`).join('');
  const legend = Object.entries(FAULT_FILL).map(([kind, fill]) => `<span style="background:${fill};opacity:.6;padding:0 6px;margin-right:6px">${kind}</span>`).join('');
  return `<svg id="throughput-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" style="max-width:${WIDTH}px" role="img" aria-label="completed operations per second; peak ${peak}">
${bands}${bars}${heal}<line x1="0" x2="${WIDTH}" y1="${plot}" y2="${plot}" stroke="#999"/>${ticks}<text x="${WIDTH - 4}" y="12" font-size="10" text-anchor="end" fill="#555">peak ${peak}/s</text>
</svg>
<p style="font-size:smaller">faults shaded behind the bars: ${legend} the dashed line is the heal.</p>`;
}

function throughputTable(perf: Performance): string {
  const cells = perf.completedPerBucket.map((count, i) => `<tr><td>${i * perf.bucketMs / 1000}</td><td>${count}</td></tr>`).join('');
  return `<table id="throughput-table"><thead><tr><th>second</th><th>completed</th></tr></thead><tbody>${cells}</tbody></table>`;
}
