/**
 * The report's "Latency and throughput" section, near the top of the page: the run's figures in
 * one line, a table of them (overall and per operation kind: answered, answers per second, p50,
 * p99 and max latency), and two charts on one time axis with the faults shaded (answers per
 * bucket; p50 and p99 per bucket), with the same per-bucket figures as a table. Plain HTML and SVG
 * with inline styles: the page stays one self-contained file.
 */
import { escapeHtml } from '../report/html.js';
import { chartLegend, latencyChart, throughputChart } from './performanceCharts.js';
import { formatShare, type LatencySummary, type Performance } from './performance.js';
import type { FaultRecord } from './types.js';

const CELL = 'style="padding:2px 10px;text-align:right"';

export function renderPerformanceSection(perf: Performance, faults: readonly FaultRecord[], healTime: number | null): string {
  const width = perf.bucketMs / 1000;
  return `<section id="performance-section">
<h2>Latency and throughput</h2>
${headline(perf)}
<p>${perf.operations} operations, ${perf.unknown} with an unknown outcome (<b id="unknown-share">${formatShare(perf.unknownShare)}</b>).
Latency is call to answer (ms) of the answered operations; times are ms since the test started, as in faults.json, the console and the node logs.</p>
${latencyTable(perf)}
<h3>Answered operations per ${width === 1 ? 'second' : `${width} s`}</h3>
${throughputChart(perf, faults, healTime)}
<h3>Latency p50 and p99 per ${width === 1 ? 'second' : `${width} s`}</h3>
${latencyChart(perf, faults, healTime)}
${chartLegend()}
<details><summary>per ${width === 1 ? 'second' : `${width} s`}, as a table</summary>${bucketTable(perf)}</details>
</section>
`;
}

function headline(perf: Performance): string {
  if (perf.latency === null) return '<p id="performance-headline"><b>No operation was answered.</b></p>';
  const l = perf.latency;
  return `<p id="performance-headline" style="font-size:1.2em"><b>${perf.meanPerSecond.toFixed(1)}</b> answered operations/s · latency p50 <b>${l.p50} ms</b> · p99 <b>${l.p99} ms</b> · max <b>${l.max} ms</b></p>`;
}

function latencyTable(perf: Performance): string {
  const row = (label: string, l: LatencySummary, perSecond: number): string =>
    `<tr><td style="padding:2px 10px">${escapeHtml(label)}</td><td ${CELL}>${l.count}</td><td ${CELL}>${perSecond.toFixed(1)}</td>${[l.p50, l.p99, l.max].map((n) => `<td ${CELL}>${n}</td>`).join('')}</tr>`;
  const rows = perf.latency === null ? '<tr><td colspan="6">no operation was answered</td></tr>'
    : [row('all', perf.latency, perf.meanPerSecond), ...Object.entries(perf.latencyByKind).map(([kind, l]) => row(kind, l, perf.perSecondByKind[kind] ?? 0))].join('');
  const head = ['answered', 'ok/s', 'p50 ms', 'p99 ms', 'max ms'].map((h) => `<th ${CELL}>${h}</th>`).join('');
  return `<table id="latency-table" style="border-collapse:collapse"><thead><tr><th style="padding:2px 10px;text-align:left">operation</th>${head}</tr></thead>
<tbody>${rows}</tbody></table>`;
}

function bucketTable(perf: Performance): string {
  const cells = perf.completedPerBucket.map((count, i) => {
    const l = perf.latencyPerBucket[i] ?? null;
    const figures = l === null ? '<td></td><td></td><td></td>' : `<td ${CELL}>${l.p50}</td><td ${CELL}>${l.p99}</td><td ${CELL}>${l.max}</td>`;
    return `<tr><td ${CELL}>${(i * perf.bucketMs) / 1000}</td><td ${CELL}>${count}</td>${figures}</tr>`;
  }).join('');
  return `<table id="throughput-table"><thead><tr><th>from second</th><th>answered</th><th>p50 ms</th><th>p99 ms</th><th>max ms</th></tr></thead><tbody>${cells}</tbody></table>`;
}
