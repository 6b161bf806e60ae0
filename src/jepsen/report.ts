/**
 * report.html for a run against a real cluster: the simulator's report page
 * (report/renderTimelineReport) fed with real events — roles from /status polling, kills and
 * pauses from the fault log as down intervals, partitions as network bands — in real ms since the
 * test started.
 */
import { raftsimKvModel, type Operation } from '../checker/index.js';
import { renderTimelineReport, type CheckInfo, type NetworkEvent, type NodeEvent, type TimelineReportData } from '../report/index.js';
import { formatLatency, formatShare, measurePerformance } from './performance.js';
import { renderPerformanceSection } from './performanceSection.js';
import type { JepsenResult } from './run.js';
import type { FaultRecord } from './types.js';

/**
 * The shared page has no slot for extra sections: ours goes in just before the timeline, so that
 * the run's speed is the first thing under the verdict.
 */
const SECTION_ANCHOR = '<section id="timeline-section">';

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function withProblem(fault: FaultRecord): string {
  return fault.error === undefined ? fault.description : `${fault.description} (problem: ${fault.error})`;
}

export function renderJepsenReport(result: JepsenResult): string {
  const page = renderTimelineReport(jepsenReportData(result));
  const at = page.indexOf(SECTION_ANCHOR);
  if (at < 0) throw new Error(`the report page has no ${SECTION_ANCHOR} to put the latency section before`);
  const section = renderPerformanceSection(measurePerformance(result.history), result.faults, result.healTime);
  return `${page.slice(0, at)}${section}${page.slice(at)}`;
}

export function jepsenReportData(result: JepsenResult): TimelineReportData {
  const operations = result.history as unknown as readonly Operation[];
  const nodeEvents: NodeEvent[] = [];
  for (const change of result.roles) nodeEvents.push({ kind: 'role', node: change.node, t: change.t, role: change.role, term: change.term });
  const networkEvents: NetworkEvent[] = [];
  for (const fault of result.faults) {
    if (fault.kind === 'partition') {
      networkEvents.push({ kind: fault.shape === 'split' ? 'partition' : 'isolate', description: withProblem(fault), start: fault.start, end: fault.end, nodes: fault.nodes });
    } else if (fault.kind === 'member') {
      // Still running, only outside the configuration: a band on its lane, not a down interval.
      for (const node of fault.nodes) nodeEvents.push({ kind: 'mark', node, start: fault.start, end: fault.end, what: 'removed', detail: withProblem(fault) });
    } else {
      for (const node of fault.nodes) {
        nodeEvents.push({ kind: 'down', node, start: fault.start, end: fault.end, cause: fault.kind, detail: withProblem(fault) });
      }
    }
  }
  const { options, stats } = result;
  const check: CheckInfo = {
    model: raftsimKvModel as CheckInfo['model'],
    result: result.check,
    note: result.check === null ? 'not checked: the run did not get as far as the check'
      : result.check.result === 'unknown' ? 'The check ran out of time: the verdict is unknown, not a pass.' : null,
    explanation: result.explanation,
  };
  const byKind = (kind: string) => result.faults.filter((f) => f.kind === kind).length;
  const end = Math.max(result.endTime, ...operations.map((op) => op.return ?? op.call), 1);
  const perf = measurePerformance(result.history);
  const incomplete = result.faults.filter((f) => f.error !== undefined).length;
  return {
    title: `raftsim jepsen seed ${options.seed}`,
    status: result.verdict === 'ok' ? 'pass' : result.verdict === 'unknown' ? 'unknown' : 'fail',
    summary: [
      ['cluster', `${options.nodes} real nodes (raftsim serve, fsync on) on loopback, ${options.clients} HTTP clients`],
      ['seed', String(options.seed)],
      ['faults', `${options.faults.join(', ') || 'none'}: ${plural(byKind('kill'), 'kill')}, ${plural(byKind('pause'), 'pause')}, ${plural(byKind('partition'), 'partition')}, ${plural(byKind('member'), 'membership change')} over ${options.durationMs / 1000} s`],
      ['operations', `${result.history.length} in the history: ${stats.ok} answered, ${stats.unknown} unknown (never returned, ${formatShare(perf.unknownShare)}); ${stats.notApplied} certainly not applied (left out)`],
      ['latency', `${formatLatency(perf.latency)}; ${perf.meanPerSecond.toFixed(1)} answered operations/s (per kind and over time below)`],
      ['fault problems', incomplete === 0 ? 'none: every fault was carried out fully' : `${plural(incomplete, 'fault')} not carried out fully (see the fault's tooltip and faults.json)`],
      ['final reads', result.finalValues === null ? 'none' : `${result.finalValues.size} keys read through the leader after the heal`],
      ['acknowledged writes', `${result.lostWrites.verified} checked against the final values, ${result.lostWrites.superseded} possibly replaced later, ${result.lostWrites.lost.length} lost`],
      ['node logs', `${Array.from({ length: options.nodes }, (_, i) => `logs/n${i + 1}.log`).join(', ')} next to this page, each line stamped in ms since the test started (the time base of this page and faults.json)`],
      ['verdict', result.verdict.toUpperCase()],
    ],
    violation: result.problems.length === 0 ? null : {
      kind: result.verdict === 'unknown' ? 'unknown' : 'failure', invariant: result.problems[0]!.kind, message: result.problems.map((p) => p.message).join('; '),
      time: null, explanation: [],
    },
    replay: `raftsim jepsen --nodes ${options.nodes} --clients ${options.clients} --duration ${options.durationMs / 1000}s --faults ${options.faults.join(',') || 'none'} --seed ${options.seed}` +
      ' (same fault schedule and operations drawn; real timing differs)',
    timeUnit: 'ms',
    endTime: end,
    nodes: Array.from({ length: options.nodes }, (_, i) => `n${i + 1}`),
    nodeEvents: nodeEvents.sort((a, b) => (a.kind === 'role' ? a.t : a.start) - (b.kind === 'role' ? b.t : b.start)),
    networkEvents,
    markers: result.healTime === null ? [] : [{ t: result.healTime, label: 'heal', kind: 'heal' }],
    operations,
    check,
    notes: [
      'Real time: ms since the test started (performance.now). Roles come from polling /status every 100 ms, so short-lived roles may be missed.',
      'An operation whose outcome is unknown is drawn open (dashed) to the end: it may take effect at any time after its call, or never.',
    ],
  };
}
