/**
 * Client time-outs and retries in report.html (issue 12): read out of a trace, tied to their
 * operations, and drawn as marks on the operations' bars, with retries linked to their operation.
 */
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../src/checker/index.js';
import { clientTimeoutsFromTrace } from '../../src/report/clientEvents.js';
import type { TraceRecord } from '../../src/sim/trace.js';
import { renderRunReport, renderTimelineReport, runReportData } from '../../src/report/index.js';
import { failingReport } from './failingReport.js';
import { newFaultsRun } from './runs.js';

function count(html: string, needle: string): number {
  return html.split(needle).length - 1;
}

const op = (client: number, call: number, ret: number | null, output: object | null = {}): Operation =>
  ({ client, call, return: ret, input: { f: 'put', key: 'x', value: 'v' }, output } as Operation);

describe('clientTimeoutsFromTrace', () => {
  it('ties each time-out to its operation, says retry or give-up, and skips calls that left the history', () => {
    const operations = [op(1, 0, 100), op(2, 5, 300, null), op(1, 150, 200), op(1, 400, null, null)];
    const trace: TraceRecord[] = [
      { t: 0, ev: 'call', client: 1, seq: 1, node: 2 },
      { t: 5, ev: 'call', client: 2, seq: 1, node: 1 },
      { t: 50, ev: 'timeout', client: 1 },
      { t: 90, ev: 'timeout', client: 1, seq: 1, node: 3 },
      { t: 100, ev: 'return', client: 1, seq: 1, node: 3, output: '{}' },
      // Client 1's second call expired before it was applied: it is not in the history.
      { t: 110, ev: 'call', client: 1, seq: 2, node: 3 },
      { t: 130, ev: 'timeout', client: 1 },
      { t: 140, ev: 'session-expired', client: 1, seq: 2, node: 3, outcome: 'not-applied' },
      { t: 150, ev: 'call', client: 1, seq: 1, node: 3 },
      { t: 200, ev: 'return', client: 1, seq: 1, node: 3, output: '{}' },
      { t: 300, ev: 'timeout', client: 2 },
      { t: 300, ev: 'give-up', client: 2, seq: 1 },
      { t: 400, ev: 'call', client: 1, seq: 2, node: 1 },
      { t: 450, ev: 'timeout', client: 1 },
    ];
    expect(clientTimeoutsFromTrace(trace, operations)).toEqual([
      { operation: 0, t: 50, attempt: 1, then: 'retry', seq: 1, node: 'n2' },
      { operation: 0, t: 90, attempt: 2, then: 'retry', seq: 1, node: 'n3' },
      { operation: 1, t: 300, attempt: 1, then: 'give-up', seq: 1, node: 'n1' },
      { operation: 3, t: 450, attempt: 1, then: 'retry', seq: 2, node: 'n1' },
    ]);
  });
});

describe('drawing time-outs and retries', () => {
  it('draws a mark per time-out and a retry line linked to its operation, with tooltips', () => {
    const html = renderTimelineReport(failingReport());
    expect(count(html, 'data-kind="timeout"')).toBe(3);
    expect(count(html, 'class="to give-up"')).toBe(1);
    expect(count(html, 'data-kind="retry"')).toBe(2);
    expect(count(html, 'data-retry-of="0"')).toBe(2);
    expect(html).toContain('data-retry-of="0" data-attempt="2"');
    expect(html).toContain('data-retry-of="0" data-attempt="3"');
    expect(html).toContain('op 0 · client 1: request to n2 (seq 1) timed out at 350 ms\nattempt 1; sent again');
    expect(html).toContain('op 8 · client 2: request to n3 (seq 1) timed out at 614 ms\nattempt 1; the client gave up: outcome unknown');
    expect(html).toContain('retry 1 of op 0 · client 1\nsent at 350 ms, after attempt 1 timed out; timed out in turn at 500');
    expect(html).toContain('retry 2 of op 0 · client 1\nsent at 500 ms, after attempt 2 timed out; answered by 607');
  });

  it('a real run: one mark per time-out of its trace, counted in the header', async () => {
    const run = await newFaultsRun();
    const timeouts = (run.sim.trace ?? []).filter((record) => record.ev === 'timeout').length;
    const giveUps = (run.sim.trace ?? []).filter((record) => record.ev === 'give-up').length;
    expect(timeouts).toBeGreaterThan(0);
    const data = runReportData(run);
    expect(data.clientTimeouts!.length).toBe(timeouts);
    const html = renderRunReport(run);
    expect(count(html, 'data-kind="timeout"')).toBe(timeouts);
    expect(count(html, 'data-kind="retry"')).toBe(timeouts - giveUps);
    expect(html).toContain(`<th>client time-outs</th><td>${timeouts} (${timeouts - giveUps} retried, ${giveUps} given up)</td>`);
    // Every retry sits under the bar of an operation of the client that timed out.
    for (const timeout of data.clientTimeouts!) {
      const operation = data.operations[timeout.operation]!;
      expect(operation.call).toBeLessThanOrEqual(timeout.t);
      if (operation.return !== null) expect(timeout.t).toBeLessThanOrEqual(operation.return);
    }
  });
});
