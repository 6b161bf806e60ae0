/** The top of the page: verdict, summary rows, the violation with its explanation, how to replay. */
import { escapeHtml, formatTime } from './html.js';
import type { TimelineReportData } from './types.js';

export function renderHeader(data: TimelineReportData): string {
  const rows = data.summary
    .map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('\n');
  const replay = data.replay === null ? ''
    : `<p class="replay">replay: <code id="replay">${escapeHtml(data.replay)}</code></p>`;
  const notes = data.notes.map((note) => `<p class="note">${escapeHtml(note)}</p>`).join('\n');
  return `<header>
<h1><span class="status ${data.status}" data-status="${data.status}">${data.status.toUpperCase()}</span> ${escapeHtml(data.title)}</h1>
<table class="summary">
${rows}
</table>
${renderViolation(data)}
${replay}
${notes}
</header>`;
}

function renderViolation(data: TimelineReportData): string {
  const v = data.violation;
  if (!v) return `<p class="noviolation">no violation</p>`;
  const when = v.time === null ? '' : ` at ${formatTime(v.time)} ${escapeHtml(data.timeUnit)}`;
  const explanation = v.explanation.length === 0 ? ''
    : `<pre class="explanation">${escapeHtml(v.explanation.join('\n'))}</pre>`;
  return `<div class="violation" id="violation">
<p><b>${escapeHtml(v.kind)}</b> violation of <b>${escapeHtml(v.invariant)}</b>${when}: ${escapeHtml(v.message)}</p>
${explanation}
</div>`;
}

/** What the colors mean. */
export function renderLegend(): string {
  const item = (cls: string, text: string) => `<span><i class="sw ${cls}"></i>${text}</span>`;
  return `<p class="legend">
${item('follower', 'follower')}${item('candidate', 'candidate')}${item('leader', 'leader (term written)')}${item('down', 'down (crash, kill)')}${item('pause', 'paused')}${item('restart', 'restart')}${item('net', 'network fault')}
<br>
${item('slow-disk', 'slow disk, stopped clock')}${item('clock-jump', 'clock jump')}${item('trap', 'trap sprung')}${item('delay', 'delayed message')}${item('replay', 'replayed message')}${item('clients-reach', 'clients cut off')}
<br>
${item('get', 'get')}${item('put', 'put')}${item('append', 'append')}${item('delete', 'delete')}${item('cas', 'cas')}${item('open', 'never returned (dashed)')}${item('to', 'request timed out')}${item('retry', 'retried (under its operation)')}${item('giveup', 'client gave up')}${item('blocked', 'could not be linearized')}${item('viol', 'violation')}
</p>`;
}
