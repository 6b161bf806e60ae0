/**
 * The coverage counters of a run: a fixed, ordered list of named counts of the fault kinds fired
 * and the protocol paths taken, so that a campaign can say what it exercised (and what it did not,
 * and so could not have found bugs in). The order is the order of the table `fuzz` prints.
 * Inside the world the counts live in a typed array indexed by the constants below; a run's result
 * carries them as a plain object, name → count.
 */
import type { FaultKind } from './faults.js';

export type CoverageSection = 'faults' | 'elections' | 'replication' | 'clients';
export const COVERAGE_SECTIONS: readonly CoverageSection[] = ['faults', 'elections', 'replication', 'clients'];

export interface CounterDef {
  /** `section.short`, e.g. `elections.split-votes`. */
  readonly name: string;
  readonly section: CoverageSection;
  /** The name without its section, for the table. */
  readonly short: string;
  readonly meaning: string;
}

/**
 * One counter per fault action kind. A Record so that a kind added to FaultAction without a
 * counter here fails to compile; the order is the order of the table.
 */
const FAULT_KIND_ORDER: Record<FaultKind, number> = {
  crash: 0, 'crash-many': 1, 'crash-all': 2, 'crash-next-leader': 3, restart: 4, 'restart-all': 5,
  partition: 6, isolate: 7, bridge: 8, ring: 9, 'one-way': 10, hold: 11, release: 12, heal: 13,
  delay: 14, replay: 15, pause: 16, 'pause-next-leader': 17, 'clock-jump': 18, 'slow-disk': 19,
  'clients-reach': 20, 'crash-next-snapshot-installer': 21, 'disk-damage': 22, 'disk-full': 23,
  'transfer-leader': 24, 'add-learner': 25, promote: 26, remove: 27,
};
export const FAULT_KINDS: readonly FaultKind[] = (Object.keys(FAULT_KIND_ORDER) as FaultKind[])
  .sort((a, b) => FAULT_KIND_ORDER[a] - FAULT_KIND_ORDER[b]);

const OTHERS: readonly (readonly [CoverageSection, string, string])[] = [
  ['faults', 'traps-sprung', 'an armed trap fired (crash-next-leader: the next leader was crashed after its election)'],
  ['faults', 'messages-dropped', 'node-to-node messages lost at random (network.dropRatio)'],
  ['faults', 'messages-cut', 'node-to-node messages cut by a blocked link or sent to a node that is down'],
  ['faults', 'messages-duplicated', 'node-to-node messages delivered twice'],
  ['faults', 'messages-held', 'node-to-node messages kept on a held link until its release'],
  ['faults', 'writes-lost', 'disk writes not yet fsynced that a crash lost (with disk.storage "engine": unsynced file changes)'],
  ['faults', 'recoveries-refused', 'a node refused to start on damaged storage (disk.storage "engine"): down for good, as the engine must'],
  ['faults', 'starts-failed', 'a node could not start for its file system (a full disk; disk.storage "engine"): down until the next restart'],
  ['elections', 'started', 'a node became candidate (a new term)'],
  ['elections', 'won', 'a candidate became leader'],
  ['elections', 'lost', 'a candidate returned to follower: refused by a majority, a leader of its term, or a higher term'],
  ['elections', 'timed-out', 'a candidate\'s election timed out and it started another in the next term'],
  ['elections', 'split-votes', 'a term in which two or more nodes were candidates and none became leader (counted when a higher term appears)'],
  ['elections', 'leaders-deposed', 'a leader stepped down (a higher term, or a bug)'],
  ['elections', 'deposed-with-work', 'a leader stepped down with uncommitted entries (lastIndex > commitIndex) or pending client requests'],
  ['elections', 'votes-refused-stale-log', 'a vote refused because the voter\'s log was more up to date than the candidate\'s (§5.4.1)'],
  ['replication', 'appends-rejected', 'AppendEntries rejected for a log mismatch at prevLogIndex'],
  ['replication', 'fast-backups', 'rejections whose hint lets the leader skip more than one index (conflictIndex < prevLogIndex)'],
  ['replication', 'stale-leader-appends', 'AppendEntries of an older term refused (a deposed leader learns the new term)'],
  ['replication', 'conflict-truncations', 'a follower rewrote a suffix of its log (a write starting at or below its last written index)'],
  ['replication', 'snapshots-sent', 'InstallSnapshot messages sent by a leader'],
  ['replication', 'snapshots-installed', 'a live node installed a snapshot from its leader (restores at restart not counted)'],
  ['replication', 'compactions', 'a node compacted its own log into a snapshot'],
  ['replication', 'older-term-commits', 'entries of an earlier term committed by a leader through an entry of its own term (§5.4.2)'],
  ['clients', 'operations-ok', 'client operations that completed with an answer'],
  ['clients', 'unknown-outcomes', 'client operations whose outcome is unknown: given up by the client (workload.giveUpAfterMs), or still outstanding when the run ended'],
  ['clients', 'retries', 'a client sent a seq again (after a timeout, a not-leader or a retry answer)'],
  ['clients', 'timeouts', 'a client got no answer in time and sent the seq to the next server'],
  ['clients', 'not-leader-redirects', 'a client was answered not-leader and sent the seq elsewhere'],
  ['clients', 'retry-answers', 'a client was answered retry by the server it waited on (it lost leadership, or its entry was overwritten) and sent the seq again'],
  ['clients', 'session-hits', 'a server answered a retried request from the session table, without proposing it again'],
  ['clients', 'log-duplicates', 'a command that reached the log twice was answered from the session table, not executed again (per replica)'],
  ['clients', 'stale-duplicates', 'a command older than its client\'s latest seq reached the log and was dropped (per replica)'],
];

