/**
 * A KV server: the glue between clients, one Raft node and the state machine. Sans-I/O: the host
 * hands it requests and the node's Ready batches, and sends the responses it returns. Responses
 * are addressed by clientId; routing them to the client is the host's job.
 *
 * Host contract:
 * - carry out each Ready's `persist` and `messages` itself, then pass the Ready to `applyReady`;
 * - call `checkLeadership` after every input to the node (tick, step, persisted), so a request
 *   proposed in an older term is never mistaken for one of the current term.
 *
 * The protected methods are where a rule of exactly-once or of reads is decided; each holds the
 * correct rule. Subclasses override them only to show that the harness notices a broken rule.
 */
import type { RaftNodeApi } from '../raft/node.js';
import type { Ready } from '../raft/ready.js';
import type { LogEntry, NodeId, Snapshot } from '../raft/types.js';
import { assert } from '../raft/assert.js';
import { PendingReads, type ReadMode } from './pendingReads.js';
import type { KvSession } from './sessions.js';
import { KvStateMachine, MALFORMED_COMMAND, SESSION_EXPIRED, type KvStateMachineOptions, type KvStateView } from './stateMachine.js';
import type { KvCommand, KvErrorOutput, KvOutput, KvRequest, KvResponse, KvSnapshotData } from './types.js';

export interface KvServerOptions {
  readonly node: RaftNodeApi<KvCommand>;
  /** Compact the Raft log after this many applied entries since the last snapshot; 0 = never. */
  readonly snapshotEveryEntries: number;
  /**
   * This machine's clock in ms, stamped on every command it proposes as leader (the simulator's
   * node clock, drift and jumps included; the runtime's real clock). src/kv reads no time itself.
   */
  readonly clockMs: () => number;
  /** Session bounds (see KvStateMachineOptions): idle expiry and count; defaults 1 hour, 65,536. */
  readonly sessionExpiryMs?: number;
  readonly maxSessions?: number;
  /** How gets are answered (see ReadMode); default 'log'. 'lease' also needs the node's leaseReads. */
  readonly readMode?: ReadMode;
  /**
   * With readMode 'read-index': a follower that knows its leader serves gets itself, asking the
   * leader for a read index (thesis §6.4), instead of redirecting the client. Default off.
   */
  readonly followerReads?: boolean;
}

/** A request proposed by this server whose entry has not been applied yet. */
interface PendingRequest {
  readonly clientId: number;
  readonly seq: number;
  readonly index: number;
  readonly term: number;
}

export class KvServer {
  readonly node: RaftNodeApi<KvCommand>;
  private readonly machine: KvStateMachine;
  private readonly snapshotEveryEntries: number;
  private readonly clockMs: () => number;
  // Both maps hold the same requests. A closed-loop client has one operation outstanding, so one
  // pending request per client is enough; the index map finds it when its entry is applied.
  private readonly pendingByIndex = new Map<number, PendingRequest>();
  private readonly pendingByClient = new Map<number, PendingRequest>();
  private readonly readMode: ReadMode;
  private readonly followerReads: boolean;
  /** Gets answered without a log entry (readMode 'read-index' or 'lease'), waiting for their ReadState or their apply. */
  private readonly reads = new PendingReads();
  private lastSnapshotIndex: number;
  private sessionAnswers = 0;
  private abandoned = 0;

  constructor(options: KvServerOptions) {
    const every = options.snapshotEveryEntries;
    assert(Number.isInteger(every) && every >= 0,
      `snapshotEveryEntries must be a non-negative integer, got ${every}`);
    this.node = options.node;
    this.snapshotEveryEntries = every;
    this.clockMs = options.clockMs;
    this.readMode = options.readMode ?? 'log';
    this.followerReads = options.followerReads === true;
    assert(!this.followerReads || this.readMode === 'read-index', 'followerReads needs readMode read-index');
    this.machine = this.createStateMachine({
      ...(options.sessionExpiryMs === undefined ? {} : { sessionExpiryMs: options.sessionExpiryMs }),
      ...(options.maxSessions === undefined ? {} : { maxSessions: options.maxSessions }),
    }, options.clockMs);
    // After a restart the node may already hold a snapshot; count from it.
    this.lastSnapshotIndex = options.node.firstIndex - 1;
  }

