/** What a Jepsen-style run of a real cluster records: faults, role changes and the history. */
import type { KvOperation, KvOutput } from '../kv/types.js';

/** member: a membership change (remove a voter, then add it back as a learner and promote it). */
export type FaultKind = 'kill' | 'pause' | 'partition' | 'member';
export const FAULT_KINDS: readonly FaultKind[] = ['kill', 'pause', 'partition', 'member'];

/** One fault as it really happened, in test-clock ms. */
export interface FaultRecord {
  readonly kind: FaultKind;
  /** partition only: isolate, isolate-leader, split. */
  readonly shape?: string;
  /** The nodes it acted on (killed, paused, the minority side of a partition, or removed from the configuration). */
  readonly nodes: readonly string[];
  /** Was the target the leader when the fault began (as /status said)? */
  readonly leader: boolean;
  readonly description: string;
  readonly start: number;
  /** null: still in force when the run ended (only after an abort). */
  end: number | null;
  /** partition only: 'minority' when the odd-numbered clients talked only to the minority side. */
  readonly clients?: 'minority';
  /** What went wrong carrying it out, if anything (e.g. an admin call that did not answer). */
  error?: string;
}

/**
 * One operation of the history, in the checker's raftsim-kv format. `client` is a Jepsen-style
 * process number, not the HTTP client id: see workload.ts for why it changes after an unknown
 * outcome.
 */
export interface JepsenOperation {
  readonly client: number;
  readonly call: number;
  /** null: the outcome is unknown (the client gave up); see `gaveUp`. */
  readonly return: number | null;
  readonly input: KvOperation;
  readonly output: KvOutput | null;
  /** For unknown outcomes only: when the client gave up, and why (not read by the checker). */
  readonly gaveUp?: number;
  readonly reason?: string;
}

export interface RoleRecord {
  readonly node: string;
  readonly t: number;
  readonly role: string;
  readonly term: number;
}
