/**
 * The node loop for a real process: the same RaftNode, KvServer and NodeDriver (src/driver) the
 * simulator drives, driven here by real timers, sockets and disk.
 *
 * After every input (tick, peer message, client request, a write becoming durable) the driver
 * drains the node's Ready batches: start the write (not awaited: when storage reports it durable
 * we call the driver's `persisted`, which drains again), send the messages, apply what is committed
 * through the KV server, answer the clients, then `checkLeadership`. Acknowledgements wait for
 * fsync because the core never releases an ack or a commit that depends on an undurable write.
 *
 * Under a flood of clients the node must keep ticking (a leader that misses its heartbeats gets
 * deposed, and every request in flight ends "outcome unknown"). So client requests do not each
 * drive the node: `submit` only admits them into a bounded set (count and bytes; past it the
 * answer is `overloaded`, never applied) and queues them; one `setImmediate` turn then hands up to
 * MAX_REQUESTS_PER_READY of them to the node in one input (one Ready, one write), and yields to the
 * event loop before the next batch, so timers and peer messages get their turn in between.
 */
import { READ_MODES } from '../kv/pendingReads.js';
import { DEFAULT_READ_SETTINGS, raftReadConfig, servesFollowerReads, type ReadSettings } from './readSettings.js';
import { NodeDriver } from '../driver/nodeDriver.js';
import { KvServer } from '../kv/server.js';
import type { KvCommand, KvRequest, KvResponse } from '../kv/types.js';
import type { RaftByteLimits } from '../raft/config.js';
import type { ConfigChange } from '../raft/membership.js';
import type { Message } from '../raft/messages.js';
import type { ConfigChangeResult } from '../raft/node.js';
import { RaftNode } from '../raft/raft.js';
import type { PersistRequest } from '../raft/ready.js';
import type { TransferResult } from '../raft/transfer.js';
import type { NodeId } from '../raft/types.js';
import { ClientWaiters, type WaitOutcome } from './clientWaiters.js';
import type { NodeMetrics } from './metrics.js';
import { seededRandom } from './seededRandom.js';
import type { NodeStorage } from './storageContract.js';

export interface NodeTiming {
  /** Real milliseconds per Raft tick. */
  readonly tickMs: number;
  readonly electionTicksMin: number;
  readonly electionTicksMax: number;
  readonly heartbeatTicks: number;
}

export const DEFAULT_TIMING: NodeTiming = { tickMs: 10, electionTicksMin: 15, electionTicksMax: 30, heartbeatTicks: 5 };

/**
 * PreVote and CheckQuorum (src/raft/config.ts): on by default in the real runtime, as in etcd's
 * server; `raftsim serve --no-pre-vote / --no-check-quorum` turn each off.
 */
export interface ElectionSafeguards {
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
}

export const DEFAULT_ELECTION_SAFEGUARDS: ElectionSafeguards = { preVote: true, checkQuorum: true };

/** How many client requests may wait for their answer at once, and how many bytes they may hold. */
export interface RequestBounds {
  readonly maxPendingRequests: number;
  readonly maxPendingBytes: number;
}

export const DEFAULT_REQUEST_BOUNDS: RequestBounds = { maxPendingRequests: 256, maxPendingBytes: 16 * 1024 * 1024 };

/** Requests handed to the node in one input, so one batch cannot hold the event loop for long. */
export const MAX_REQUESTS_PER_READY = 128;

export interface RaftHostOptions {
  readonly id: NodeId;
  /** Every voter, including `id`. */
  readonly voters: readonly NodeId[];
  readonly timing: NodeTiming;
  readonly maxEntriesPerAppend: number;
  readonly maxInflightAppends: number;
  /** The core's byte limits (src/raft/config.ts); absent: the core's defaults. */
  readonly byteLimits?: RaftByteLimits;
  /** Default DEFAULT_ELECTION_SAFEGUARDS (both on). */
  readonly electionSafeguards?: ElectionSafeguards;
  /** How gets are answered; default DEFAULT_READ_SETTINGS (ReadIndex). */
  readonly readSettings?: ReadSettings;
  readonly snapshotEveryEntries: number;
  readonly requestTimeoutMs: number;
  /** Default DEFAULT_REQUEST_BOUNDS. */
  readonly requestBounds?: RequestBounds;
  readonly storage: NodeStorage<KvCommand>;
  readonly send: (message: Message<KvCommand>) => void;
  readonly metrics: NodeMetrics;
  /** Our own code or the disk failed: the process must stop (durable state is safe). */
  readonly onFatal: (error: Error) => void;
}

/** What a client request came to. */
export type SubmitOutcome =
  | WaitOutcome
  /** The client already had a later seq applied: this one is an old copy. */
  | { readonly kind: 'stale'; readonly appliedSeq: number }
  /** Too many requests wait already: this one was not taken (so not applied by this request). */
  | { readonly kind: 'overloaded' };