  get id(): NodeId {
    return this.node.id;
  }

  /** The replicated state, read-only (for monitors). */
  get stateMachine(): KvStateView {
    return this.machine;
  }

  get pendingCount(): number {
    return this.pendingByIndex.size;
  }

  /** The state machine this server applies to (called once, from the constructor); `clockMs` is this machine's clock. */
  protected createStateMachine(options: KvStateMachineOptions, _clockMs: () => number): KvStateMachine {
    return new KvStateMachine(options);
  }

  /**
   * Whether a leader may answer a get from its local state without the log: never, since it may
   * already be deposed without knowing it (§8); every read goes through the log.
   */
  protected mayReadLocally(): boolean {
    return false;
  }

  /**
   * Thesis §6.4: a follower serves a get only at a read index its leader confirmed; its own state
   * may lag writes the leader has already acknowledged.
   */
  protected followerAsksLeader(): boolean {
    return true;
  }

  /** A request at or below its session's last applied seq was answered already (the cached output, or dropped). */
  protected isAnsweredSeq(seq: number, session: KvSession): boolean {
    return seq <= session.seq;
  }

  /** Retried requests this server answered from the session table, without proposing them again. */
  get sessionHits(): number {
    return this.sessionAnswers;
  }

  /** Pending requests answered `retry` by `checkLeadership` because this server stopped leading their term. */
  get pendingAbandoned(): number {
    return this.abandoned;
  }

  /**
   * Takes a client request. Returns the response at once when it is known now, or null when the
   * answer will come out of a later `applyReady`/`checkLeadership` (or when nobody waits for one).
   */
  handleRequest(request: KvRequest): KvResponse | null {
    const { clientId, seq } = request;
    // The node's cheap getters, not status(): this runs once per request at simulator rates.
    if (this.node.role !== 'leader') {
      if (request.op.f === 'get' && this.servesFollowerRead() && this.hasSessionOrOneShot(request)) {
        return this.followerRead(clientId, seq, request.op.key);
      }
      return { status: 'not-leader', clientId, seq, leaderHint: this.node.leaderId };
    }
    const session = this.machine.session(clientId);
    if (session !== undefined && this.isAnsweredSeq(seq, session)) {
      // Applied implies committed, so the cached output is final. An older seq is a stale copy
      // of a request the client has already had answered: drop it.
      if (seq !== session.seq) return null;
      // A write's output is kept; a read's is not: a retried read goes through the log again.
      if (session.output !== null) {
        this.sessionAnswers++;
        return { status: 'ok', clientId, seq, output: session.output };
      }
    }
    if (request.op.f === 'get' && this.mayReadLocally()) {
      return { status: 'ok', clientId, seq, output: { value: this.machine.read(request.op.key) } };
    }
    const pending = this.pendingByClient.get(clientId);
    if (pending !== undefined) {
      // The same seq is already in the log here: its answer will come when it is applied.
      if (seq <= pending.seq) return null;
      // The client has moved on (it got its answer elsewhere): nobody waits for the old one.
      this.forget(pending);
    }
    const readSeq = this.reads.seqOf(clientId);
    if (readSeq !== null && seq <= readSeq) return null;
    this.reads.forgetClient(clientId);
    if (request.op.f === 'get' && this.readMode !== 'log' && this.hasSessionOrOneShot(request)) {
      return this.readWithoutLog(clientId, seq, request.op.key);
    }
    const result = this.node.propose(this.command(request));
    if (!result.ok) {
      // Both refusals are definite: nothing was appended, so nothing is pending for this seq.
      if (result.reason === 'uncommitted-limit') return { status: 'overloaded', clientId, seq };
      return { status: 'not-leader', clientId, seq, leaderHint: result.leaderHint };
    }
    this.remember({ clientId, seq, index: result.index, term: result.term });
    return null;
  }

