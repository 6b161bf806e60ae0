/**
 * The timeline as two SVGs side by side: a fixed column of lane labels, and the plot (to scale in
 * time, scrolled and zoomed on its own). Lanes, top to bottom: the axis, one per node (roles, down
 * intervals, restarts), the network (fault bands, packed into rows), one per client (operations).
 * Every element a test or a person may look for carries data-kind / data-op; details for hover are
 * in data-tip (few elements) or, for the many operations, in one JSON table read by the script.
 */
import type { Operation } from '../checker/index.js';
import { renderClientTimeouts } from './clientMarks.js';
import { classWord, escapeHtml, formatTime, px } from './html.js';
import { makeScale, makeTicks, packRows, PLOT_PX, type Scale } from './layout.js';
import type { DownInterval, NetworkEvent, NodeMark, RoleChange, TimelineReportData } from './types.js';

const AXIS_H = 44;
/** Baselines of the two rows of marker labels above the tick labels. */
const MARKER_ROWS = [10, 21];
const NODE_H = 18;
const NODE_GAP = 6;
const SECTION_GAP = 12;
const NET_ROW_H = 16;
const OP_H = 10;
const OP_GAP = 3;
const CLIENT_GAP = 7;
export const LABEL_PX = 72;
/** Rough width of one character of the 10px labels, to keep network labels from overlapping. */
const CHAR_PX = 5.6;
/** Height of a node mark's band (a slow disk, a stopped clock), along the bottom of the node's lane. */
const MARK_H = 5;
/** Network events about one message: shaded on their two nodes only, not across every lane. */
const MESSAGE_KINDS = new Set(['delay', 'replay']);

export interface RenderedTimeline {
  readonly labels: string;
  readonly plot: string;
  /** Per operation, for the hover script: [client, call, return, input, output, time-outs?]. */
  readonly opTable: readonly unknown[];
}

interface Lane {
  readonly label: string;
  readonly y: number;
  readonly h: number;
  readonly cls: string;
}

export function renderTimeline(data: TimelineReportData, blocked: ReadonlySet<number>): RenderedTimeline {
  const scale = makeScale(data.endTime);
  const unit = data.timeUnit;
  const lanes: Lane[] = [];
  const out: string[] = [];
  let y = AXIS_H;

  const nodeTop = y;
  const nodeY = new Map<string, number>();
  for (const node of data.nodes) {
    nodeY.set(node, y);
    lanes.push({ label: node, y, h: NODE_H, cls: 'ln' });
    y += NODE_H + NODE_GAP;
  }
  const nodeBottom = y - NODE_GAP;

  y += SECTION_GAP - NODE_GAP;
  const net = layoutNetwork(data.networkEvents, scale);
  const netTop = y;
  lanes.push({ label: 'network', y, h: Math.max(1, net.count) * NET_ROW_H, cls: 'ls' });
  y += Math.max(1, net.count) * NET_ROW_H + SECTION_GAP;

  const clientLayout = layoutClients(data.operations, scale.end);
  const clientY = new Map<number, number>();
  for (const [client, rows] of clientLayout.rowsPerClient) {
    clientY.set(client, y);
    lanes.push({ label: `c${client}`, y, h: rows * (OP_H + OP_GAP) - OP_GAP, cls: 'lc' });
    y += rows * (OP_H + OP_GAP) - OP_GAP + CLIENT_GAP;
  }
  const height = y + 4;
  const width = PLOT_PX;

  // Background first: lane stripes and the grid, under everything.
  for (const lane of lanes) out.push(`<rect class="bg" x="0" y="${lane.y}" width="${width}" height="${lane.h}"/>`);
  out.push(renderAxis(scale, height));

  for (const event of data.networkEvents.map((e, i) => [e, i] as const)) {
    out.push(renderNetworkBand(event[0], net.rows[event[1]]!, scale, { nodeTop, nodeBottom, netTop }, nodeY, unit));
  }
  out.push(renderNodes(data, scale, nodeY, unit));
  // Network shading goes over the roles but lets the mouse through (see the CSS), so role
  // segments keep their tooltips.
  out.push(renderOperations(data.operations, clientLayout.rowOf, clientY, scale, blocked));
  const bar = (i: number) => ({ y: clientY.get(data.operations[i]!.client)! + clientLayout.rowOf[i]! * (OP_H + OP_GAP), h: OP_H });
  out.push(renderClientTimeouts(data.clientTimeouts ?? [], data.operations, bar, scale, unit));
  const markers = data.markers.map((m) => ({ t: m.t, label: m.label, cls: `mk ${classWord(m.kind)}`, attrs: `data-kind="marker" data-marker="${classWord(m.kind)}"`, detail: '' }));
  if (data.violation && data.violation.time !== null) {
    markers.push({ t: data.violation.time, label: 'violation', cls: 'mk viol', attrs: 'data-kind="violation"',
      detail: `${data.violation.kind}: ${data.violation.invariant}\n${data.violation.message}` });
  }
  out.push(renderMarkers(markers, scale, height, unit));

  const plot = `<svg id="timeline" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" data-width="${width}" data-end="${scale.end}" data-unit="${escapeHtml(unit)}" role="img" aria-label="timeline of nodes, network faults and client operations">
${hatchPattern()}
${out.join('\n')}
</svg>`;
  const labels = `<svg class="labels" xmlns="http://www.w3.org/2000/svg" width="${LABEL_PX}" height="${height}">
<text class="unit" x="4" y="14">${escapeHtml(unit)}</text>
${lanes.map((lane) => `<text class="${lane.cls}" x="${LABEL_PX - 6}" y="${px(lane.y + Math.min(lane.h, NODE_H) / 2 + 4)}">${escapeHtml(lane.label)}</text>`).join('\n')}
</svg>`;
  const opTable: unknown[][] = data.operations.map((op) => [op.client, op.call, op.return, op.input, op.output]);
  // The time-outs of an operation, in its tooltip too: [time, what followed], appended to its row.
  for (const timeout of data.clientTimeouts ?? []) {
    const row = opTable[timeout.operation];
    if (!row) continue;
    if (row.length === 5) row.push([]);
    (row[5] as unknown[]).push([timeout.t, timeout.then]);
  }
  return { labels, plot, opTable };
}

