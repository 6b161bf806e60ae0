/**
 * A run's coverage: the world calls these hooks where it already sees the event (a fault fired, a
 * message sent, dropped or held, a role change, a Ready carried out, a crash, a restart), and each
 * hook is an integer increment in a preallocated typed array, plus a little per-node state in
 * typed arrays. Nothing here draws randomness or touches the trace, so counting never changes a
 * run or its trace hash. See coverageCounters.ts for what each counter means.
 */
import type { KvCommand } from '../kv/types.js';
import type { RequestVoteResponse } from '../raft/messages.js';
import type { Ready } from '../raft/ready.js';
import type { Role } from '../raft/types.js';
import { C, COVERAGE_NAMES, faultCounter } from './coverageCounters.js';
import type { CoverageCounts } from './coverageCounters.js';
import type { FaultKind } from './faults.js';
import type { HistoryRecorder } from './history.js';
import type { NodeHost } from './host.js';

export { COVERAGE_COUNTERS, COVERAGE_NAMES } from './coverageCounters.js';
export type { CounterDef, CoverageCounts, CoverageSection } from './coverageCounters.js';

/** What `result` reads at the end of a run. */
export interface CoverageSources {
  readonly hosts: readonly NodeHost[];
  readonly clients: readonly { readonly kv: { readonly counters: ClientCounters } }[];
  readonly history: HistoryRecorder;
}

interface ClientCounters {
  readonly resends: number;
  readonly redirects: number;
  readonly retryAnswers: number;
  readonly timeouts: number;
}

export class Coverage {
  readonly counts = new Uint32Array(COVERAGE_NAMES.length);
  /** Per node id: the last log index its writes reached (the log tip when its last write was cut). */
  /** Per node id: its latest candidacy (term, last log index, last log term), for refused votes. */
  private readonly candidacyTerm: Float64Array;
  private readonly candidacyLastIndex: Float64Array;
  private readonly candidacyLastTerm: Float64Array;
  /** Per node id: its KV server's pendingAbandoned when last looked at (the server answers those before a role change is seen). */
  private readonly abandonedSeen: Float64Array;
  /** The highest term seen in a role change, its candidates, and whether one of them won. */
  private openTerm = 0;
  private openCandidates = 0;
  private openLeader = false;

  constructor(nodes: number) {
    this.candidacyTerm = new Float64Array(nodes + 1);
    this.candidacyLastIndex = new Float64Array(nodes + 1);
    this.candidacyLastTerm = new Float64Array(nodes + 1);
    this.abandonedSeen = new Float64Array(nodes + 1);
  }

  // ---- faults ----

  /** A fault event fired (rare: a lookup by kind is fine here). */
  fault(kind: FaultKind): void {
    this.counts[faultCounter(kind)]++;
  }

  trapSprung(): void {
    this.counts[C.trapsSprung]++;
  }

  /** A message dropped at send: cut by a blocked link, or lost at random. */
  dropped(cut: boolean): void {
    this.counts[cut ? C.cut : C.dropped]++;
  }

  /** A message cut at delivery: its link is blocked now, or its receiver is down. */
  cut(): void {
    this.counts[C.cut]++;
  }

  duplicated(): void {
    this.counts[C.duplicated]++;
  }

  held(): void {
    this.counts[C.held]++;
  }

  /** The host just crashed: its KV server's counters are harvested before a restart replaces it. */
  crashed(host: NodeHost, lostWrites: number): void {
    this.counts[C.writesLost] += lostWrites;
    this.harvestServer(host);
  }

  /** The storage engine refused to start: for good (damage), or for now (its file system refused). */
  storageRefused(forGood: boolean): void {
    this.counts[forGood ? C.recoveriesRefused : C.startsFailed]++;
  }

  /** The host just restarted from its disk: its writes now reach the recovered log's tip. */
  restarted(host: NodeHost): void {
    this.abandonedSeen[host.id] = 0;
  }

  // ---- elections: called on a role or term change, before the host records the new one ----