  /**
   * Thesis §6.4: the leader confirms the read (a heartbeat round, or its lease) and hands back a
   * ReadState; applyReady answers it once the state machine has applied through its index.
   */
  private readWithoutLog(clientId: number, seq: number, key: string): KvResponse | null {
    const ctx = this.reads.add(clientId, seq, key, this.node.term);
    const result = this.node.readIndex(ctx);
    if (result.ok) return null;
    this.reads.forgetClient(clientId);
    return { status: 'not-leader', clientId, seq, leaderHint: result.leaderHint };
  }

  /**
   * Gets go without the log only for a client whose session this replica holds (or a one-shot
   * request, which has none): a session opens when a client's first command is applied, at seq 1,
   * so a client whose first gets skipped the log would have its first write refused
   * `session-expired`. A first get goes through the log (on the leader) and opens the session.
   */
  private hasSessionOrOneShot(request: KvRequest): boolean {
    return request.oneShot === true || this.machine.session(request.clientId) !== undefined;
  }

  /** A follower that knows its leader serves gets itself (followerReads), through the leader's read index. */
  private servesFollowerRead(): boolean {
    return this.followerReads && this.node.role === 'follower' && this.node.leaderId !== null;
  }

  /**
   * Thesis §6.4: a follower's get, confirmed by the leader (ReadIndex message) and answered here
   * once applied through the leader's index. A retry of a read still unconfirmed asks again: its
   * request or the answer may have been lost, and reads may be asked twice.
   */
  private followerRead(clientId: number, seq: number, key: string): KvResponse | null {
    if (!this.followerAsksLeader()) return { status: 'ok', clientId, seq, output: { value: this.machine.read(key) } };
    const readSeq = this.reads.seqOf(clientId);
    if (readSeq !== null && (seq < readSeq || (seq === readSeq && !this.reads.isUnconfirmedFollowerRead(clientId)))) return null;
    const pending = this.pendingByClient.get(clientId);
    if (pending !== undefined) this.forget(pending);
    const ctx = this.reads.add(clientId, seq, key, this.node.term, this.node.leaderId);
    const result = this.node.readIndex(ctx);
    if (result.ok) return null;
    this.reads.forgetClient(clientId);
    return { status: 'not-leader', clientId, seq, leaderHint: result.leaderHint };
  }

  /** The log entry for a request: stamped with this leader's clock, flags only when set. */
  private command(request: KvRequest): KvCommand {
    const { clientId, seq, op } = request;
    const command: { -readonly [K in keyof KvCommand]: KvCommand[K] } = { clientId, seq, op, timeMs: this.clockMs() };
    if (request.oneShot === true) command.oneShot = true;
    if (request.retried === true) command.retried = true;
    return command;
  }

  /**
   * Restores `ready.snapshotToApply` if set, then applies `ready.committed` in order, answering
   * the pending requests those entries settle; then compacts if the threshold is reached.
   * `ready.persist` and `ready.messages` are the host's job and must be handled before this.
   */
  applyReady(ready: Ready<KvCommand>): KvResponse[] {
    const responses: KvResponse[] = [];
    if (ready.snapshotToApply !== null) this.restoreSnapshot(ready.snapshotToApply, responses);
    for (const entry of ready.committed) this.applyEntry(entry, responses);
    if (ready.readStates !== undefined) this.reads.confirm(ready.readStates);
    if (this.reads.size > 0) this.reads.serve(this.machine.lastAppliedIndex, (key) => this.machine.read(key), responses);
    this.maybeCompact();
    return responses;
  }