function hatchPattern(): string {
  return `<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
<rect width="6" height="6" fill="#d0d4d9"/><line x1="0" y1="0" x2="0" y2="6" stroke="#8c959f" stroke-width="3"/></pattern>
<pattern id="hatch-pause" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
<rect width="6" height="6" fill="#ddf4ff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#54aeff" stroke-width="3"/></pattern></defs>`;
}

function renderAxis(scale: Scale, height: number): string {
  const ticks = makeTicks(scale.end);
  const parts: string[] = [];
  for (const t of ticks.major) {
    const x = px(scale.x(t));
    const anchor = t === 0 ? ' style="text-anchor:start"' : '';
    parts.push(`<line class="grid" x1="${x}" x2="${x}" y1="${AXIS_H - 6}" y2="${height}"/><text class="tick" x="${x}" y="${AXIS_H - 9}"${anchor}>${formatTime(t)}</text>`);
  }
  // Minor ticks and their labels show only when zoomed in (the script sets the class).
  for (const t of ticks.minor) {
    const x = px(scale.x(t));
    parts.push(`<line class="grid minor" x1="${x}" x2="${x}" y1="${AXIS_H - 4}" y2="${height}"/><text class="tick minor" x="${x}" y="${AXIS_H - 9}">${formatTime(t)}</text>`);
  }
  return `<g class="axis">${parts.join('')}</g>`;
}

function renderNodes(data: TimelineReportData, scale: Scale, nodeY: ReadonlyMap<string, number>, unit: string): string {
  const roles = new Map<string, RoleChange[]>();
  const downs = new Map<string, DownInterval[]>();
  const marks: NodeMark[] = [];
  for (const event of data.nodeEvents) {
    if (event.kind === 'role') push(roles, event.node, event);
    else if (event.kind === 'down') push(downs, event.node, event);
    else marks.push(event);
  }
  const parts: string[] = [];
  for (const node of data.nodes) {
    const y = nodeY.get(node)!;
    const nodeDowns = (downs.get(node) ?? []).slice().sort((a, b) => a.start - b.start);
    const list = (roles.get(node) ?? []).slice().sort((a, b) => a.t - b.t);
    list.forEach((change, i) => {
      const end = i + 1 < list.length ? list[i + 1]!.t : scale.end;
      parts.push(renderRole(change, end, y, nodeDowns, scale, unit));
    });
    // Down intervals go over the roles: whatever a node believed while down does not count.
    for (const down of nodeDowns) parts.push(renderDown(down, y, scale, unit));
  }
  // Marks go on top: a slow disk or a clock jump matters whatever the node's role.
  for (const m of marks) {
    const y = nodeY.get(m.node);
    if (y !== undefined) parts.push(renderMark(m, y, scale, unit));
  }
  return parts.join('\n');
}

