/**
 * The history of client operations, in the format of the shared histories README and the checker:
 * virtual ms call and return times, input, output; return null and output null for an operation
 * still outstanding when the run ended (its outcome is unknown, never "failed").
 */
import type { KvOperation, KvOutput } from '../kv/types.js';

export const HISTORY_MODEL = 'raftsim-kv';

export interface HistoryOperation {
  readonly client: number;
  readonly call: number;
  return: number | null;
  readonly input: KvOperation;
  output: KvOutput | null;
}

export interface HistoryFile {
  readonly model: string;
  readonly source: string;
  readonly operations: HistoryOperation[];
}

export class HistoryRecorder {
  readonly operations: HistoryOperation[] = [];
  private removedCount = 0;

  /** Records a call; returns the operation's position, to pass to `complete`. */
  call(client: number, time: number, input: KvOperation): number {
    this.operations.push({ client, call: time, return: null, input, output: null });
    return this.operations.length - 1;
  }

  /** `output` null: the client gave up, the outcome is unknown (indeterminate). */
  complete(position: number, time: number, output: KvOutput | null): void {
    const operation = this.operations[position];
    if (!operation || operation.return !== null) throw new Error(`history: operation ${position} completed twice`);
    operation.return = time;
    operation.output = output;
  }

  /**
   * Takes out an operation that certainly had no effect (Jepsen's :fail): leaving it out changes
   * nothing observable. Positions after it move down by one; the caller renumbers those it holds.
   */
  remove(position: number): void {
    const operation = this.operations[position];
    if (!operation || operation.return !== null) throw new Error(`history: operation ${position} cannot be removed`);
    this.operations.splice(position, 1);
    this.removedCount++;
  }

  /** Operations taken out as certainly not applied. */
  get removed(): number {
    return this.removedCount;
  }

  get pending(): number {
    let count = 0;
    for (const operation of this.operations) if (operation.return === null) count++;
    return count;
  }

  toFile(source: string): HistoryFile {
    return { model: HISTORY_MODEL, source, operations: this.operations };
  }
}
