/**
 * The Ready loop, written once for the simulator and the real runtime: after every input to a
 * Raft node (tick, message, client request, a write become durable) take each Ready and carry it
 * out in the order src/raft/ready.ts asks (start the write, send, apply through the state machine,
 * answer), then check leadership. Synchronous on purpose: a write only starts here; its owner
 * (the simulated disk, the runtime's promise) calls `persisted` when it is durable, as a new input.
 */
import type { RaftNodeApi } from '../raft/node.js';
import type { Message } from '../raft/messages.js';
import type { Ready } from '../raft/ready.js';
import type { DriverObserver, DriverPorts } from './ports.js';

export class NodeDriver<C, R> {
  private halted = false;
  private readonly observer: DriverObserver<C, R>;

  constructor(readonly node: RaftNodeApi<C>, private readonly ports: DriverPorts<C, R>) {
    this.observer = ports.observer ?? {};
  }

  /** True once `halt` was called: the process died or stopped, and no input runs any more. */
  get isHalted(): boolean {
    return this.halted;
  }

  /**
   * Stops the driver: inputs are ignored from now on, and a Ready being carried out is dropped at
   * its next step (what a crash in the middle of it would leave).
   */
  halt(): void {
    this.halted = true;
  }

  tick(): void {
    this.input(() => this.node.tick());
  }

  step(message: Message<C>): void {
    this.input(() => this.node.step(message));
  }

  /** Storage reports the write with this id (and all before it) durable. */
  persisted(id: number): void {
    this.input(() => this.node.persisted(id));
  }

  /** Runs any other input to the node (client requests through the state machine), then drains. */
  input(action: () => void): void {
    if (this.halted) return;
    action();
    this.drain();
  }

  /** Carries out everything the node has to hand out (also after a start or a restart). */
  drain(): void {
    const node = this.node;
    while (!this.halted && node.hasReady()) this.carryOut(node.ready());
    if (this.halted) return;
    this.ports.answers.answer(this.ports.stateMachine.checkLeadership());
    this.observer.drained?.();
  }

  private carryOut(ready: Ready<C>): void {
    const { storage, transport, stateMachine, answers } = this.ports;
    const observer = this.observer;
    observer.readyTaken?.(ready);
    const persist = ready.persist;
    if (persist !== null) {
      observer.persistStarting?.(persist);
      // Not awaited: the messages and applies of this Ready never depend on this write (ready.ts).
      storage.startPersist(persist);
      observer.persistStarted?.(ready);
      if (this.halted) return;
    }
    for (const message of ready.messages) {
      observer.sending?.(message);
      transport.send(message);
    }
    observer.applying?.(ready);
    const responses = stateMachine.applyReady(ready);
    observer.applied?.(ready, responses);
    answers.answer(responses);
    const committed = ready.committed.at(-1);
    if (committed !== undefined) storage.noteCommitted?.(committed.index);
  }
}
