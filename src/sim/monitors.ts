/**
 * Safety monitors, checked after every simulated event and incremental, so that each check costs
 * little: the world reports what changed (a role, a durable write, a commit index, an applied entry,
 * an acknowledgement) and the monitor compares it with what it has seen so far. The first
 * violation stops the run with a report naming the invariant, the nodes, terms, indexes and time.
 *
 * Each invariant is stated as the Raft paper states it, and judged on durable facts only: a log
 * entry, a term or a vote counts once storage holds it (DurableView), so a write that a crash
 * discards never raises an alarm. What nodes say to each other or to clients (an acknowledgement,
 * a commit, an applied entry) counts as said.
 */
import type { PersistRequest } from '../raft/ready.js';
import type { RaftNodeApi } from '../raft/node.js';
import type { ClusterConfig, DurableState, LogEntry, NodeId } from '../raft/types.js';
import { DurableView } from './durableView.js';
import { votersChanged } from './membershipCheck.js';
import { sameCommand } from './recoveryCheck.js';

export type Invariant =
  | 'election-safety'
  | 'log-matching'
  | 'leader-completeness'
  | 'state-machine-safety'
  | 'commit-monotonic'
  | 'acknowledged-entry-kept'
  | 'committed-entry-kept'
  | 'acknowledged-write-lost'
  /** A node restarts from exactly what it stored, or refuses to start (recoveryCheck.ts). */
  | 'recovery-faithful'
  /** Thesis §4.1: a configuration entry differs from the configuration before it by at most one voter. */
  | 'config-one-server-at-a-time';

/** Legal situations that look like violations; counted so that a regression test can show it reaches them. */
export interface RareSituations {
  /** Leaders elected for a term below one in which an entry was already committed (§5.4 speaks of lower terms only). */
  readonly leadersBehindNewerCommit: number;
  /** Append answers released by the durability barrier after the node had moved to a later term. */
  readonly staleAcknowledgements: number;
}

export interface SafetyViolation {
  readonly invariant: Invariant;
  readonly message: string;
  readonly nodes: NodeId[];
  readonly term: number | null;
  readonly index: number | null;
  readonly timeMs: number;
}

/** What the monitor knows of one durable (index, term): the command and the term before it. */
interface EntryRecord {
  readonly term: number;
  readonly command: unknown;
  readonly prevTerm: number;
  readonly node: NodeId;
}

/** The last AppendEntries a node acknowledged: in `term`, its log matched through `index` (term `entryTerm`). */
interface Ack {
  readonly term: number;
  readonly index: number;
  readonly entryTerm: number;
}

export class SafetyMonitor {
  readonly durable: DurableView;
  private readonly leaderOfTerm = new Map<number, NodeId>();
  /** Per index, every distinct term seen durable there (a short list). */
  private readonly entries: EntryRecord[][] = [];
  /** committedTerm[i]: the term of the entry committed at i, as first reported by a node. */
  private readonly committedTerm: number[] = [];
  /** committedIn[i]: the lowest current term of a node that reported i committed (the term it was committed in). */
  private readonly committedIn: number[] = [];
  private knownCommitted = 0;
  /** The highest term in which some entry was committed. */
  private newestCommitTerm = 0;
  private leadersBehindNewerCommit = 0;
  private staleAcknowledgements = 0;
  private readonly applied: { command: unknown; node: NodeId }[] = [];
  private readonly lastCommit = new Map<NodeId, number>();
  private readonly acks: (Ack | null)[] = [];
  private readonly ackedWrites: { index: number; term: number; describe: string }[] = [];
  /** The latest committed configuration the monitor has seen (applied, or in an applied snapshot), and its index. */
  private committedConfig: { readonly index: number; readonly config: ClusterConfig };
  /** The bootstrap configuration: what a log with no configuration entry and no snapshot is in. */
  private readonly bootstrap: ClusterConfig;
  violation: SafetyViolation | null = null;
  now = 0;

