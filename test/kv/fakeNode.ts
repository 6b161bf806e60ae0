/**
 * A scripted stand-in for a Raft node: the test sets role, term and leader, and builds Ready
 * batches by hand. propose appends to a local log; compact calls are recorded.
 */
import type { Message } from '../../src/raft/messages.js';
import type { ConfigChangeResult, ProposeResult, RaftNodeApi, RaftStatus } from '../../src/raft/node.js';
import type { ReadIndexResult } from '../../src/raft/readIndex.js';
import type { Ready } from '../../src/raft/ready.js';
import type { TransferResult } from '../../src/raft/transfer.js';
import type { ClusterConfig, LogEntry, NodeId, Role, Snapshot } from '../../src/raft/types.js';
import type { KvCommand } from '../../src/kv/types.js';

export class FakeRaftNode implements RaftNodeApi<KvCommand> {
  role: Role = 'follower';
  term = 1;
  leaderId: NodeId | null = null;
  /** Entries proposed here (index − 1 → entry). */
  readonly log: LogEntry<KvCommand>[] = [];
  readonly compactions: { index: number; data: unknown }[] = [];
  /** While true, a leader refuses proposals as one over its maxUncommittedBytes would. */
  overUncommittedLimit = false;

  constructor(readonly id: NodeId) {}

  becomeLeader(term: number): void {
    this.role = 'leader';
    this.term = term;
    this.leaderId = this.id;
  }

  becomeFollower(term: number, leaderId: NodeId | null): void {
    this.role = 'follower';
    this.term = term;
    this.leaderId = leaderId;
  }

  propose(command: KvCommand): ProposeResult {
    if (this.role !== 'leader') {
      return { ok: false, reason: 'not-leader', leaderHint: this.leaderId };
    }
    if (this.overUncommittedLimit) return { ok: false, reason: 'uncommitted-limit' };
    const entry = { index: this.log.length + 1, term: this.term, command };
    this.log.push(entry);
    return { ok: true, index: entry.index, term: entry.term };
  }

  get configuration(): ClusterConfig {
    return { voters: [this.id], learners: [] };
  }
  readonly configurationIndex = 0;

  /** The KV layer never changes membership itself; refuse as a follower would. */
  proposeConfigChange(): ConfigChangeResult {
    return { ok: false, reason: 'not-leader', leaderHint: this.leaderId };
  }

  /** The KV layer never transfers leadership; refuse as a follower would. */
  transferLeadership(_to: NodeId): TransferResult {
    return { ok: false, reason: 'not-leader', leaderHint: this.leaderId };
  }

  /** Reads asked for with readIndex (their ctx), in order. */
  readonly readRequests: number[] = [];

  readIndex(ctx: number): ReadIndexResult {
    // As the core: a follower that knows its leader forwards the read to it.
    const forwards = this.role === 'follower' && this.leaderId !== null;
    if (this.role !== 'leader' && !forwards) return { ok: false, reason: 'not-leader', leaderHint: this.leaderId };
    this.readRequests.push(ctx);
    return { ok: true };
  }

  compact(index: number, data: unknown): void {
    this.compactions.push({ index, data });
  }

  get commitIndex(): number {
    return 0;
  }
  get lastApplied(): number {
    return 0;
  }
  get firstIndex(): number {
    return 1;
  }
  get lastIndex(): number {
    return this.log.length;
  }
  entryAt(index: number): LogEntry<KvCommand> | null {
    return this.log[index - 1] ?? null;
  }

  status(): RaftStatus {
    return {
      id: this.id, role: this.role, term: this.term, votedFor: null, leaderId: this.leaderId,
      commitIndex: 0, lastApplied: 0, firstIndex: 1, lastIndex: this.log.length, snapshotIndex: 0,
    };
  }

  tick(): void {}
  step(_message: Message<KvCommand>): void {}
  persisted(_id: number): void {}
  hasReady(): boolean {
    return false;
  }
  ready(): Ready<KvCommand> {
    return readyWith([]);
  }
  termAt(_index: number): number | null {
    return null;
  }
  entries(from: number, to: number): readonly LogEntry<KvCommand>[] {
    return this.log.slice(from - 1, to);
  }
  snapshot(): Snapshot | null {
    return null;
  }

  readonly electionTicksMin = 10;

  ticksSinceQuorumContact(): number | null {
    return null;
  }
}

export function readyWith(
  committed: readonly LogEntry<KvCommand>[],
  snapshotToApply: Snapshot | null = null,
): Ready<KvCommand> {
  return { persist: null, messages: [], snapshotToApply, committed };
}
