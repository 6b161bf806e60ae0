/**
 * The node loop for a real process: the same RaftNode and KvServer the simulator drives
 * (src/sim/world.ts afterInput/carryOut), driven here by real timers, sockets and disk.
 *
 * After every input (tick, peer message, client request, a write becoming durable) `afterInput`
 * drains the node's Ready batches: start the write (not awaited here: when storage reports it
 * durable we call `persisted` and drain again), send the messages, apply what is committed through
 * the KV server, answer the clients, then `checkLeadership`. Acknowledgements wait for fsync
 * because the core never releases an ack or a commit that depends on an undurable write.
 */
import { KvServer } from '../kv/server.js';
import type { KvCommand, KvRequest, KvResponse } from '../kv/types.js';
import type { Message } from '../raft/messages.js';
import { RaftNode } from '../raft/raft.js';
import type { Ready } from '../raft/ready.js';
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

export interface RaftHostOptions {
  readonly id: NodeId;
  /** Every voter, including `id`. */
  readonly voters: readonly NodeId[];
  readonly timing: NodeTiming;
  readonly maxEntriesPerAppend: number;
  readonly maxInflightAppends: number;
  readonly snapshotEveryEntries: number;
  readonly requestTimeoutMs: number;
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
  | { readonly kind: 'stale'; readonly appliedSeq: number };

export class RaftHost {
  readonly node: RaftNode<KvCommand>;
  readonly kv: KvServer;
  private readonly waiters: ClientWaiters;
  private tickTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private failed = false;

  constructor(private readonly options: RaftHostOptions) {
    const random = seededRandom(`n${options.id}/${Date.now()}/${process.pid}`);
    this.node = new RaftNode<KvCommand>({
      id: options.id, peers: options.voters,
      electionTicksMin: options.timing.electionTicksMin, electionTicksMax: options.timing.electionTicksMax,
      heartbeatTicks: options.timing.heartbeatTicks,
      maxEntriesPerAppend: options.maxEntriesPerAppend, maxInflightAppends: options.maxInflightAppends,
      random,
    }, options.storage.recovered);
    // The real clock stamps proposals; sessions expire by those stamps (src/kv reads no time).
    this.kv = new KvServer({ node: this.node, snapshotEveryEntries: options.snapshotEveryEntries, clockMs: () => Date.now() });
    this.waiters = new ClientWaiters(options.requestTimeoutMs);
  }

  /** Starts ticking; the first drain restores a recovered snapshot into the KV store. */
  start(): void {
    this.input(() => undefined);
    this.tickTimer = setInterval(() => this.input(() => this.node.tick()), this.options.timing.tickMs);
  }

  /** Stops all inputs; waiting clients are told the outcome is unknown. */
  stop(): void {
    this.stopped = true;
    if (this.tickTimer !== null) clearInterval(this.tickTimer);
    this.tickTimer = null;
    this.waiters.stopAll();
  }

  deliver(message: Message<KvCommand>): void {
    this.input(() => this.node.step(message));
  }

  /** Hands a client request to the KV server and resolves with its answer (or why there is none). */
  submit(request: KvRequest): Promise<SubmitOutcome> {
    if (this.stopped || this.failed) return Promise.resolve({ kind: 'stopping' });
    const session = this.kv.stateMachine.session(request.clientId);
    if (session !== undefined && request.seq < session.seq) {
      return Promise.resolve({ kind: 'stale', appliedSeq: session.seq });
    }
    const result: { immediate: KvResponse | null } = { immediate: null };
    const lastIndexBefore = this.node.lastIndex;
    // Wait first, so that an answer coming out of this very drain is not missed.
    const waiting = this.waiters.wait(request.clientId, request.seq);
    this.input(() => {
      result.immediate = this.kv.handleRequest(request);
    });
    if (result.immediate !== null) this.waiters.answer(result.immediate);
    if (this.node.lastIndex > lastIndexBefore) this.options.metrics.proposals.inc();
    return waiting.then((outcome) => {
      if (outcome.kind === 'response' && outcome.response.status === 'ok' && result.immediate === null) {
        this.options.metrics.commitLatency.observe(outcome.waitedMs / 1000);
      }
      return outcome;
    });
  }

  /** Runs one input to the node, then carries out everything it hands back. */
  private input(action: () => void): void {
    if (this.stopped || this.failed) return;
    try {
      action();
      this.afterInput();
    } catch (error) {
      this.fail(error);
    }
  }

  private afterInput(): void {
    const node = this.node;
    while (node.hasReady()) this.carryOut(node.ready());
    this.answer(this.kv.checkLeadership());
    this.options.metrics.observe(node);
  }

  private carryOut(ready: Ready<KvCommand>): void {
    const persist = ready.persist;
    if (persist !== null) {
      const id = persist.id;
      // Not awaited: messages and applies of this Ready never depend on this write (ready.ts).
      this.options.storage.persist(persist).then(
        () => this.input(() => this.node.persisted(id)),
        (error: unknown) => this.fail(error),
      );
    }
    for (const message of ready.messages) this.options.send(message);
    this.answer(this.kv.applyReady(ready));
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
