/**
 * The replicated KV state machine: a string map plus the client session table, advanced one log
 * entry at a time. Every replica applies the same entries in the same order, so all replicas pass
 * through the same states; `snapshot()` is canonical so monitors can compare them as values.
 */
import { assert } from '../raft/assert.js';
import { NO_KV_BUGS, type KvBugs } from './bugs.js';
import { SessionTable, type KvSession } from './sessions.js';
import type { KvCommand, KvOperation, KvOutput, KvSnapshotData } from './types.js';

// Outputs without data are shared: apply runs at simulator event rates and these never change.
const EMPTY_OUTPUT: KvOutput = Object.freeze({});
const CAS_SUCCEEDED: KvOutput = Object.freeze({ ok: true });
const CAS_FAILED: KvOutput = Object.freeze({ ok: false });

/** What monitors may look at: nothing here can change the state. */
export interface KvStateView {
  readonly lastAppliedIndex: number;
  readonly size: number;
  /** The value at key, or null if absent (never undefined: absent and "" are distinct). */
  read(key: string): string | null;
  session(clientId: number): KvSession | undefined;
  snapshot(): KvSnapshotData;
  /** Commands that reached the log again (same clientId and seq) and were answered from the session table. */
  readonly duplicatesAnswered: number;
  /** Commands older than their client's latest applied seq: dropped, nobody waits for them. */
  readonly staleDuplicates: number;
}

export interface KvStateMachineOptions {
  readonly bugs?: KvBugs;
}

export class KvStateMachine implements KvStateView {
  private readonly data = new Map<string, string>();
  private readonly sessions = new SessionTable();
  private readonly bugs: KvBugs;
  private appliedIndex = 0;
  private duplicates = 0;
  private stale = 0;

  constructor(options: KvStateMachineOptions = {}) {
    this.bugs = options.bugs ?? NO_KV_BUGS;
  }

  get lastAppliedIndex(): number {
    return this.appliedIndex;
  }

  get size(): number {
    return this.data.size;
  }

  get duplicatesAnswered(): number {
    return this.duplicates;
  }

  get staleDuplicates(): number {
    return this.stale;
  }

  read(key: string): string | null {
    return this.data.get(key) ?? null;
  }

  session(clientId: number): KvSession | undefined {
    return this.sessions.lookup(clientId);
  }

  /**
   * Applies the command at log `index` (which must be lastAppliedIndex + 1) exactly once.
   * Returns the output; for a command already applied (a retry that reached the log twice), the
   * cached output of that seq without touching the state. Returns null for a seq older than the
   * client's latest: the client has moved on and nobody waits for that answer (it can reach the
   * log through a duplicated or delayed request), so the caller drops it.
   */
  apply(command: KvCommand, index: number): KvOutput | null {
    this.advanceTo(index);
    const session = this.sessions.lookup(command.clientId);
    // BUG (switched on): dedupeLastSeqOnly re-applies a seq older than the last.
    const duplicate = this.bugs.dedupeLastSeqOnly === true ? command.seq === session?.seq : session !== undefined && command.seq <= session.seq;
    if (!this.bugs.noDuplicateDetection && session !== undefined && duplicate) {
      if (command.seq === session.seq) {
        this.duplicates++;
        return session.output;
      }
      this.stale++;
      return null;
    }
    const output = this.execute(command.op);
    this.sessions.record(command.clientId, command.seq, output);
    return output;
  }

  /** Consumes a no-op entry (a new leader's first entry): advances the index, changes nothing. */
  applyNoop(index: number): void {
    this.advanceTo(index);
  }

  /** The whole state as canonical plain data (keys and clientIds sorted). Copies; rare. */
  snapshot(): KvSnapshotData {
    const entries = [...this.data].sort((a, b) => compareStrings(a[0], b[0]));
    const sessions = this.bugs.snapshotWithoutSessions ? [] : this.sessions.toEntries();
    return { lastAppliedIndex: this.appliedIndex, entries, sessions };
  }

  /** Replaces the whole state with a snapshot's (which may be ahead of or behind this one). */
  restore(snapshot: KvSnapshotData): void {
    const index = snapshot.lastAppliedIndex;
    assert(Number.isInteger(index) && index >= 0, `bad snapshot lastAppliedIndex ${index}`);
    this.data.clear();
    for (const [key, value] of snapshot.entries) {
      assert(!this.data.has(key), `snapshot repeats key ${JSON.stringify(key)}`);
      this.data.set(key, value);
    }
    this.sessions.replaceWith(snapshot.sessions);
    this.appliedIndex = index;
  }

  private advanceTo(index: number): void {
    // Raft hands committed entries over once each, in order: a gap or a repeat is a host bug.
    assert(index === this.appliedIndex + 1,
      `apply index ${index} must follow lastAppliedIndex ${this.appliedIndex}`);
    this.appliedIndex = index;
  }

  private execute(op: KvOperation): KvOutput {
    switch (op.f) {
      case 'get':
        return { value: this.read(op.key) };
      case 'put':
        this.data.set(op.key, op.value);
        return EMPTY_OUTPUT;
      case 'append':
        // Appending to an absent key acts like put.
        this.data.set(op.key, (this.data.get(op.key) ?? '') + op.value);
        return EMPTY_OUTPUT;
      case 'delete':
        this.data.delete(op.key);
        return EMPTY_OUTPUT;
      case 'cas':
        // expected null means "absent", which is not the same as holding "".
        if (this.read(op.key) !== op.expected) return CAS_FAILED;
        this.data.set(op.key, op.value);
        return CAS_SUCCEEDED;
    }
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
