/**
 * A self-contained HTML page showing check results: per history and per part, each client's
 * operations on a time line with the linearization drawn through them (visualizePart.ts).
 * Hovering a bar shows its input, output, times and the states around it.
 *
 * The page opens at the failure: histories and parts that are not linearizable come first, and
 * the script scrolls to the first operation that could not be placed. A page with several
 * histories starts with totals and an index (one line per history, failing ones first). Only the
 * final linearization is embedded, not every partial one, so the page stays small.
 */
import type { CheckResult, PartResult } from './check.js';
import type { Operation } from './history.js';
import { fillDefaults, type AnyModel } from './model.js';
import type { Verdict } from './search.js';
import { escapeHtml, renderPart, type OperationDetails } from './visualizePart.js';
import { PAGE_SCRIPT, PAGE_STYLE } from './visualizePage.js';

/**
 * A history to draw: its model's name and its operations, whatever their input and output types
 * (a `History`, or operations typed with a model's own types such as RegisterInput).
 */
export type DrawnHistory = { readonly model: string; readonly operations: readonly Operation<any, any>[] };

/** One history on the page: its title (e.g. the file name), the history, its result and model. */
export interface HtmlSection {
  readonly title: string;
  readonly history: DrawnHistory;
  readonly result: CheckResult;
  readonly model: AnyModel;
}

/** Failing first, then unknown, then linearizable: what a reader looks for comes first. */
const VERDICT_ORDER: Record<Verdict, number> = { 'not-linearizable': 0, unknown: 1, linearizable: 2 };

/** One page for one history. */
export function renderHtml(history: DrawnHistory, result: CheckResult, model: AnyModel, title = 'history'): string {
  return renderCheckPage([{ title, history, result, model }]);
}

/**
 * One page for any number of histories, one section each, failing ones first; with more than one,
 * totals and an index at the top.
 */
export function renderCheckPage(sections: readonly HtmlSection[]): string {
  const details: OperationDetails = {};
  const ordered = byVerdict(sections.map((section, index) => ({ section, index })), (s) => s.section.result.result);
  const body = ordered.map(({ section, index }) => renderSection(section, index, details)).join('\n');
  const overview = sections.length > 1 ? renderTotals(sections) + renderIndex(ordered) : '';
  const json = JSON.stringify(details).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>raftsim check</title>
<style>${PAGE_STYLE}</style></head>
<body>
<h1>raftsim check</h1>
${overview}<p class="legend"><span>● n: linearization order</span><span style="color:#1a7f37">green: linearized</span>
<span style="color:#bf8700">outlined: pending after the longest linearization</span>
<span style="color:#cf222e">red: first operation that could not be placed</span><span>dashed: never returned</span></p>
${body}
<div id="tip"></div>
<script type="application/json" id="op-data">${json}</script>
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}

/** The former name of renderCheckPage, kept for existing callers. */
export const renderHtmlReport = renderCheckPage;

/** A stable sort by verdict, failing first. */
function byVerdict<T>(items: readonly T[], verdict: (item: T) => Verdict): T[] {
  return items
    .map((item, position) => ({ item, position }))
    .sort((a, b) => VERDICT_ORDER[verdict(a.item)] - VERDICT_ORDER[verdict(b.item)] || a.position - b.position)
    .map(({ item }) => item);
}

function renderTotals(sections: readonly HtmlSection[]): string {
  const count = (verdict: Verdict) => sections.filter((s) => s.result.result === verdict).length;
  const item = (verdict: Verdict, n: number) =>
    `<span class="verdict-${verdict}" data-total="${verdict}">${n} ${verdict.replace('-', ' ')}</span>`;
  return `<p class="totals" id="totals">${plural(sections.length, 'history', 'histories')}: ` +
    `${item('not-linearizable', count('not-linearizable'))}, ${item('unknown', count('unknown'))}, ` +
    `${item('linearizable', count('linearizable'))}</p>\n`;
}

function renderIndex(ordered: readonly { section: HtmlSection; index: number }[]): string {
  const rows = ordered.map(({ section, index }) => {
    const verdict = section.result.result;
    return `<li data-verdict="${verdict}"><a href="#history-${index}">${escapeHtml(section.title)}</a> ` +
      `<span class="verdict-${verdict}">${verdict}</span></li>`;
  });
  return `<nav id="index" aria-label="histories"><ol>${rows.join('')}</ol></nav>\n`;
}

function renderSection(section: HtmlSection, index: number, details: OperationDetails): string {
  const model = fillDefaults(section.model);
  const verdict = section.result.result;
  const parts = byVerdict(section.result.parts, (part: PartResult) => part.result)
    .map((part) => renderPart(model, section.history.operations, part, index, details))
    .join('\n');
  return `<section id="history-${index}" data-history="${index}" data-verdict="${verdict}">
<h2>${escapeHtml(section.title)}: <span class="verdict-${verdict}">${verdict}</span>
(${section.history.operations.length} operations, ${plural(section.result.parts.length, 'part')})</h2>
${parts}
</section>`;
}

function plural(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}
