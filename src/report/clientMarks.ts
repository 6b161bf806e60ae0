/**
 * Client time-outs and retries on the operations' bars: a time-out is a short upright mark across
 * its bar (orange when the client sent the request again, red when it gave up); each retry is a
 * dashed line under the bar, from the time-out to the next one or the operation's end, carrying
 * the operation's index (`data-retry-of`), so the attempts read as parts of the one operation.
 */
import type { Operation } from '../checker/index.js';
import { escapeHtml, formatTime, px } from './html.js';
import type { Scale } from './layout.js';
import type { ClientTimeout } from './types.js';

/** Where an operation's bar is drawn: its top and height. */
export type BarPlace = (operation: number) => { readonly y: number; readonly h: number };

export function renderClientTimeouts(
  timeouts: readonly ClientTimeout[], operations: readonly Operation[], bar: BarPlace, scale: Scale, unit: string,
): string {
  const byOperation = new Map<number, ClientTimeout[]>();
  for (const timeout of timeouts) {
    const list = byOperation.get(timeout.operation);
    if (list) list.push(timeout);
    else byOperation.set(timeout.operation, [timeout]);
  }
  const parts: string[] = [];
  for (const [index, list] of byOperation) {
    const op = operations[index];
    if (!op) continue;
    const { y, h } = bar(index);
    list.forEach((timeout, k) => {
      const x = px(scale.x(timeout.t));
      const to = timeout.node === undefined ? '' : ` to ${timeout.node}`;
      const seq = timeout.seq === undefined ? '' : ` (seq ${timeout.seq})`;
      const after = timeout.then === 'retry' ? 'sent again' : 'the client gave up: outcome unknown';
      const tip = `op ${index} · client ${op.client}: request${to}${seq} timed out at ${formatTime(timeout.t)} ${unit}` +
        `\nattempt ${timeout.attempt}; ${after}`;
      parts.push(`<line class="to ${timeout.then}" data-kind="timeout" data-timeout-of="${index}" data-attempt="${timeout.attempt}" ` +
        `x1="${x}" x2="${x}" y1="${y - 2}" y2="${y + h + 2}" data-tip="${escapeHtml(tip)}"/>`);
      if (timeout.then !== 'retry') return;
      const end = list[k + 1]?.t ?? op.return ?? scale.end;
      const retryTip = `retry ${timeout.attempt} of op ${index} · client ${op.client}\n` +
        `sent at ${formatTime(timeout.t)} ${unit}, after attempt ${timeout.attempt} timed out; ` +
        (list[k + 1] ? `timed out in turn at ${formatTime(end)}` : op.return === null ? 'no answer by the end' : `answered by ${formatTime(end)}`);
      parts.push(`<line class="retry" data-kind="retry" data-retry-of="${index}" data-attempt="${timeout.attempt + 1}" ` +
        `x1="${x}" x2="${px(Math.max(scale.x(end), scale.x(timeout.t) + 1))}" y1="${y + h + 1.5}" y2="${y + h + 1.5}" data-tip="${escapeHtml(retryTip)}"/>`);
    });
  }
  return parts.join('\n');
}
