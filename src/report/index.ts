/**
 * PLACEHOLDER, written by the fuzz command's author so that `raftsim fuzz --out` can write a
 * report.html before the real report exists. Another engineer is writing the real one, with this
 * same signature; replace this file entirely.
 */
import type { RunReport } from '../harness/execute.js';

export function renderRunReport(report: RunReport): string {
  const { spec, status, violation, sim } = report;
  const title = `raftsim ${spec.scenarioRef} seed ${spec.seed}: ${status}`;
  const rows: [string, string][] = [
    ['scenario', spec.scenarioRef], ['seed', String(spec.seed)], ['swarm', String(spec.swarm)], ['bug', spec.bug ?? 'none'],
    ['status', status], ['trace hash', sim.traceHash], ['events', String(sim.events)], ['virtual ms', String(sim.virtualMs)],
    ['operations', `${sim.operations} (${sim.pendingOperations} unknown)`],
  ];
  const violationText = violation
    ? `${violation.kind}: ${violation.invariant} at ${violation.timeMs} ms: ${violation.message}` +
      ('explanation' in violation ? `\n\n${violation.explanation.join('\n')}` : '')
    : 'no violation';
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
<h1>${escapeHtml(title)}</h1>
<table>
${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n')}
</table>
<h2>Violation</h2>
<pre>${escapeHtml(violationText)}</pre>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
