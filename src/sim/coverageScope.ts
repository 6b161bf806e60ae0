/**
 * Which coverage counters a scenario can move at all. A fault kind the scenario does not enable
 * (neither among its random kinds, with a fault interval, nor in its fixed schedule) is "not
 * enabled" rather than "never taken": a campaign over it could not have fired it, by design. The
 * same for snapshots when the scenario never compacts. Everything else is always in scope.
 *
 * This errs towards "enabled": a counter wrongly in scope shows up as "never taken" (a warning a
 * user can look into), never the other way round.
 */
import { COVERAGE_NAMES } from './coverageCounters.js';
import type { FaultAction, FaultKind } from './faults.js';
import type { RandomFaultKind, Scenario } from './scenario.js';

/** Counters each random fault kind can move (faults.* names without the prefix). */
const FROM_RANDOM: Record<RandomFaultKind, readonly string[]> = {
  crash: ['crash', 'restart', 'messages-cut', 'writes-lost'],
  'crash-leader': ['crash', 'restart', 'messages-cut', 'writes-lost'],
  'crash-many': ['crash-many', 'restart', 'messages-cut', 'writes-lost'],
  'crash-all': ['crash-all', 'restart', 'messages-cut', 'writes-lost'],
  'crash-new-leader': ['crash-next-leader', 'traps-sprung', 'crash', 'restart', 'messages-cut', 'writes-lost'],
  isolate: ['isolate', 'heal', 'messages-cut'],
  'isolate-leader': ['isolate', 'heal', 'messages-cut'],
  split: ['partition', 'heal', 'messages-cut'],
  bridge: ['bridge', 'heal', 'messages-cut'],
  ring: ['ring', 'heal', 'messages-cut'],
  'one-way': ['one-way', 'heal', 'messages-cut'],
  hold: ['hold', 'release', 'messages-held'],
  'long-delay': ['delay', 'messages-held'],
  replay: ['replay'],
  pause: ['pause', 'messages-cut'],
  'pause-leader': ['pause', 'messages-cut'],
  'pause-new-leader': ['pause-next-leader', 'traps-sprung', 'pause', 'messages-cut'],
  'clock-jump': ['clock-jump'],
  'slow-disk': ['slow-disk'],
  'split-clients': ['clients-reach', 'heal'],
  'crash-snapshot-installer': ['crash-next-snapshot-installer', 'traps-sprung', 'crash', 'restart', 'messages-cut', 'writes-lost'],
  'disk-damage': ['disk-damage', 'restart', 'messages-cut', 'writes-lost', 'recoveries-refused'],
  'disk-full': ['disk-full', 'restart', 'messages-cut', 'writes-lost', 'starts-failed'],
  'transfer-leader': ['transfer-leader'],
  'add-learner': ['add-learner'],
  promote: ['promote'],
  remove: ['remove'],
  'remove-leader': ['remove'],
  'replace-leader': ['add-learner', 'promote', 'remove'],
};

/** Counters a fixed action of each kind can move, besides its own. */
const FROM_ACTION: Partial<Record<FaultKind, readonly string[]>> = {
  crash: ['messages-cut', 'writes-lost'],
  'disk-damage': ['messages-cut', 'writes-lost', 'recoveries-refused'],
  'disk-full': ['messages-cut', 'writes-lost', 'starts-failed'],
  'crash-many': ['messages-cut', 'writes-lost'],
  'crash-all': ['messages-cut', 'writes-lost'],
  'crash-next-leader': ['traps-sprung', 'crash', 'messages-cut', 'writes-lost'],
  'crash-next-snapshot-installer': ['traps-sprung', 'crash', 'messages-cut', 'writes-lost'],
  'pause-next-leader': ['traps-sprung', 'pause', 'messages-cut'],
  pause: ['messages-cut'],
  partition: ['messages-cut'],
  isolate: ['messages-cut'],
  bridge: ['messages-cut'],
  ring: ['messages-cut'],
  'one-way': ['messages-cut'],
  hold: ['messages-held'],
  delay: ['messages-held'],
};

/** The counters `scenario` enables, as a set of names. */
export function coverageInScope(scenario: Scenario): Set<string> {
  const on = new Set<string>();
  const fault = (short: string) => on.add(`faults.${short}`);
  if (scenario.faults.meanIntervalMs > 0) {
    for (const [kind, weight] of Object.entries(scenario.faults.kinds) as [RandomFaultKind, number][]) {
      if (weight > 0) FROM_RANDOM[kind].forEach(fault);
    }
  }
  for (const action of scenario.faults.schedule) {
    fault(action.kind);
    FROM_ACTION[action.kind]?.forEach(fault);
    if (restartsLater(action)) fault('restart');
  }
  if (scenario.network.dropRatio > 0) fault('messages-dropped');
  if (scenario.network.duplicateRatio > 0) fault('messages-duplicated');
  const snapshots = scenario.raft.snapshotEveryEntries > 0;
  for (const name of COVERAGE_NAMES) {
    if (name.startsWith('faults.')) continue;
    if (!snapshots && SNAPSHOT_COUNTERS.has(name)) continue;
    on.add(name);
  }
  return on;
}

/** The counters `scenario` cannot move, in counter order. */
export function coverageOutOfScope(scenario: Scenario): string[] {
  const on = coverageInScope(scenario);
  return COVERAGE_NAMES.filter((name) => !on.has(name));
}

const SNAPSHOT_COUNTERS = new Set(['replication.snapshots-sent', 'replication.snapshots-installed', 'replication.compactions']);

function restartsLater(action: FaultAction): boolean {
  switch (action.kind) {
    case 'crash': case 'crash-many': case 'crash-all': case 'crash-next-leader': case 'crash-next-snapshot-installer':
      return action.forMs !== undefined;
    default:
      return false;
  }
}
