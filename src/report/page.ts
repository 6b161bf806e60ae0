/** Puts the page together from plain data: header, timeline, check section, inline CSS and JS. */
import { blockedOperations, renderCheckSection } from './checkSection.js';
import { renderHeader, renderLegend } from './header.js';
import { escapeHtml, scriptJson } from './html.js';
import { PAGE_SCRIPT } from './script.js';
import { PAGE_STYLE } from './style.js';
import { renderTimeline } from './timeline.js';
import type { TimelineReportData } from './types.js';

export function renderTimelineReport(data: TimelineReportData): string {
  const timeline = renderTimeline(data, blockedOperations(data.check.result));
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
${renderHeader(data)}
<section id="timeline-section">
<h2>Timeline</h2>
${renderLegend()}
<div class="controls">zoom <button id="zoom-out" type="button" title="zoom out">\u2212</button><input id="zoom-range" type="range" min="0" max="6" step="1" value="0" aria-label="zoom"><button id="zoom-in" type="button" title="zoom in">+</button><button id="zoom-fit" type="button">fit</button><span id="zoom-level">1\u00d7</span></div>
<div class="tl">${timeline.labels}<div class="scroller" id="scroller">${timeline.plot}</div></div>
</section>
${renderCheckSection(data)}
<div id="tip" role="tooltip"></div>
<script type="application/json" id="ops">${scriptJson(timeline.opTable)}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