  /** `bootstrapVoters`: the bootstrap configuration (RaftConfig.peers); every node when absent. */
  constructor(nodeCount: number, bootstrapVoters: readonly NodeId[] = Array.from({ length: nodeCount }, (_, i) => i + 1)) {
    this.durable = new DurableView(nodeCount);
    this.bootstrap = { voters: bootstrapVoters, learners: [] };
    this.committedConfig = { index: 0, config: this.bootstrap };
  }

  /** The latest configuration known committed: its voters' majorities are the cluster's quorums now. */
  get latestCommittedConfig(): ClusterConfig {
    return this.committedConfig.config;
  }

  /** A configuration committed at `index` (a configuration entry applied, or a snapshot's). */
  onConfigCommitted(index: number, config: ClusterConfig | undefined): void {
    if (config !== undefined && index > this.committedConfig.index) this.committedConfig = { index, config };
  }

  /** A node became leader of `term` (Election Safety §5.2; Leader Completeness §5.4). */
  onLeader(node: RaftNodeApi, term: number): void {
    const other = this.leaderOfTerm.get(term);
    if (other !== undefined && other !== node.id) {
      this.fail('election-safety', `two leaders in term ${term}: n${other} and n${node.id}`, [other, node.id], term, null);
      return;
    }
    this.leaderOfTerm.set(term, node.id);
    this.checkLeaderHoldsCommitted(node, term);
  }

  rareSituations(): RareSituations {
    return { leadersBehindNewerCommit: this.leadersBehindNewerCommit, staleAcknowledgements: this.staleAcknowledgements };
  }

  /** A node (re)started or installed a snapshot: its commit index restarts from this value. */
  onCommitReset(node: NodeId, commitIndex: number): void {
    this.lastCommit.set(node, commitIndex);
  }

  /** The commit index last seen for a node (before the input now being carried out). */
  commitSeen(node: NodeId): number {
    return this.lastCommit.get(node) ?? 0;
  }

  /**
   * A write became durable on `node` (Log Matching §5.3 on durable logs; an acknowledged entry is
   * never lost). Returns what the write did to the durable log, for the trace.
   */
  onDurable(node: NodeId, request: PersistRequest): void {
    this.durable.apply(node, request);
    for (const entry of request.entries) {
      if (!this.checkLogMatching(node, entry)) return;
      if (entry.config !== undefined && !this.checkOneServerAtATime(node, entry.index, entry.config)) return;
    }
    this.checkAckKept(node, 'a write');
  }

  /**
   * A node restarted from `state`, what its storage engine recovered (the recovery check has judged
   * it faithful): the durable facts are now what it holds, including writes a crash kept unacknowledged.
   */
  onRecovered(node: NodeId, state: DurableState): void {
    this.durable.replace(node, state);
    for (const entry of state.entries) {
      if (!this.checkLogMatching(node, entry)) return;
    }
  }

  /** A node restarted from storage that lost or invented a write without refusing (recoveryCheck.ts). */
  failRecovery(node: NodeId, message: string): void {
    this.fail('recovery-faithful', message, [node], null, null);
  }

  /** The node's storage is gone for good (it refused to start on damage): it holds nothing durably now. */
  onStorageLost(node: NodeId): void {
    this.durable.replace(node, { hardState: { term: 0, votedFor: null }, snapshot: null, entries: [] });
  }

  /** A node crashed: what storage holds now is all that survives. */
  onCrash(node: NodeId): void {
    this.checkAckKept(node, 'a crash');
  }

  /**
   * A node told a leader that its log matches through `index` in `term` (a successful append
   * answer, as it goes out). The node holds such an answer until the write it depends on is
   * durable, so the durable log must hold the entry now. An answer released after the node has
   * durably moved to a later term is stale and promises nothing.
   */
  onAcknowledged(node: NodeId, term: number, index: number, currentTerm: number): void {
    if (currentTerm > term) this.staleAcknowledgements++;
    const durableTerm = this.durable.term(node);
    if (durableTerm > term) return;
    if (index <= this.durable.snapshotIndex(node)) return;
    const entryTerm = this.durable.termAt(node, index);
    if (durableTerm < term || entryTerm === null) {
      const holds = durableTerm < term ? `its durable term is ${durableTerm}` : `its durable log ends at ${this.durable.lastIndex(node)}`;
      this.fail('acknowledged-entry-kept', `n${node} acknowledged index ${index} in term ${term}, but ${holds}`, [node], term, index);
      return;
    }
    const previous = this.acks[node];
    if (previous && previous.term === term && previous.index >= index) return;
    this.acks[node] = { term, index, entryTerm };
  }

