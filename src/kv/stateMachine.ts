/**
 * The replicated KV state machine: a string map plus the client session table, advanced one log
 * entry at a time. Every replica applies the same entries in the same order, so all replicas pass
 * through the same states; `snapshot()` is canonical so monitors can compare them as values.
 *
 * Sessions are bounded twice, both by rules that read only the log: a session idle longer than
 * `sessionExpiryMs` by the log's clock (the leaders' stamps, made monotonic here) expires, and
 * past `maxSessions` the least recently active one is evicted. Either way every replica drops the
 * same session at the same index, and a later request of that client is refused
 * `session-expired`, never applied twice.
 *
 * The protected methods are where an exactly-once rule is decided; each holds the correct rule.
 * Subclasses override them only to show that the harness notices when a rule is broken.
 */
import { assert } from '../raft/assert.js';
import { isKvCommand } from './commandShape.js';
import { SessionTable, type KvSession } from './sessions.js';
import type { KvCommand, KvErrorOutput, KvOperation, KvOutput, KvSessionEntry, KvSnapshotData } from './types.js';

// Outputs without data are shared: apply runs at simulator event rates and these never change.
const EMPTY_OUTPUT: KvOutput = Object.freeze({});
const CAS_SUCCEEDED: KvOutput = Object.freeze({ ok: true });
const CAS_FAILED: KvOutput = Object.freeze({ ok: false });
export const SESSION_EXPIRED: KvErrorOutput = Object.freeze({ error: 'session-expired' });
export const MALFORMED_COMMAND: KvErrorOutput = Object.freeze({ error: 'malformed-command' });

/** A session idle this long (by the log's clock) expires, unless the host says otherwise: 1 hour. */
export const DEFAULT_SESSION_EXPIRY_MS = 3_600_000;
/** At most this many sessions are kept; past it the least recently active is evicted. */
export const DEFAULT_MAX_SESSIONS = 65_536;

/** What monitors may look at: nothing here can change the state. */
export interface KvStateView {
  readonly lastAppliedIndex: number;
  readonly size: number;
  /** The value at key, or null if absent (never undefined: absent and "" are distinct). */
  read(key: string): string | null;
  session(clientId: number): KvSession | undefined;
  readonly sessionCount: number;
  /** The log's clock (ms): the highest leader stamp applied so far. */
  readonly clockMs: number;
  snapshot(): KvSnapshotData;
  /** Commands that reached the log again (same clientId and seq) and were answered from the session table. */
  readonly duplicatesAnswered: number;
  /** Commands older than their client's latest applied seq: dropped, nobody waits for them. */
  readonly staleDuplicates: number;
  /** Sessions dropped for being idle past the expiry bound, and for the count bound. */
  readonly sessionsExpired: number;
  readonly sessionsEvicted: number;
  /** Commands refused `session-expired`, and committed entries that were not a command. */
  readonly expiredRefusals: number;
  readonly malformedCommands: number;
}

export interface KvStateMachineOptions {
  /** A session idle longer than this by the log's clock expires (default 1 hour). */
  readonly sessionExpiryMs?: number;
  /** The most sessions kept (default 65,536); past it the least recently active is evicted. */
  readonly maxSessions?: number;
}

export class KvStateMachine implements KvStateView {
  private readonly data = new Map<string, string>();
  private readonly sessions = new SessionTable();
  private readonly expiryMs: number;
  private readonly maxSessions: number;
  private appliedIndex = 0;
  private logClockMs = 0;
  // True once any session expired or was evicted (replicated state: in the snapshot).
  private anyDropped = false;
  private readonly counts = { duplicates: 0, stale: 0, expired: 0, evicted: 0, refused: 0, malformed: 0 };

  constructor(options: KvStateMachineOptions = {}) {
    this.expiryMs = options.sessionExpiryMs ?? DEFAULT_SESSION_EXPIRY_MS;
    this.maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
    assert(Number.isSafeInteger(this.expiryMs) && this.expiryMs >= 1, `sessionExpiryMs must be a positive integer, got ${this.expiryMs}`);
    assert(Number.isSafeInteger(this.maxSessions) && this.maxSessions >= 1, `maxSessions must be a positive integer, got ${this.maxSessions}`);
  }

  get lastAppliedIndex(): number {
    return this.appliedIndex;
  }

