/**
 * The page's structure, without a browser: one element per operation, per role change, per crash
 * and per network fault; the violation marked; the same bytes every time.
 */
import { describe, expect, it } from 'vitest';
import { executeRun, type RunReport, type RunStatus } from '../../src/harness/execute.js';
import { renderRunReport, runReportData } from '../../src/report/index.js';
import { faultyPass, largeFailure, linearizabilityFailure, run, safetyFailure } from './runs.js';

const NETWORK_KINDS = new Set(['partition', 'isolate', 'bridge', 'ring', 'one-way', 'hold']);

/** Occurrences in the page itself: the embedded checker page is escaped (&quot;), so never counted. */
function count(html: string, needle: string): number {
  return html.split(needle).length - 1;
}

function records(report: RunReport, ev: string) {
  return (report.sim.trace ?? []).filter((record) => record.ev === ev);
}

/** Each run with the verdict it is known to have: stated here, never read back from the run. */
const cases: [string, () => Promise<RunReport>, RunStatus][] = [
  ['split-vote seed 1, grant-every-vote (safety failure)', safetyFailure, 'fail'],
  ['lossy-churn seed 111 (pass, every kind of fault)', faultyPass, 'pass'],
  ['lossy-churn seed 4 (swarm), no-duplicate-detection (not linearizable)', linearizabilityFailure, 'fail'],
];

describe.each(cases)('%s', (_name, get, expected) => {
  it('has one element per operation, role change, crash and network fault', async () => {
    const report = await get();
    const html = renderRunReport(report);
    expect(count(html, 'data-op="')).toBe(report.sim.history.operations.length);
    expect(count(html, 'data-kind="role"')).toBeGreaterThanOrEqual(records(report, 'role').length);
    expect(count(html, 'data-kind="down"')).toBe(records(report, 'crash').length);
    expect(count(html, 'data-kind="restart"')).toBe(records(report, 'restart').length);
    const networkFaults = records(report, 'fault').filter((r) => NETWORK_KINDS.has(String(r.what).split(' ')[0]!));
    expect(count(html, 'data-kind="network"')).toBe(networkFaults.length);
  });

  it('marks the violation in red exactly when the run failed, and shows the verdict', async () => {
    const report = await get();
    const html = renderRunReport(report);
    expect(report.status).toBe(expected);
    expect(count(html, 'data-kind="violation"')).toBe(expected === 'fail' ? 1 : 0);
    expect(html).toContain(`data-status="${expected}"`);
    expect(html).toContain(report.sim.traceHash);
    expect(html).toContain(`raftsim replay ${report.spec.scenarioRef} --seed ${report.spec.seed}`);
    if (expected === 'fail') expect(html).toContain(report.violation!.invariant);
  });

  it('is the same bytes when rendered twice, and for the same run made again', async () => {
    const report = await get();
    const first = renderRunReport(report);
    expect(renderRunReport(report)).toBe(first);
    const fresh = await executeRun(report.spec, { keepTrace: true });
    expect(renderRunReport(fresh)).toBe(first);
  });

  it('embeds the checker page, escaped, in an iframe', async () => {
    const html = renderRunReport(await get());
    expect(html).toMatch(/<iframe id="checker"[^>]* srcdoc="&lt;!doctype html&gt;/);
    // Nothing of the embedded page leaks out as markup: one <script> pair of ours only.
    expect(count(html, '<script')).toBe(2);
  });
});

describe('details', () => {
  it('checks the history itself when the run stopped at a safety violation', async () => {
    const report = await safetyFailure();
    expect(report.check).toBeNull();
    const data = runReportData(report);
    expect(data.check.result?.result).toBe('linearizable');
    expect(data.check.note).toContain('Checked for this report');
  });

  it('shows the checker explanation and the operation it could not place', async () => {
    const report = await linearizabilityFailure();
    expect(report.violation?.kind).toBe('linearizability');
    const html = renderRunReport(report);
    const explanation = 'explanation' in report.violation! ? report.violation.explanation : [];
    expect(explanation.length).toBeGreaterThan(0);
    expect(html).toContain('not linearizable');
    const blocked = report.check!.parts.find((part) => part.failure?.blocked != null)!.failure!.blocked!;
    expect(html).toMatch(new RegExp(`class="[^"]*blocked[^"]*" data-op="${blocked}"`));
    expect(html).toContain(`op ${blocked} not linearizable`);
  });

  it('names the node an "isolate leader" fault hit when there was a leader', async () => {
    const data = runReportData(await faultyPass());
    const resolved = data.networkEvents.filter((e) => /^isolate leader \(n\d\)$/.test(e.description));
    expect(resolved.length).toBeGreaterThan(0);
    for (const event of resolved) expect(event.nodes).toEqual([event.description.slice(-3, -1)]);
  });

  it('marks the heal at the end of the faults phase', async () => {
    const report = await faultyPass();
    const html = renderRunReport(report);
    expect(count(html, 'data-marker="heal"')).toBe(1);
    expect(runReportData(report).markers).toContainEqual({ t: report.effective.durationMs, label: 'heal', kind: 'heal' });
  });

  it('without a trace, draws network faults from the fault plan and says what is missing', async () => {
    const traced = await faultyPass();
    const bare = await run('lossy-churn', 111, null, false);
    const html = renderRunReport(bare);
    expect(html).toContain('without keepTrace');
    expect(count(html, 'data-kind="role"')).toBe(0);
    expect(count(html, 'data-op="')).toBe(bare.sim.history.operations.length);
    // The same bands as from the trace, only "leader" unresolved.
    const strip = (d: string) => d.replace(/ \(n\d\)$/, '');
    expect(runReportData(bare).networkEvents.map((e) => [e.start, e.end, e.description]))
      .toEqual(runReportData(traced).networkEvents.map((e) => [e.start, e.end, strip(e.description)]));
  });

  it('stays small for a history of thousands of operations', async () => {
    const report = await largeFailure();
    expect(report.sim.history.operations.length).toBeGreaterThan(2000);
    const html = renderRunReport(report);
    expect(count(html, 'data-op="')).toBe(report.sim.history.operations.length);
    // The whole page, the checker's embedded page included, per operation.
    expect(html.length / report.sim.history.operations.length).toBeLessThan(1200);
  });
});