  /**
   * Answers `retry` to every pending request proposed in a term this node no longer leads: their
   * entries may or may not commit, so the outcome is unknown here. The client retries with the
   * same seq, and exactly-once makes that safe.
   */
  checkLeadership(): KvResponse[] {
    if (this.pendingByIndex.size === 0 && this.reads.size === 0) return [];
    const leading = this.node.role === 'leader';
    const term = this.node.term;
    const responses: KvResponse[] = [];
    if (this.reads.size > 0) {
      const following = { term, leader: this.node.role === 'follower' ? this.node.leaderId : null };
      this.reads.abandon(leading ? term : null, following, this.node.leaderId, responses);
    }
    // Map order is proposal order, which is index order: deterministic.
    for (const pending of [...this.pendingByIndex.values()]) {
      if (leading && term === pending.term) continue;
      this.forget(pending);
      this.abandoned++;
      responses.push(retryResponse(pending));
    }
    return responses;
  }

  private restoreSnapshot(snapshot: Snapshot, responses: KvResponse[]): void {
    const data = snapshot.data as KvSnapshotData;
    assert(data.lastAppliedIndex === snapshot.lastIncludedIndex,
      `snapshot data index ${data.lastAppliedIndex} != ${snapshot.lastIncludedIndex}`);
    this.machine.restore(data);
    this.lastSnapshotIndex = snapshot.lastIncludedIndex;
    // Entries covered by the snapshot will never be applied here one by one, so whether a pending
    // request made it in is unknown to this server.
    for (const pending of [...this.pendingByIndex.values()]) {
      if (pending.index > snapshot.lastIncludedIndex) continue;
      this.forget(pending);
      responses.push(retryResponse(pending));
    }
  }

  private applyEntry(entry: LogEntry<KvCommand>, responses: KvResponse[]): void {
    const command = entry.command;
    let output: KvOutput | KvErrorOutput | null = null;
    if (command === null) {
      this.machine.applyNoop(entry.index);
    } else {
      output = this.machine.apply(command, entry.index);
    }
    const pending = this.pendingByIndex.get(entry.index);
    if (pending === undefined) return;
    this.forget(pending);
    // A malformed entry is not ours (we propose only well-formed commands): ours was overwritten.
    const same = command !== null && output !== MALFORMED_COMMAND && command.clientId === pending.clientId &&
      command.seq === pending.seq;
    if (!same) {
      // Another entry took the index: a new leader overwrote ours. It may sit elsewhere in the
      // log or be lost; unknown here.
      responses.push(retryResponse(pending));
      return;
    }
    if (output === SESSION_EXPIRED) {
      responses.push({ status: 'session-expired', clientId: pending.clientId, seq: pending.seq });
      return;
    }
    // A null output means the client had already moved past this seq: nobody waits for it.
    if (output !== null && !('error' in output)) {
      responses.push({ status: 'ok', clientId: pending.clientId, seq: pending.seq, output });
    }
  }

  private maybeCompact(): void {
    if (this.snapshotEveryEntries === 0) return;
    const applied = this.machine.lastAppliedIndex;
    if (applied - this.lastSnapshotIndex < this.snapshotEveryEntries) return;
    this.node.compact(applied, this.machine.snapshot());
    this.lastSnapshotIndex = applied;
  }

  private remember(pending: PendingRequest): void {
    assert(!this.pendingByIndex.has(pending.index),
      `index ${pending.index} already pending: was checkLeadership skipped after a term change?`);
    assert(!this.pendingByClient.has(pending.clientId), 'one pending request per client');
    this.pendingByIndex.set(pending.index, pending);
    this.pendingByClient.set(pending.clientId, pending);
  }

  private forget(pending: PendingRequest): void {
    assert(this.pendingByIndex.get(pending.index) === pending, 'pending maps agree by index');
    assert(this.pendingByClient.get(pending.clientId) === pending, 'pending maps agree by client');
    this.pendingByIndex.delete(pending.index);
    this.pendingByClient.delete(pending.clientId);
  }
}

function retryResponse(pending: PendingRequest): KvResponse {
  return { status: 'retry', clientId: pending.clientId, seq: pending.seq };
}