export class RaftHost {
  readonly node: RaftNode<KvCommand>;
  readonly kv: KvServer;
  readonly readSettings: ReadSettings;
  private readonly driver: NodeDriver<KvCommand, KvResponse>;
  private readonly waiters: ClientWaiters;
  private readonly bounds: RequestBounds;
  private tickTimer: NodeJS.Timeout | null = null;
  /** When the next tick is due (performance.now() clock), for the lateness metric. */
  private nextTickAt = 0;
  /** Admitted requests not yet handed to the node. */
  private readonly queue: KvRequest[] = [];
  private flushScheduled = false;
  private pendingRequests = 0;
  private pendingBytes = 0;
  /** Answers the KV server gave at once (not after a commit): no commit latency for those. */
  private readonly immediate = new WeakSet<KvResponse>();
  private stopped = false;
  private failed = false;

  constructor(private readonly options: RaftHostOptions) {
    const random = seededRandom(`n${options.id}/${Date.now()}/${process.pid}`);
    const safeguards = options.electionSafeguards ?? DEFAULT_ELECTION_SAFEGUARDS;
    this.readSettings = options.readSettings ?? DEFAULT_READ_SETTINGS;
    this.node = new RaftNode<KvCommand>({
      id: options.id, peers: options.voters,
      electionTicksMin: options.timing.electionTicksMin, electionTicksMax: options.timing.electionTicksMax,
      heartbeatTicks: options.timing.heartbeatTicks,
      maxEntriesPerAppend: options.maxEntriesPerAppend, maxInflightAppends: options.maxInflightAppends,
      ...options.byteLimits,
      ...safeguards,
      ...raftReadConfig(this.readSettings, options.timing, safeguards.checkQuorum),
      random,
    }, options.storage.recovered);
    // The real clock stamps proposals; sessions expire by those stamps (src/kv reads no time).
    this.kv = new KvServer({
      node: this.node, snapshotEveryEntries: options.snapshotEveryEntries, clockMs: () => Date.now(), readMode: this.readSettings.mode,
      followerReads: servesFollowerReads(this.readSettings),
    });
    for (const mode of READ_MODES) options.metrics.readMode.set({ mode }, mode === this.readSettings.mode ? 1 : 0);
    this.waiters = new ClientWaiters(options.requestTimeoutMs);
    this.bounds = options.requestBounds ?? DEFAULT_REQUEST_BOUNDS;
    this.driver = new NodeDriver<KvCommand, KvResponse>(this.node, {
      storage: {
        startPersist: (request) => this.startWrite(request),
        // Storage records it, so that a restart from a log missing committed entries is refused.
        noteCommitted: (index) => options.storage.noteCommitted?.(index),
      },
      transport: { send: (message) => options.send(message) },
      stateMachine: this.kv,
      answers: { answer: (responses) => this.answer(responses) },
      observer: { drained: () => options.metrics.observe(this.node) },
    });
  }

  /** Requests admitted and not yet answered, and the bytes they hold. */
  get pending(): { readonly requests: number; readonly bytes: number } {
    return { requests: this.pendingRequests, bytes: this.pendingBytes };
  }

  /** Starts ticking; the first drain restores a recovered snapshot into the KV store. */
  start(): void {
    this.input(() => this.driver.drain());
    this.nextTickAt = performance.now() + this.options.timing.tickMs;
    this.scheduleTick();
  }

  /**
   * Ticks now if a tick is due. Called on every input (and by the listener on every connection and
   * request) because timers alone are not enough: under a flood of sockets, one poll phase of the
   * event loop runs I/O callbacks for seconds before any timer gets its turn, and a leader whose
   * heartbeats wait that long is deposed.
   */
  tickIfDue(): void {
    if (this.tickTimer !== null && performance.now() >= this.nextTickAt) this.fireTick();
  }

  private scheduleTick(): void {
    this.tickTimer = setTimeout(() => this.fireTick(), Math.max(0, this.nextTickAt - performance.now()));
  }

  /**
   * One tick, timed against when it was due. A late tick is not made up for: a burst of catch-up
   * ticks would only fire elections that the stall caused here, not the peers.
   */
  private fireTick(): void {
    if (this.tickTimer !== null) clearTimeout(this.tickTimer);
    this.tickTimer = null;
    const now = performance.now();
    this.options.metrics.observeTickLateness(Math.max(0, now - this.nextTickAt) / 1000);
    const tickMs = this.options.timing.tickMs;
    this.nextTickAt = Math.max(this.nextTickAt + tickMs, now + tickMs / 2);
    this.input(() => this.driver.tick());
    if (!this.stopped && !this.failed) this.scheduleTick();
  }

  /** Stops all inputs; waiting clients are told the outcome is unknown. */
  stop(): void {
    this.stopped = true;
    if (this.tickTimer !== null) clearTimeout(this.tickTimer);
    this.tickTimer = null;
    this.queue.length = 0;
    this.waiters.stopAll();
  }

