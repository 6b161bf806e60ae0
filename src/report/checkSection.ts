/**
 * The linearizability section: the verdict, any explanation, and the checker's own visualization
 * embedded whole in an iframe (srcdoc), so its CSS, script and element ids stay apart from ours.
 */
import { renderHtml, type CheckResult } from '../checker/index.js';
import { escapeHtml, plural } from './html.js';
import type { TimelineReportData } from './types.js';

export function renderCheckSection(data: TimelineReportData): string {
  const { check } = data;
  const note = check.note === null ? '' : `<p class="note">${escapeHtml(check.note)}</p>`;
  if (check.result === null) {
    return `<section id="check-section"><h2>Linearizability check</h2>
${note || '<p class="note">not checked</p>'}
</section>`;
  }
  const result = check.result;
  const explanation = check.explanation.length === 0 ? ''
    : `<pre class="explanation">${escapeHtml(check.explanation.join('\n'))}</pre>`;
  const history = { model: check.model.name, operations: data.operations };
  const page = renderHtml(history, result, check.model, 'client history');
  return `<section id="check-section"><h2>Linearizability check</h2>
<p class="checkmark">verdict: <span class="verdict-${result.result}" data-verdict="${result.result}">${result.result}</span>
(${plural(data.operations.length, 'operation')}, ${plural(result.parts.length, 'part')}${failingParts(result)})</p>
${note}
${explanation}
<iframe id="checker" title="the checker's visualization of the history" srcdoc="${escapeHtml(page)}"></iframe>
</section>`;
}

function failingParts(result: CheckResult): string {
  const failing = result.parts.filter((part) => part.result === 'not-linearizable').map((part) => part.label);
  return failing.length === 0 ? '' : `; not linearizable: ${failing.join(', ')}`;
}

/** Indices of the operations the checker could not place (drawn in red on the timeline). */
export function blockedOperations(result: CheckResult | null): Set<number> {
  const blocked = new Set<number>();
  for (const part of result?.parts ?? []) {
    if (part.failure?.blocked != null) blocked.add(part.failure.blocked);
  }
  return blocked;
}
