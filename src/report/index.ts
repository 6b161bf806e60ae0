/**
 * report.html: one self-contained page per run (header, timeline of nodes, network faults and
 * client operations, and the checker's visualization). `renderTimelineReport` draws plain data
 * from any source; `renderRunReport` adapts a simulator run to it (`raftsim fuzz --out` calls it).
 */
import type { RunReport } from '../harness/execute.js';
import { runReportData } from './fromRun.js';
import { renderTimelineReport } from './page.js';

export type {
  CheckInfo, DownInterval, NetworkEvent, NodeEvent, NodeMark, ReportStatus, RoleChange, TimeMarker, TimelineReportData, ViolationInfo,
} from './types.js';
export { renderTimelineReport } from './page.js';
export { runReportData } from './fromRun.js';

/** `replay`: the command that reruns this run (default: built from its spec; pass the failure file's when there is one). */
export function renderRunReport(report: RunReport, replay?: string): string {
  return renderTimelineReport(runReportData(report, replay));
}