function renderMark(m: NodeMark, y: number, scale: Scale, unit: string): string {
  const x0 = scale.x(m.start);
  const attrs = `class="nm ${classWord(m.what)}" data-kind="mark" data-mark="${classWord(m.what)}"`;
  if (m.end === m.start) {
    const tip = `${m.node}: ${m.detail}\nat ${formatTime(m.start)} ${unit}`;
    return `<line ${attrs} x1="${px(x0)}" x2="${px(x0)}" y1="${y - 3}" y2="${y + NODE_H + 3}" data-tip="${escapeHtml(tip)}"/>`;
  }
  const end = m.end ?? scale.end;
  const tip = `${m.node}: ${m.detail}\n${formatTime(m.start)}–${formatTime(end)} ${unit}`;
  return `<rect ${attrs} x="${px(x0)}" y="${y + NODE_H - MARK_H}" width="${px(Math.max(1, scale.x(end) - x0))}" height="${MARK_H}" data-tip="${escapeHtml(tip)}"/>`;
}

function renderRole(change: RoleChange, end: number, y: number, downs: readonly DownInterval[], scale: Scale, unit: string): string {
  const x0 = scale.x(change.t);
  const x1 = scale.x(end);
  const term = change.term === null ? '' : `, term ${change.term}`;
  const tip = `${change.node}: ${change.role}${term}\n${formatTime(change.t)}–${formatTime(end)} ${unit}`;
  let rect = `<rect class="r ${classWord(change.role)}" data-kind="role" data-role="${escapeHtml(change.role)}" x="${px(x0)}" y="${y}" width="${px(x1 - x0)}" height="${NODE_H}" data-tip="${escapeHtml(tip)}"/>`;
  if (change.role === 'leader' && change.term !== null) {
    // The term is written where the segment shows, i.e. before the node next goes down.
    const hidden = downs.find((d) => d.start >= change.t && d.start < end);
    const visible = scale.x(hidden ? hidden.start : end) - x0;
    const long = `term ${change.term}`;
    const text = visible >= long.length * CHAR_PX + 6 ? long : visible >= String(change.term).length * CHAR_PX + 4 ? String(change.term) : '';
    if (text) rect += `<text class="term" x="${px(x0 + visible / 2)}" y="${y + NODE_H / 2 + 4}">${text}</text>`;
  }
  return rect;
}

function renderDown(down: DownInterval, y: number, scale: Scale, unit: string): string {
  const x0 = scale.x(down.start);
  const end = down.end ?? scale.end;
  const x1 = scale.x(end);
  const back = down.cause === 'pause' ? 'resumed' : 'restarted';
  const until = down.end === null ? 'still down at the end' : `${back} at ${formatTime(down.end)}`;
  const tip = `${down.node} down (${down.cause})${down.detail ? `: ${down.detail}` : ''}\n${formatTime(down.start)}–${formatTime(end)} ${unit}, ${until}`;
  let svg = `<rect class="down ${classWord(down.cause)}" data-kind="down" data-cause="${classWord(down.cause)}" x="${px(x0)}" y="${y}" width="${px(Math.max(1, x1 - x0))}" height="${NODE_H}" data-tip="${escapeHtml(tip)}"/>`;
  if (down.end !== null) {
    // A line, not a rect: zooming scales x1/x2 but never a line's stroke width.
    svg += `<line class="restart" data-kind="restart" x1="${px(x1)}" x2="${px(x1)}" y1="${y - 2}" y2="${y + NODE_H + 2}" data-tip="${escapeHtml(`${down.node} ${back} at ${formatTime(down.end)} ${unit}`)}"/>`;
  }
  return svg;
}

interface NetworkLayout {
  readonly rows: number[];
  readonly count: number;
}

function layoutNetwork(events: readonly NetworkEvent[], scale: Scale): NetworkLayout {
  // Pack in pixels, counting the label's width, so no two labels overlap at zoom 1.
  const intervals = events.map((event) => {
    const start = scale.x(event.start);
    const end = Math.max(scale.x(event.end ?? scale.end), start + event.description.length * CHAR_PX + 8);
    return { start, end };
  });
  return packRows(intervals, 2);
}