  get size(): number {
    return this.data.size;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  get clockMs(): number {
    return this.logClockMs;
  }

  get duplicatesAnswered(): number {
    return this.counts.duplicates;
  }

  get staleDuplicates(): number {
    return this.counts.stale;
  }

  get sessionsExpired(): number {
    return this.counts.expired;
  }

  get sessionsEvicted(): number {
    return this.counts.evicted;
  }

  get expiredRefusals(): number {
    return this.counts.refused;
  }

  get malformedCommands(): number {
    return this.counts.malformed;
  }

  read(key: string): string | null {
    return this.data.get(key) ?? null;
  }

  session(clientId: number): KvSession | undefined {
    return this.sessions.lookup(clientId);
  }

  /**
   * Applies the entry at log `index` (which must be lastAppliedIndex + 1) exactly once. Returns
   * the output; for a write already applied (a retry that reached the log twice), the cached
   * output of that seq without touching the state (a retried read runs again: no harm, and its
   * output need not be kept). Returns null for a seq older than the client's latest: the client
   * has moved on and nobody waits for that answer, so the caller drops it. Returns an error
   * output, changing nothing else, for a client without a session whose command may not open
   * one, and for an entry that is not a command at all.
   */
  apply(command: KvCommand | unknown, index: number): KvOutput | KvErrorOutput | null {
    this.advanceTo(index);
    if (!isKvCommand(command)) {
      this.counts.malformed++;
      return MALFORMED_COMMAND;
    }
    this.advanceClock(command.timeMs);
    if (command.oneShot === true) return this.execute(command.op);
    const session = this.sessions.lookup(command.clientId);
    if (session === undefined) {
      // A retried seq 1 may have opened a session that has since been dropped; while no session
      // was ever dropped, a missing one was never opened, and any copy of seq 1 may open it.
      if (command.seq !== 1 || (command.retried === true && this.anyDropped)) {
        this.counts.refused++;
        return SESSION_EXPIRED;
      }
    } else if (this.isDuplicate(command.seq, session.seq)) {
      return this.answerDuplicate(command, session);
    }
    const output = this.execute(command.op);
    this.sessions.record(command.clientId, command.seq, command.op.f === 'get' ? null : output, this.logClockMs);
    const evicted = this.sessions.evictOver(this.maxSessions);
    this.counts.evicted += evicted;
    if (evicted > 0) this.anyDropped = true;
    return output;
  }

  /** A command is a copy of one already applied when its seq is at or below its session's last (seqs only grow per client). */
  protected isDuplicate(seq: number, sessionSeq: number): boolean {
    return seq <= sessionSeq;
  }

  /** A copy of a seq already applied changes nothing, not even when its session was last active. */
  private answerDuplicate(command: KvCommand, session: KvSession): KvOutput | null {
    if (command.seq !== session.seq) {
      this.counts.stale++;
      return null;
    }
    if (session.output !== null) {
      this.counts.duplicates++;
      return session.output;
    }
    // The seq was a read: run it again here, a point inside the same operation's interval.
    return command.op.f === 'get' ? this.execute(command.op) : null;
  }

  /** The log's clock moves to the entry's stamp if later (never back), then idle sessions expire. */
  private advanceClock(stampMs: number | undefined): void {
    const stamp = this.expiryStamp(stampMs);
    if (stamp !== undefined && stamp > this.logClockMs) this.logClockMs = stamp;
    const expired = this.sessions.expireBefore(this.logClockMs - this.expiryMs);
    this.counts.expired += expired;
    if (expired > 0) this.anyDropped = true;
  }

  /**
   * The time an entry counts for in session expiry: the leader's stamp in the log, never this
   * replica's own clock, so every replica expires the same sessions at the same index.
   */
  protected expiryStamp(stampMs: number | undefined): number | undefined {
    return stampMs;
  }

  /** Consumes a no-op entry (a new leader's first entry): advances the index, changes nothing. */
  applyNoop(index: number): void {
    this.advanceTo(index);
  }

  /** The whole state as canonical plain data (keys sorted, sessions in activity order). Copies; rare. */
  snapshot(): KvSnapshotData {
    const entries = [...this.data].sort((a, b) => compareStrings(a[0], b[0]));
    const sessions = this.sessionsForSnapshot();
    return { lastAppliedIndex: this.appliedIndex, entries, sessions, clockMs: this.logClockMs, ...(this.anyDropped ? { sessionsDropped: true } : {}) };
  }

  /** The session table goes into every snapshot: a replica restored from one must still recognise retries. */
  protected sessionsForSnapshot(): KvSessionEntry[] {
    return this.sessions.toEntries();
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
    const clockMs = snapshot.clockMs ?? 0;
    assert(Number.isFinite(clockMs), `bad snapshot clockMs ${clockMs}`);
    // Older snapshots held [clientId, seq, output] sorted by clientId: active as of the snapshot.
    const sessions = snapshot.sessions.map(([clientId, seq, output, lastActiveMs]): KvSessionEntry =>
      [clientId, seq, output, lastActiveMs ?? clockMs]);
    this.sessions.replaceWith(sessions);
    this.logClockMs = clockMs;
    this.anyDropped = snapshot.sessionsDropped === true;
    this.appliedIndex = index;
  }

  private advanceTo(index: number): void {
    // Raft hands committed entries over once each, in order: a gap or a repeat is the host's fault.
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