  /**
   * A node is about to write entries from `from` on, where its log already reached `lastIndex`:
   * a truncation of `lastIndex - from + 1` entries. Committed entries are never removed (§5.3, §5.4).
   */
  onTruncation(node: NodeId, from: number, lastIndex: number): void {
    const commit = this.commitSeen(node);
    if (from <= commit) {
      this.fail('committed-entry-kept', `n${node} truncated its log from index ${from} (through ${lastIndex}), at or below its commitIndex ${commit}`,
        [node], null, from);
    }
  }

  /** Whether a node's commit index differs from the last one seen (the cheap test before onCommitIndex). */
  commitMoved(node: NodeId, commitIndex: number): boolean {
    return (this.lastCommit.get(node) ?? 0) !== commitIndex;
  }

  /** A node's commit index, after any input to it. */
  onCommitIndex(node: RaftNodeApi, commitIndex: number, snapshotIndex: number, snapshotTerm: number): void {
    const previous = this.lastCommit.get(node.id) ?? 0;
    if (commitIndex < previous) {
      this.fail('commit-monotonic', `n${node.id}'s commitIndex went back from ${previous} to ${commitIndex}`, [node.id], null, commitIndex);
      return;
    }
    if (commitIndex === previous) return;
    if (commitIndex > node.lastIndex) {
      this.fail('committed-entry-kept', `n${node.id}'s commitIndex ${commitIndex} is beyond its last log index ${node.lastIndex}`, [node.id], null, commitIndex);
      return;
    }
    this.lastCommit.set(node.id, commitIndex);
    for (let index = previous + 1; index <= commitIndex; index++) {
      const term = index === snapshotIndex ? snapshotTerm : node.termAt(index);
      if (term === null) continue; // compacted: covered by a snapshot we cannot look into
      const known = this.committedTerm[index];
      if (known === undefined) {
        this.committedTerm[index] = term;
        this.committedIn[index] = node.term;
        if (node.term > this.newestCommitTerm) this.newestCommitTerm = node.term;
      } else if (known !== term) {
        this.fail('state-machine-safety', `n${node.id} committed term ${term} at index ${index}, where term ${known} was committed before`,
          [node.id], term, index);
        return;
      } else if (node.term < this.committedIn[index]!) {
        this.committedIn[index] = node.term;
      }
    }
    if (commitIndex > this.knownCommitted) this.knownCommitted = commitIndex;
  }

  /** A node applied an entry to its state machine. */
  onApply(node: NodeId, entry: LogEntry): void {
    if (entry.config !== undefined) this.onConfigCommitted(entry.index, entry.config);
    const first = this.applied[entry.index];
    if (!first) {
      this.applied[entry.index] = { command: entry.command, node };
      return;
    }
    if (!sameCommand(first.command, entry.command)) {
      this.fail('state-machine-safety', `n${first.node} and n${node} applied different commands at index ${entry.index}`,
        [first.node, node], entry.term, entry.index);
    }
  }

  /** A client got an acknowledgement for a write that was applied at `index` in `term`. */
  onAcknowledgedWrite(node: NodeId, index: number, term: number, describe: string): void {
    if (this.committedTerm[index] !== term) {
      this.fail('acknowledged-write-lost', `n${node} acknowledged ${describe} at index ${index} term ${term}, which is not committed`,
        [node], term, index);
      return;
    }
    this.ackedWrites.push({ index, term, describe });
  }

