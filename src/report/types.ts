/**
 * The plain data a timeline report is drawn from. Nothing here is simulator-specific, so the same
 * page serves runs of the simulator (virtual ms, crashes) and of real clusters (real ms, SIGKILL,
 * SIGSTOP, partitions through an admin endpoint): each source writes its own adapter to this shape.
 */
import type { AnyModel, CheckResult, Operation } from '../checker/index.js';

export type ReportStatus = 'pass' | 'fail' | 'unknown';

export interface TimelineReportData {
  /** The page title and top heading. */
  readonly title: string;
  readonly status: ReportStatus;
  /** Header rows, in order: [label, value]. */
  readonly summary: readonly (readonly [string, string])[];
  readonly violation: ViolationInfo | null;
  /** A shell command that reproduces the run, shown ready to copy; null if there is none. */
  readonly replay: string | null;
  /** The unit of every time below, for the axis and tooltips, e.g. "virtual ms" or "ms". */
  readonly timeUnit: string;
  /** The right end of the time axis; the axis starts at 0. Later items are clipped to it. */
  readonly endTime: number;
  /** Node ids, one lane each, top to bottom. */
  readonly nodes: readonly string[];
  readonly nodeEvents: readonly NodeEvent[];
  readonly networkEvents: readonly NetworkEvent[];
  /** Vertical lines across the timeline, e.g. the heal at the end of the faults phase. */
  readonly markers: readonly TimeMarker[];
  /** The client history, in the checker's format (one lane per client). */
  readonly operations: readonly Operation[];
  /** Requests that timed out, each on its operation's bar; absent or empty when none are known. */
  readonly clientTimeouts?: readonly ClientTimeout[];
  readonly check: CheckInfo;
  /** Remarks shown under the header, e.g. what is missing and why. */
  readonly notes: readonly string[];
}

/**
 * A client's request that got no answer in time. The client then sent it again (`retry`: the next
 * attempt runs from `t` to the following time-out or the operation's return) or stopped waiting
 * (`give-up`: the operation's outcome is unknown).
 */
export interface ClientTimeout {
  /** Index in `operations` of the operation whose request timed out. */
  readonly operation: number;
  readonly t: number;
  /** 1 for the first request, 2 for the first retry, … */
  readonly attempt: number;
  readonly then: 'retry' | 'give-up';
  /** The request's sequence number and the node it was sent to, when the source knows them. */
  readonly seq?: number;
  readonly node?: string;
}

export interface ViolationInfo {
  /** e.g. safety, liveness, crash, linearizability. */
  readonly kind: string;
  readonly invariant: string;
  readonly message: string;
  /** When it was seen; drawn as a red line. null: no single time. */
  readonly time: number | null;
  /** The checker's explanation lines, for a history that is not linearizable. */
  readonly explanation: readonly string[];
}

export type NodeEvent = RoleChange | DownInterval | NodeMark;

/** From `t` on, until its next role change, the node has this role (follower, candidate, leader). */
export interface RoleChange {
  readonly kind: 'role';
  readonly node: string;
  readonly t: number;
  readonly role: string;
  readonly term: number | null;
}

/**
 * The node is not running (crash, SIGKILL) or not scheduled (SIGSTOP) from `start` to `end`
 * (null: to the end). Drawn over the role lane; a role change at `end` says what it came back as
 * (a paused node resumes with its old role, a restarted one as a follower).
 */
export interface DownInterval {
  readonly kind: 'down';
  readonly node: string;
  readonly start: number;
  readonly end: number | null;
  /** A short word: crash, kill, pause. */
  readonly cause: string;
  /** More, for the tooltip (e.g. "2 unsynced writes lost"). */
  readonly detail?: string;
}

/**
 * Something that happened to one node without stopping it, drawn on its lane over its role: a
 * band from `start` to `end` (null: to the end), e.g. a slow disk or a stopped clock, or a mark
 * at `start` when `end` equals it, e.g. a clock jump.
 */
export interface NodeMark {
  readonly kind: 'mark';
  readonly node: string;
  readonly start: number;
  readonly end: number | null;
  /** A short class word: slow-disk, clock-jump, clock-stopped, trap, … */
  readonly what: string;
  /** For the tooltip. */
  readonly detail: string;
}

/** A network fault in force from `start` to `end` (null: to the end), e.g. a partition or a hold. */
export interface NetworkEvent {
  /** A short class word: partition, isolate, bridge, ring, one-way, hold, … */
  readonly kind: string;
  readonly description: string;
  readonly start: number;
  readonly end: number | null;
  /** The nodes it singles out (the isolated node, a link's ends), whose lanes are shaded more. */
  readonly nodes?: readonly string[];
}

export interface TimeMarker {
  readonly t: number;
  readonly label: string;
  /** A class word, e.g. heal. */
  readonly kind: string;
}

export interface CheckInfo {
  /** The model the history was checked against (for the checker's own visualization). */
  readonly model: AnyModel;
  /** null: not checked (say why in `note`). */
  readonly result: CheckResult | null;
  /** Shown above the checker's visualization, e.g. "checked for this report". */
  readonly note: string | null;
  /** The explanation lines of a failed check, if the header's violation does not already show them. */
  readonly explanation: readonly string[];
}