export const COVERAGE_COUNTERS: readonly CounterDef[] = [
  ...FAULT_KINDS.map((kind): CounterDef => ({
    name: `faults.${kind}`, section: 'faults', short: kind, meaning: `fault actions of kind ${kind} carried out`,
  })),
  ...OTHERS.map(([section, short, meaning]): CounterDef => ({ name: `${section}.${short}`, section, short, meaning })),
];

export const COVERAGE_NAMES: readonly string[] = COVERAGE_COUNTERS.map((c) => c.name);

/** A run's counts: every counter of COVERAGE_COUNTERS, by name, in that order. */
export type CoverageCounts = Readonly<Record<string, number>>;

export function counterIndex(name: string): number {
  const index = COVERAGE_NAMES.indexOf(name);
  if (index < 0) throw new Error(`unknown coverage counter ${name}`);
  return index;
}

/** The index of a fault kind's counter. */
export function faultCounter(kind: FaultKind): number {
  return FAULT_KIND_ORDER[kind];
}

/** Counter indexes, resolved once, for the hooks. */
export const C = {
  trapsSprung: counterIndex('faults.traps-sprung'),
  dropped: counterIndex('faults.messages-dropped'),
  cut: counterIndex('faults.messages-cut'),
  duplicated: counterIndex('faults.messages-duplicated'),
  held: counterIndex('faults.messages-held'),
  writesLost: counterIndex('faults.writes-lost'),
  recoveriesRefused: counterIndex('faults.recoveries-refused'),
  startsFailed: counterIndex('faults.starts-failed'),
  started: counterIndex('elections.started'),
  won: counterIndex('elections.won'),
  lost: counterIndex('elections.lost'),
  timedOut: counterIndex('elections.timed-out'),
  splitVotes: counterIndex('elections.split-votes'),
  deposed: counterIndex('elections.leaders-deposed'),
  deposedWithWork: counterIndex('elections.deposed-with-work'),
  staleLogRefusals: counterIndex('elections.votes-refused-stale-log'),
  rejected: counterIndex('replication.appends-rejected'),
  fastBackups: counterIndex('replication.fast-backups'),
  staleLeaderAppends: counterIndex('replication.stale-leader-appends'),
  truncations: counterIndex('replication.conflict-truncations'),
  snapshotsSent: counterIndex('replication.snapshots-sent'),
  snapshotsInstalled: counterIndex('replication.snapshots-installed'),
  compactions: counterIndex('replication.compactions'),
  olderTermCommits: counterIndex('replication.older-term-commits'),
  ok: counterIndex('clients.operations-ok'),
  unknown: counterIndex('clients.unknown-outcomes'),
  retries: counterIndex('clients.retries'),
  timeouts: counterIndex('clients.timeouts'),
  redirects: counterIndex('clients.not-leader-redirects'),
  retryAnswers: counterIndex('clients.retry-answers'),
  sessionHits: counterIndex('clients.session-hits'),
  logDuplicates: counterIndex('clients.log-duplicates'),
  staleDuplicates: counterIndex('clients.stale-duplicates'),
} as const;
