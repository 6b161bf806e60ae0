/**
 * One part (e.g. one key) of the checker's HTML page: each client's operations as bars on a time
 * line, the (longest) linearization drawn through them as numbered points, the operations pending
 * after it outlined, and the first one that could not be placed in red.
 *
 * Time is drawn by rank (the n-th distinct event time of the part), not to scale, so short and
 * long gaps take the same room. The client labels sit in a sticky column, so they stay in view
 * while the time line scrolls sideways.
 */
import type { PartResult } from './check.js';
import { isIndeterminate, type Operation } from './history.js';
import type { FullModel } from './model.js';

const STEP_PX = 28;
const ROW_PX = 30;
const LEFT_PX = 80;
const TOP_PX = 12;

/** Details shown on hover, by `data-key` ("history:operation"), gathered while drawing. */
export type OperationDetails = Record<string, string>;

export function renderPart(
  model: FullModel<unknown, unknown, unknown>,
  operations: readonly Operation[],
  part: PartResult,
  historyIndex: number,
  details: OperationDetails,
): string {
  const times = [...new Set(part.operations.flatMap((i) => [operations[i]!.call, operations[i]!.return ?? Infinity]))]
    .sort((a, b) => a - b);
  const rank = new Map(times.map((time, position) => [time, position]));
  const x = (time: number): number => LEFT_PX + rank.get(time)! * STEP_PX;
  const clients = [...new Set(part.operations.map((i) => operations[i]!.client))].sort((a, b) => a - b);
  const row = new Map(clients.map((client, position) => [client, position]));
  const y = (op: Operation): number => TOP_PX + row.get(op.client)! * ROW_PX;
  const order = new Map(part.linearization.map((op, position) => [op, position]));
  const states = replayStates(model, operations, part.linearization);
  const pending = new Map(part.failure?.pending.map((p) => [p.operation, p.legal]) ?? []);
  const blocked = part.failure?.blocked ?? null;

  const width = LEFT_PX + times.length * STEP_PX + 40;
  const height = TOP_PX * 2 + clients.length * ROW_PX;
  const labels = clients.map((client) =>
    `<div class="client" style="top:${TOP_PX + row.get(client)! * ROW_PX + 2}px">client ${client}</div>`);
  const bars = part.operations.map((index) => {
    const op = operations[index]!;
    const key = `${historyIndex}:${index}`;
    const position = order.get(index);
    const text = model.describeOperation(op.input, op.output);
    const note = index === blocked ? 'the first operation that could not be placed'
      : pending.has(index) ? (pending.get(index) ? 'pending: allowed next, but nothing could follow it'
        : 'pending: not allowed after the longest linearization') : null;
    details[key] = describeDetails(index, op, text, position, states, note);
    const classes = ['op', op.return === null ? 'open' : '', position !== undefined ? 'linearized' : '',
      pending.has(index) ? 'pending' : '', index === blocked ? 'failed' : ''].filter(Boolean).join(' ');
    const left = x(op.call);
    const barWidth = Math.max(STEP_PX - 2, x(op.return ?? Infinity) - left + STEP_PX - 4);
    const failed = index === blocked ? ' data-failed="true"' : '';
    return `<div class="${classes}" data-op="${index}" data-key="${key}"${failed} ` +
      `style="left:${left}px;top:${y(op)}px;width:${barWidth}px">${escapeHtml(text)}</div>`;
  });
  const points = linearizationPoints(part.linearization.map((i) => operations[i]!), x, y);
  const markers = points.map(([px, py], position) =>
    `<div class="marker" style="left:${px}px;top:${py}px">${position + 1}</div>`);
  const path = points.length > 1
    ? `<svg class="path" width="${width}" height="${height}"><polyline fill="none" stroke="#0969da" ` +
      `stroke-width="1.5" points="${points.map(([px, py]) => `${px},${py}`).join(' ')}"/></svg>`
    : '';
  const summary = part.result === 'linearizable'
    ? 'linearizable'
    : `${part.result}, longest linearization ${part.linearization.length} of ${part.operations.length}`;
  // The label column comes first and is in flow (sticky); everything else is placed absolutely.
  return `<div class="part" data-part-verdict="${part.result}"><h3>${escapeHtml(part.label)}: <span class="verdict-${part.result}">${summary}</span></h3>
<div class="scroll"><div class="timeline" style="width:${width}px;height:${height}px">
<div class="lanes" style="width:${LEFT_PX - 4}px;height:${height}px">${labels.join('')}</div>
${bars.join('\n')}
${path}
${markers.join('\n')}
</div></div></div>`;
}

/**
 * One point per linearized operation, inside its bar and never left of the previous point: the
 * linearization respects real time, so taking the later of the call and the previous point works.
 * An indeterminate operation's point may lie past its bar: it may take effect after its recorded
 * return, when the client stopped waiting.
 */
function linearizationPoints(
  ops: readonly Operation[],
  x: (time: number) => number,
  y: (op: Operation) => number,
): Array<[number, number]> {
  let previous = 0;
  return ops.map((op) => {
    const end = isIndeterminate(op) ? Infinity : x(op.return ?? Infinity) + STEP_PX - 8;
    previous = Math.min(Math.max(previous + 4, x(op.call) + 6), Math.max(end, x(op.call) + 6));
    // On the bar's top edge, so the text stays readable.
    return [previous, y(op)];
  });
}

/** States along a linearization: [0] initial, [i + 1] after its i-th operation. */
function replayStates(
  model: FullModel<unknown, unknown, unknown>,
  operations: readonly Operation[],
  linearization: readonly number[],
): string[] {
  let state = model.init();
  const states = [model.describeState(state)];
  for (const index of linearization) {
    state = model.step(state, operations[index]!.input, operations[index]!.output).state;
    states.push(model.describeState(state));
  }
  return states;
}

function describeDetails(
  index: number,
  op: Operation,
  text: string,
  position: number | undefined,
  states: readonly string[],
  note: string | null,
): string {
  const lines = [
    `op ${index}: ${text}`,
    `client ${op.client}, call ${op.call}, return ${op.return ?? 'never'}`,
    `input ${JSON.stringify(op.input)}`,
    `output ${op.output === null ? 'unknown' : JSON.stringify(op.output)}`,
  ];
  if (position !== undefined) {
    lines.push(`linearized #${position + 1}: state ${states[position]} ⇒ ${states[position + 1]}`);
  } else {
    lines.push(`not in the linearization (it ends in state ${states[states.length - 1]})`);
  }
  if (note) lines.push(note);
  return lines.join('\n');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