function renderNetworkBand(
  event: NetworkEvent, row: number, scale: Scale,
  area: { nodeTop: number; nodeBottom: number; netTop: number },
  nodeY: ReadonlyMap<string, number>, unit: string,
): string {
  const x0 = scale.x(event.start);
  const end = event.end ?? scale.end;
  const w = px(Math.max(1, scale.x(end) - x0));
  const x = px(x0);
  const tip = `${event.description}\n${formatTime(event.start)}–${formatTime(end)} ${unit}${event.end === null ? ' (until the end)' : ''}`;
  const kind = classWord(event.kind);
  const hits = (event.nodes ?? []).flatMap((node) => {
    const y = nodeY.get(node);
    return y === undefined ? [] : [`<rect class="netov hit" x="${x}" y="${y - 2}" width="${w}" height="${NODE_H + 4}"/>`];
  });
  const barY = area.netTop + row * NET_ROW_H + 1;
  const across = MESSAGE_KINDS.has(event.kind) ? '' : `<rect class="netov" x="${x}" y="${area.nodeTop - 3}" width="${w}" height="${area.nodeBottom - area.nodeTop + 6}"/>`;
  return `<g class="net ${kind}" data-kind="network" data-net="${kind}" data-tip="${escapeHtml(tip)}">` +
    `${across}${hits.join('')}` +
    `<rect class="nb" x="${x}" y="${barY}" width="${w}" height="${NET_ROW_H - 3}"/>` +
    `<text class="nl" x="${x}" dx="3" y="${barY + NET_ROW_H - 6}">${escapeHtml(event.description)}</text></g>`;
}

interface ClientLayout {
  /** Clients in order, with how many rows each needs (1 unless its operations overlap). */
  readonly rowsPerClient: Map<number, number>;
  readonly rowOf: number[];
}

function layoutClients(operations: readonly Operation[], end: number): ClientLayout {
  const byClient = new Map<number, number[]>();
  operations.forEach((op, i) => {
    const list = byClient.get(op.client) ?? [];
    list.push(i);
    byClient.set(op.client, list);
  });
  const rowOf = new Array<number>(operations.length).fill(0);
  const rowsPerClient = new Map<number, number>();
  for (const client of [...byClient.keys()].sort((a, b) => a - b)) {
    const indices = byClient.get(client)!;
    // A client's operations are usually one after another; a real client may overlap them.
    const packed = packRows(indices.map((i) => ({ start: operations[i]!.call, end: operations[i]!.return ?? end })));
    indices.forEach((opIndex, k) => (rowOf[opIndex] = packed.rows[k]!));
    rowsPerClient.set(client, Math.max(1, packed.count));
  }
  return { rowsPerClient, rowOf };
}

function renderOperations(
  operations: readonly Operation[], rowOf: readonly number[], clientY: ReadonlyMap<number, number>,
  scale: Scale, blocked: ReadonlySet<number>,
): string {
  return operations.map((op, i) => {
    const x0 = scale.x(op.call);
    const x1 = scale.x(op.return ?? scale.end);
    const y = clientY.get(op.client)! + rowOf[i]! * (OP_H + OP_GAP);
    let cls = `o ${classWord(String(op.input.f))}`;
    if (op.return === null) cls += ' open';
    else if (op.output === null) cls += ' unk';
    if (op.input.f === 'cas' && op.output !== null && op.output.ok === false) cls += ' nop';
    if (blocked.has(i)) cls += ' blocked';
    return `<rect class="${cls}" data-op="${i}" x="${px(x0)}" y="${y}" width="${px(Math.max(1, x1 - x0))}" height="${OP_H}"/>`;
  }).join('\n');
}

interface Marker {
  readonly t: number;
  readonly label: string;
  readonly cls: string;
  readonly attrs: string;
  readonly detail: string;
}

/** Vertical lines, labelled above the axis; a label that would overlap the one before goes a row down. */
function renderMarkers(markers: readonly Marker[], scale: Scale, height: number, unit: string): string {
  const rowEnds = MARKER_ROWS.map(() => -Infinity);
  const sorted = markers.map((m, i) => [m, i] as const).sort((a, b) => a[0].t - b[0].t || a[1] - b[1]).map(([m]) => m);
  return sorted.map((marker) => {
    const x = scale.x(marker.t);
    const width = marker.label.length * CHAR_PX * 1.15 + 6;
    // Labels near the right edge are drawn leftwards so they stay on the page.
    const leftwards = x + width > PLOT_PX;
    const [from, to] = leftwards ? [x - width, x] : [x, x + width];
    let row = rowEnds.findIndex((end) => end <= from);
    if (row === -1) row = rowEnds.indexOf(Math.min(...rowEnds));
    rowEnds[row] = to;
    const tip = `${marker.label} at ${formatTime(marker.t)} ${unit}${marker.detail ? `\n${marker.detail}` : ''}`;
    return `<g class="${marker.cls}" ${marker.attrs} data-tip="${escapeHtml(tip)}"><line x1="${px(x)}" x2="${px(x)}" y1="${MARKER_ROWS[row]! - 9}" y2="${height}"/>` +
      `<text x="${px(x)}" dx="${leftwards ? -3 : 3}" y="${MARKER_ROWS[row]}" text-anchor="${leftwards ? 'end' : 'start'}">${escapeHtml(marker.label)}</text></g>`;
  }).join('\n');
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