  roleChanged(host: NodeHost, role: Role, term: number): void {
    const before = host.lastRole;
    const sameTerm = term === host.lastTerm;
    const counts = this.counts;
    if (term > this.openTerm) {
      if (this.openCandidates >= 2 && !this.openLeader) counts[C.splitVotes]++;
      this.openTerm = term;
      this.openCandidates = 0;
      this.openLeader = false;
    }
    if (before === 'candidate') {
      if (role === 'follower') counts[C.lost]++;
      // With PreVote a timed-out candidate asks for pre-votes first (a pre-candidate, same term).
      else if (role === 'candidate' || role === 'pre-candidate') counts[C.timedOut]++;
    } else if (before === 'leader' && role !== 'leader') {
      counts[C.deposed]++;
      const raft = host.raft;
      const abandoned = host.kv.pendingAbandoned;
      const hadPending = abandoned > this.abandonedSeen[host.id]! || host.kv.pendingCount > 0;
      this.abandonedSeen[host.id] = abandoned;
      if (raft.lastIndex > raft.commitIndex || hadPending) counts[C.deposedWithWork]++;
    }
    if (role === 'candidate') {
      counts[C.started]++;
      if (term === this.openTerm) this.openCandidates++;
      const raft = host.raft;
      const lastIndex = raft.lastIndex;
      this.candidacyTerm[host.id] = term;
      this.candidacyLastIndex[host.id] = lastIndex;
      this.candidacyLastTerm[host.id] = raft.termAt(lastIndex) ?? 0;
    } else if (role === 'leader' && before !== 'leader') {
      // A single voter becomes leader in the same input it becomes candidate: count the election.
      if (!(before === 'candidate' && sameTerm)) counts[C.started]++;
      counts[C.won]++;
      if (term === this.openTerm) this.openLeader = true;
    }
  }

  // ---- replication: once per Ready, before the world carries it out ----

  ready(host: NodeHost, ready: Ready<KvCommand>): void {
    const counts = this.counts;
    const persist = ready.persist;
    if (persist !== null) {
      const entries = persist.entries;
      // The world updates host.writtenLastIndex after this hook: it still names the log before this write.
      if (entries.length > 0 && entries[0]!.index <= host.writtenLastIndex) counts[C.truncations]++;
      if (persist.snapshot !== null) counts[persist.snapshot === ready.snapshotToApply ? C.snapshotsInstalled : C.compactions]++;
    }
    const messages = ready.messages;
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i]!;
      switch (m.type) {
        case 'AppendEntriesResponse':
          if (m.success) break;
          if (m.conflictIndex === 0) {
            counts[C.staleLeaderAppends]++;
          } else {
            counts[C.rejected]++;
            if (m.conflictIndex < m.rejectedIndex) counts[C.fastBackups]++;
          }
          break;
        case 'InstallSnapshot':
          counts[C.snapshotsSent]++;
          break;
        case 'RequestVoteResponse':
          if (!m.granted) this.voteRefused(host, m);
          break;
        default:
          break;
      }
    }
    const committed = ready.committed;
    if (committed.length > 0 && committed[0]!.term < host.raft.term && host.raft.role === 'leader') {
      const term = host.raft.term;
      for (let i = 0; i < committed.length && committed[i]!.term < term; i++) counts[C.olderTermCommits]++;
    }
  }

  /** A refusal counts as "stale log" when the voter's log is more up to date than the candidate's was. */
  private voteRefused(voter: NodeHost, m: RequestVoteResponse): void {
    const candidate = m.to;
    if (this.candidacyTerm[candidate] !== m.term) return;
    const raft = voter.raft;
    const lastIndex = raft.lastIndex;
    const lastTerm = raft.termAt(lastIndex) ?? 0;
    const theirTerm = this.candidacyLastTerm[candidate]!;
    if (lastTerm > theirTerm || (lastTerm === theirTerm && lastIndex > this.candidacyLastIndex[candidate]!)) {
      this.counts[C.staleLogRefusals]++;
    }
  }

  // ---- the end of the run ----

  /** The run's counts by name. Reads the live servers, the clients and the history; call once. */
  result(sources: CoverageSources): CoverageCounts {
    for (const host of sources.hosts) if (host.alive) this.harvestServer(host);
    const counts = this.counts;
    for (const client of sources.clients) {
      const c = client.kv.counters;
      counts[C.retries] += c.resends;
      counts[C.timeouts] += c.timeouts;
      counts[C.redirects] += c.redirects;
      counts[C.retryAnswers] += c.retryAnswers;
    }
    let unknown = 0;
    for (const operation of sources.history.operations) if (operation.output === null) unknown++;
    counts[C.unknown] += unknown;
    counts[C.ok] += sources.history.operations.length - unknown;
    const out: Record<string, number> = {};
    for (let i = 0; i < COVERAGE_NAMES.length; i++) out[COVERAGE_NAMES[i]!] = counts[i]!;
    return out;
  }

  private harvestServer(host: NodeHost): void {
    const kv = host.kv;
    this.counts[C.sessionHits] += kv.sessionHits;
    this.counts[C.logDuplicates] += kv.stateMachine.duplicatesAnswered;
    this.counts[C.staleDuplicates] += kv.stateMachine.staleDuplicates;
  }
}
