/**
 * What the monitors, the coverage counters, the liveness tracker and the trace learn from each
 * node's Ready loop: the driver's observer for one simulated host. Writes that truncate, commits,
 * applied entries, acknowledged writes, role changes; and the snapshot trap, which springs on the
 * write of a snapshot accepted from a leader.
 */
import type { DriverObserver } from '../driver/ports.js';
import type { KvCommand, KvResponse } from '../kv/types.js';
import type { Message } from '../raft/messages.js';
import type { PersistRequest, Ready } from '../raft/ready.js';
import type { NodeHost } from './host.js';
import { isMember } from '../raft/membership.js';
import { traceApply, traceRole } from './traceCodec.js';
import { springLeaderTraps, springSnapshotTrap } from './traps.js';
import type { World } from './world.js';

export class MonitorFeed {
  constructor(private readonly world: World) {}

  /** The driver's observer for this host (for the life of its current node). */
  observerFor(host: NodeHost): DriverObserver<KvCommand, KvResponse> {
    return {
      readyTaken: (ready) => this.world.coverage.ready(host, ready),
      persistStarting: (request) => this.persistStarting(host, request),
      persistStarted: (ready) => this.persistStarted(host, ready),
      sending: (message) => this.sending(host, message),
      applying: (ready) => this.applying(host, ready),
      applied: (ready, responses) => {
        if (responses.length > 0) this.acknowledge(host, ready, responses);
      },
      drained: () => this.observe(host),
    };
  }

  /** A write of entries from `from` on: a truncation when the log already reached that far. */
  private persistStarting(host: NodeHost, request: PersistRequest<KvCommand>): void {
    if (request.entries.length === 0) return;
    const from = request.entries[0]!.index;
    const last = host.writtenLastIndex;
    if (from <= last) {
      this.world.trace.record({ t: this.world.now, ev: 'truncate', node: host.id, from, count: last - from + 1 });
      this.world.monitor.onTruncation(host.id, from, last);
    }
    host.writtenLastIndex = host.raft.lastIndex;
  }

  /** A snapshot from the leader (written and restored in one Ready; a restart's restore writes nothing). */
  private persistStarted(host: NodeHost, ready: Ready<KvCommand>): void {
    if (ready.snapshotToApply !== null && ready.persist!.snapshot === ready.snapshotToApply) springSnapshotTrap(this.world, host);
  }

  private sending(host: NodeHost, message: Message<KvCommand>): void {
    if (message.type === 'AppendEntriesResponse' && message.success) {
      this.world.monitor.onAcknowledged(host.id, message.term, message.matchIndex, host.raft.term);
    }
  }

  /** A snapshot restored, then the entries about to be applied. */
  private applying(host: NodeHost, ready: Ready<KvCommand>): void {
    const world = this.world;
    const snapshot = ready.snapshotToApply;
    if (snapshot) {
      world.monitor.onCommitReset(host.id, snapshot.lastIncludedIndex);
      world.monitor.onConfigCommitted(snapshot.lastIncludedIndex, snapshot.config);
      // A snapshot from the leader is written in the same Ready; a restart restores its own.
      const fromLeader = ready.persist !== null && ready.persist.snapshot === snapshot;
      world.trace.record(fromLeader
        ? { t: world.now, ev: 'install-snapshot', node: host.id, index: snapshot.lastIncludedIndex, term: snapshot.lastIncludedTerm,
          keptEntries: host.raft.lastIndex - snapshot.lastIncludedIndex, previousLastIndex: host.writtenLastIndex }
        : { t: world.now, ev: 'restore-snapshot', node: host.id, index: snapshot.lastIncludedIndex, term: snapshot.lastIncludedTerm });
      host.writtenLastIndex = host.raft.lastIndex;
    }
    // The monitor learns the new commit index before any acknowledgement it makes possible.
    if (ready.committed.length > 0) this.observeCommit(host);
    let configs = snapshot?.config !== undefined;
    for (const entry of ready.committed) {
      traceApply(world.trace, world.now, host.id, entry);
      world.monitor.onApply(host.id, entry);
      if (entry.config !== undefined) configs = true;
    }
    // A committed configuration may have removed the leader (or the node with the highest term).
    if (configs) this.noteCluster();
  }

  /** Tells the monitor about every write acknowledged from this batch of applied entries. */
  private acknowledge(host: NodeHost, ready: Ready<KvCommand>, responses: readonly KvResponse[]): void {
    for (const response of responses) {
      if (response.status !== 'ok') continue;
      const entry = ready.committed.find((e) => e.command?.clientId === response.clientId && e.command.seq === response.seq);
      if (!entry || entry.command === null || entry.command.op.f === 'get') continue;
      const command = entry.command;
      this.world.monitor.onAcknowledgedWrite(host.id, entry.index, entry.term, `client ${command.clientId} seq ${command.seq} ${command.op.f} ${command.op.key}`);
    }
  }

  /** After every input: the node's cheap getters, not status(), since this runs per event. */
  private observe(host: NodeHost): void {
    const world = this.world;
    const raft = host.raft;
    const role = raft.role;
    const term = raft.term;
    if (role !== host.lastRole || term !== host.lastTerm) {
      world.coverage.roleChanged(host, role, term);
      host.lastRole = role;
      host.lastTerm = term;
      traceRole(world.trace, world.now, host.id, role, term);
      // A node outside the committed configuration (removed, and maybe unaware) is no part of the
      // cluster's liveness: its campaigns are counted only through what they do to the members.
      if (role === 'candidate' && this.isMember(host)) world.liveness.onElection(world.now);
      if (role === 'leader') {
        world.monitor.onLeader(raft, term);
        springLeaderTraps(world, host.id);
      }
      this.noteCluster();
    }
    this.observeCommit(host);
  }

  private observeCommit(host: NodeHost): void {
    const world = this.world;
    const raft = host.raft;
    if (!world.monitor.commitMoved(host.id, raft.commitIndex)) return;
    world.trace.record({ t: world.now, ev: 'commit', node: host.id, index: raft.commitIndex });
    const snapshot = raft.snapshot();
    world.monitor.onCommitIndex(raft, raft.commitIndex, snapshot?.lastIncludedIndex ?? 0, snapshot?.lastIncludedTerm ?? 0);
  }

  /** Whether the host is a member (voter or learner) of the latest committed configuration. */
  private isMember(host: NodeHost): boolean {
    return isMember(this.world.monitor.latestCommittedConfig, host.id);
  }

  /**
   * Tells the liveness tracker the highest term among live members (of the latest committed
   * configuration: a removed node leads nothing) and who leads it (rare: on changes only).
   */
  noteCluster(): void {
    const world = this.world;
    let maxTerm = 0;
    let leader = 0;
    for (const host of world.hosts) {
      if (!host.alive || !this.isMember(host)) continue;
      const term = host.raft.term;
      if (term > maxTerm) {
        maxTerm = term;
        leader = 0;
      }
      if (term === maxTerm && host.raft.role === 'leader') leader = host.id;
    }
    world.liveness.onCluster(world.now, maxTerm, leader);
  }
}
