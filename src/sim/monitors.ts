/**
 * Safety monitors, checked after every simulated event and incremental, so that each check costs
 * little: the world reports what changed (a role, new log entries, a commit index, an applied entry,
 * an acknowledged write) and the monitor compares it with what it has seen so far. The first
 * violation stops the run with a report naming the invariant, the nodes, terms, indexes and time.
 */
import type { RaftNodeApi } from '../raft/node.js';
import type { LogEntry, NodeId } from '../raft/types.js';

export type Invariant =
  | 'election-safety'
  | 'log-matching'
  | 'leader-completeness'
  | 'state-machine-safety'
  | 'commit-monotonic'
  | 'acknowledged-write-lost';

export interface SafetyViolation {
  readonly invariant: Invariant;
  readonly message: string;
  readonly nodes: NodeId[];
  readonly term: number | null;
  readonly index: number | null;
  readonly timeMs: number;
}

/** What the monitor knows of one (index, term): the command and the term before it. */
interface EntryRecord {
  readonly term: number;
  readonly command: unknown;
  readonly prevTerm: number;
  readonly node: NodeId;
}

export class SafetyMonitor {
  private readonly leaderOfTerm = new Map<number, NodeId>();
  /** Per index, every distinct term seen there (a short list). */
  private readonly entries: EntryRecord[][] = [];
  /** committedTerm[i]: the term of the entry committed at i, as first reported by a node. */
  private readonly committedTerm: number[] = [];
  private knownCommitted = 0;
  private readonly applied: { command: unknown; node: NodeId }[] = [];
  private readonly lastCommit = new Map<NodeId, number>();
  private readonly ackedWrites: { index: number; term: number; describe: string }[] = [];
  violation: SafetyViolation | null = null;
  now = 0;

  /** A node became leader of `term`. */
  onLeader(node: RaftNodeApi, term: number): void {
    const other = this.leaderOfTerm.get(term);
    if (other !== undefined && other !== node.id) {
      this.fail('election-safety', `two leaders in term ${term}: n${other} and n${node.id}`, [other, node.id], term, null);
      return;
    }
    this.leaderOfTerm.set(term, node.id);
    this.checkLeaderHoldsCommitted(node, term);
  }

  /** A node (re)started or installed a snapshot: its commit index restarts from this value. */
  onCommitReset(node: NodeId, commitIndex: number): void {
    this.lastCommit.set(node, commitIndex);
  }

  /** Entries a node just wrote to its log (a PersistRequest's entries). */
  onEntries(node: RaftNodeApi, written: readonly LogEntry[]): void {
    for (const entry of written) {
      const prevTerm = entry.index === 1 ? 0 : node.termAt(entry.index - 1);
      const list = (this.entries[entry.index] ??= []);
      const same = list.find((record) => record.term === entry.term);
      if (!same) {
        list.push({ term: entry.term, command: entry.command, prevTerm: prevTerm ?? -1, node: node.id });
        continue;
      }
      if (same.command !== entry.command) {
        this.fail('log-matching', `n${same.node} and n${node.id} hold different entries at index ${entry.index} term ${entry.term}`,
          [same.node, node.id], entry.term, entry.index);
        return;
      }
      if (prevTerm !== null && same.prevTerm !== -1 && prevTerm !== same.prevTerm) {
        this.fail('log-matching', `n${same.node} and n${node.id} agree on index ${entry.index} term ${entry.term} but not on the entry before it (terms ${same.prevTerm} and ${prevTerm})`,
          [same.node, node.id], entry.term, entry.index);
        return;
      }
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
    this.lastCommit.set(node.id, commitIndex);
    for (let index = previous + 1; index <= commitIndex; index++) {
      const term = index === snapshotIndex ? snapshotTerm : node.termAt(index);
      if (term === null) continue; // compacted: covered by a snapshot we cannot look into
      const known = this.committedTerm[index];
      if (known === undefined) {
        this.committedTerm[index] = term;
      } else if (known !== term) {
        this.fail('state-machine-safety', `n${node.id} committed term ${term} at index ${index}, where term ${known} was committed before`,
          [node.id], term, index);
        return;
      }
    }
    if (commitIndex > this.knownCommitted) this.knownCommitted = commitIndex;
  }

  /** A node applied an entry to its state machine. */
  onApply(node: NodeId, entry: LogEntry): void {
    const first = this.applied[entry.index];
    if (!first) {
      this.applied[entry.index] = { command: entry.command, node };
      return;
    }
    if (first.command !== entry.command) {
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

  /** At the end of a run: every acknowledged write is still in the log or snapshot of a majority. */
  checkAcknowledgedWritesKept(nodes: readonly RaftNodeApi[], quorum: number): void {
    for (const write of this.ackedWrites) {
      const holders = nodes.filter((node) => holds(node, write.index, write.term));
      if (holders.length < quorum) {
        this.fail('acknowledged-write-lost', `${write.describe} (index ${write.index} term ${write.term}) was acknowledged but only ${holders.length} nodes still hold it`,
          holders.map((node) => node.id), write.term, write.index);
        return;
      }
    }
  }

  private checkLeaderHoldsCommitted(node: RaftNodeApi, term: number): void {
    const status = node.status();
    if (status.lastIndex < this.knownCommitted) {
      this.fail('leader-completeness', `n${node.id} became leader of term ${term} with last index ${status.lastIndex}, but index ${this.knownCommitted} is committed`,
        [node.id], term, this.knownCommitted);
      return;
    }
    for (let index = status.snapshotIndex + 1; index <= this.knownCommitted; index++) {
      const committed = this.committedTerm[index];
      if (committed !== undefined && node.termAt(index) !== committed) {
        this.fail('leader-completeness', `n${node.id} became leader of term ${term} without the entry committed at index ${index} (term ${committed}; it has term ${node.termAt(index)})`,
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

function holds(node: RaftNodeApi, index: number, term: number): boolean {
  const status = node.status();
  if (index <= status.snapshotIndex) return true;
  return node.termAt(index) === term;
}