  /** At the end of a run: every acknowledged write is still durable (log or snapshot) on a majority. */
  checkAcknowledgedWritesKept(nodes: readonly NodeId[], quorum: number): void {
    for (const write of this.ackedWrites) {
      const holders = nodes.filter((node) => this.durable.holds(node, write.index, write.term));
      if (holders.length < quorum) {
        this.fail('acknowledged-write-lost', `${write.describe} (index ${write.index} term ${write.term}) was acknowledged but only ${holders.length} nodes still hold it durably`,
          holders, write.term, write.index);
        return;
      }
    }
  }

  /**
   * Thesis §4.1 (single-server changes): a configuration entry durable in a log adds or removes at
   * most one voter from the configuration before it in that log, so that every majority of the old
   * voters overlaps every majority of the new. Learners come and go freely: they never count.
   */
  private checkOneServerAtATime(node: NodeId, index: number, config: ClusterConfig): boolean {
    const before = this.durable.configBefore(node, index) ?? this.bootstrap;
    const changed = votersChanged(before.voters, config.voters);
    if (changed.length <= 1) return true;
    this.fail('config-one-server-at-a-time', `n${node}'s durable log changes voters [${before.voters.join(',')}] to [${config.voters.join(',')}] at index ${index}: ${changed.map((id) => `n${id}`).join(', ')} at once`,
      [node], null, index);
    return false;
  }

  private checkLogMatching(node: NodeId, entry: LogEntry): boolean {
    const prevTerm = this.durable.termAt(node, entry.index - 1) ?? -1;
    const list = (this.entries[entry.index] ??= []);
    const same = list.find((record) => record.term === entry.term);
    if (!same) {
      list.push({ term: entry.term, command: entry.command, prevTerm, node });
      return true;
    }
    if (!sameCommand(same.command, entry.command)) {
      this.fail('log-matching', `n${same.node} and n${node} hold different durable entries at index ${entry.index} term ${entry.term}`,
        [same.node, node], entry.term, entry.index);
      return false;
    }
    if (prevTerm !== -1 && same.prevTerm !== -1 && prevTerm !== same.prevTerm) {
      this.fail('log-matching', `n${same.node} and n${node} agree on index ${entry.index} term ${entry.term} but not on the entry before it (terms ${same.prevTerm} and ${prevTerm})`,
        [same.node, node], entry.term, entry.index);
      return false;
    }
    return true;
  }

  /** A node never loses from its durable log an entry it acknowledged in its current durable term. */
  private checkAckKept(node: NodeId, after: string): void {
    const ack = this.acks[node];
    if (!ack || ack.term !== this.durable.term(node)) return;
    if (this.durable.holds(node, ack.index, ack.entryTerm)) return;
    this.fail('acknowledged-entry-kept', `after ${after}, n${node}'s durable log lacks index ${ack.index} (term ${ack.entryTerm}), which it acknowledged in term ${ack.term}, its current term`,
      [node], ack.term, ack.index);
  }

  /** Leader Completeness (§5.4): a leader of term T holds every entry committed in a term below T. */
  private checkLeaderHoldsCommitted(node: RaftNodeApi, term: number): void {
    if (term < this.newestCommitTerm) this.leadersBehindNewerCommit++;
    const snapshotIndex = node.firstIndex - 1;
    for (let index = this.knownCommitted; index > snapshotIndex; index--) {
      const committed = this.committedTerm[index];
      if (committed === undefined || this.committedIn[index]! >= term) continue;
      const held = node.termAt(index);
      if (held !== committed) {
        const has = held === null ? 'its log ends at ' + node.lastIndex : `it has term ${held}`;
        this.fail('leader-completeness', `n${node.id} became leader of term ${term} without the entry committed at index ${index} in term ${this.committedIn[index]} (entry term ${committed}; ${has})`,
          [node.id], term, index);
        return;
      }
    }
  }

  private fail(invariant: Invariant, message: string, nodes: NodeId[], term: number | null, index: number | null): void {
    if (this.violation) return;
    this.violation = { invariant, message, nodes, term, index, timeMs: this.now };
  }
}