  /** The bootstrap configuration's voters (RaftConfig.peers); the configuration in force is node.configuration. */
  get bootstrapVoters(): readonly NodeId[] {
    return this.options.voters;
  }

  /** How long a client request may wait for its commit: also the bound of a membership change. */
  get requestTimeoutMs(): number {
    return this.options.requestTimeoutMs;
  }

  get timing(): NodeTiming {
    return this.options.timing;
  }

  /** Asks the node to hand leadership to `to` (leaderHandoff.ts waits for the outcome). */
  transferLeadership(to: NodeId): TransferResult {
    let result: TransferResult = { ok: false, reason: 'not-leader', leaderHint: null };
    this.input(() => this.driver.input(() => {
      result = this.node.transferLeadership(to);
    }));
    return result;
  }

  /** Proposes a membership change (membershipChange.ts waits for its commit). */
  proposeConfigChange(change: ConfigChange): ConfigChangeResult {
    let result: ConfigChangeResult = { ok: false, reason: 'not-leader', leaderHint: null };
    this.input(() => this.driver.input(() => {
      result = this.node.proposeConfigChange(change);
    }));
    return result;
  }

  deliver(message: Message<KvCommand>): void {
    this.tickIfDue();
    this.input(() => this.driver.step(message));
  }

  /**
   * Admits a client request (or answers `overloaded` at once, past the bounds), queues it for the
   * node and resolves with its answer (or why there is none).
   */
  submit(request: KvRequest): Promise<SubmitOutcome> {
    if (this.stopped || this.failed) return Promise.resolve({ kind: 'stopping' });
    this.tickIfDue();
    const session = this.kv.stateMachine.session(request.clientId);
    if (session !== undefined && request.seq < session.seq) {
      return Promise.resolve({ kind: 'stale', appliedSeq: session.seq });
    }
    const bytes = requestBytes(request);
    if (this.pendingRequests >= this.bounds.maxPendingRequests || this.pendingBytes + bytes > this.bounds.maxPendingBytes) {
      return Promise.resolve({ kind: 'overloaded' });
    }
    this.pendingRequests++;
    this.pendingBytes += bytes;
    this.options.metrics.pendingRequests.set(this.pendingRequests);
    // Wait first, so that an answer coming out of the drain that handles it is not missed.
    const waiting = this.waiters.wait(request.clientId, request.seq);
    this.queue.push(request);
    this.scheduleFlush();
    return waiting.then((outcome) => {
      this.pendingRequests--;
      this.pendingBytes -= bytes;
      this.options.metrics.pendingRequests.set(this.pendingRequests);
      if (outcome.kind === 'response' && outcome.response.status === 'ok' && !this.immediate.has(outcome.response)) {
        this.options.metrics.commitLatency.observe(outcome.waitedMs / 1000);
      }
      return outcome;
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /** Hands one batch of queued requests to the node: one input, so one Ready for all of them. */
  private flush(): void {
    this.flushScheduled = false;
    this.tickIfDue();
    const batch = this.queue.splice(0, MAX_REQUESTS_PER_READY);
    if (this.queue.length > 0) this.scheduleFlush();
    const answeredAtOnce: KvResponse[] = [];
    const lastIndexBefore = this.node.lastIndex;
    this.input(() => this.driver.input(() => {
      for (const request of batch) {
        const response = this.kv.handleRequest(request);
        if (response !== null) answeredAtOnce.push(response);
      }
    }));
    for (const response of answeredAtOnce) this.immediate.add(response);
    this.answer(answeredAtOnce);
    if (this.node.lastIndex > lastIndexBefore) this.options.metrics.proposals.inc(this.node.lastIndex - lastIndexBefore);
  }

  /** Runs one input through the driver (which carries out everything the node hands back). */
  private input(action: () => void): void {
    if (this.stopped || this.failed) return;
    if (this.tickTimer !== null && performance.now() >= this.nextTickAt) this.fireTick();
    try {
      action();
    } catch (error) {
      this.fail(error);
    }
  }

  /** Not awaited: the messages and applies of the Ready never depend on this write (ready.ts). */
  private startWrite(request: PersistRequest<KvCommand>): void {
    const id = request.id;
    this.options.storage.persist(request).then(
      () => this.input(() => this.driver.persisted(id)),
      (error: unknown) => this.fail(error),
    );
  }

  private answer(responses: readonly KvResponse[]): void {
    for (const response of responses) this.waiters.answer(response);
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.stop();
    this.options.onFatal(error instanceof Error ? error : new Error(String(error)));
  }
}

/** What a request holds while it waits, roughly: its key and value (the rest is small and fixed). */
function requestBytes(request: KvRequest): number {
  const op = request.op;
  let bytes = 64 + op.key.length * 2;
  if ('value' in op) bytes += op.value.length * 2;
  if ('expected' in op && op.expected !== null) bytes += op.expected.length * 2;
  return bytes;
}
