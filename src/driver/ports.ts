/**
 * What a NodeDriver needs from the world around one Raft node: somewhere to write, a way to send,
 * a state machine to apply to, and someone to hand answers to. The simulator and the real runtime
 * each plug in their own; the driver stays the same, synchronous and deterministic.
 */
import type { Message } from '../raft/messages.js';
import type { PersistRequest, Ready } from '../raft/ready.js';

export interface StoragePort<C> {
  /**
   * Starts a write and returns at once. When it is durable, the owner calls the driver's
   * `persisted(request.id)`; writes complete in the order they were started.
   */
  startPersist(request: PersistRequest<C>): void;
  /** Told the last index applied from each Ready (the runtime refuses a restart that lost it). */
  noteCommitted?(index: number): void;
}

export interface TransportPort<C> {
  send(message: Message<C>): void;
}

/** The application over the node (the KV server): applies Ready batches and answers clients. */
export interface StateMachinePort<C, R> {
  /** Restores `ready.snapshotToApply`, applies `ready.committed`; returns the answers they settle. */
  applyReady(ready: Ready<C>): R[];
  /** After every input: answers for requests whose term the node no longer leads. */
  checkLeadership(): R[];
}

/** Where the state machine's answers go (the clients). */
export interface AnswerPort<R> {
  answer(responses: readonly R[]): void;
}

/**
 * Optional looks at each step of the Ready loop, in the order they happen, for monitors,
 * traces and metrics. None may change what the driver does, except by halting it.
 */
export interface DriverObserver<C, R> {
  /** A Ready was taken from the node, before anything of it is carried out. */
  readyTaken?(ready: Ready<C>): void;
  /** Just before `ready.persist` is started. */
  persistStarting?(request: PersistRequest<C>): void;
  /** Just after `ready.persist` was started (the owner may halt the driver here: a crash). */
  persistStarted?(ready: Ready<C>): void;
  /** Just before a message goes to the transport. */
  sending?(message: Message<C>): void;
  /** Before the state machine sees the snapshot and the committed entries of this Ready. */
  applying?(ready: Ready<C>): void;
  /** The state machine applied this Ready and gave these answers (not yet handed on). */
  applied?(ready: Ready<C>, responses: readonly R[]): void;
  /** The node has nothing more to hand out and leadership was checked: the input is done. */
  drained?(): void;
}

export interface DriverPorts<C, R> {
  readonly storage: StoragePort<C>;
  readonly transport: TransportPort<C>;
  readonly stateMachine: StateMachinePort<C, R>;
  readonly answers: AnswerPort<R>;
  readonly observer?: DriverObserver<C, R>;
}
