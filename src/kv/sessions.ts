/**
 * The client session table behind exactly-once semantics (Raft dissertation §6.3): for each
 * client, the last seq applied, the output of that seq if it was a write (a read is safe to run
 * again, so its output is not kept), and when the client was last active by the log's clock.
 *
 * A closed-loop client has at most one operation outstanding, so the latest seq per client is
 * enough to answer any retry. The Map is kept in least-recently-active order (a touched session
 * moves to the end): since the log's clock never goes back, that order is also by last activity,
 * so expiry and eviction both take from the front, in the same order on every replica.
 */
import { assert } from '../raft/assert.js';
import type { KvOutput, KvSessionEntry } from './types.js';

export interface KvSession {
  readonly seq: number;
  /** The output of seq if it was a write; null for a read (a retried read runs again). */
  readonly output: KvOutput | null;
  /** The log's clock (ms) when the client last had a command applied. */
  readonly lastActiveMs: number;
}

export class SessionTable {
  private readonly sessions = new Map<number, KvSession>();

  get size(): number {
    return this.sessions.size;
  }

  /** The client's last applied command, or undefined if it has no session (never, or expired). */
  lookup(clientId: number): KvSession | undefined {
    return this.sessions.get(clientId);
  }

  /** Records the client's latest seq and moves its session to the most recently active end. */
  record(clientId: number, seq: number, output: KvOutput | null, lastActiveMs: number): void {
    assert(Number.isSafeInteger(clientId), `clientId must be an integer, got ${clientId}`);
    assert(Number.isSafeInteger(seq) && seq >= 1, `seq must be a positive integer, got ${seq}`);
    assert(Number.isFinite(lastActiveMs), `lastActiveMs must be finite, got ${lastActiveMs}`);
    this.sessions.delete(clientId);
    this.sessions.set(clientId, { seq, output, lastActiveMs });
  }

  /** Drops every session last active before `cutoffMs`; returns how many. */
  expireBefore(cutoffMs: number): number {
    let expired = 0;
    for (const [clientId, session] of this.sessions) {
      if (session.lastActiveMs >= cutoffMs) break;
      this.sessions.delete(clientId);
      expired++;
    }
    return expired;
  }

  /** Drops the least recently active sessions until at most `max` are left; returns how many. */
  evictOver(max: number): number {
    let evicted = 0;
    for (const clientId of this.sessions.keys()) {
      if (this.sessions.size <= max) break;
      this.sessions.delete(clientId);
      evicted++;
    }
    return evicted;
  }

  /**
   * Every session, least recently active first: the order expiry and eviction follow, so a
   * restored replica goes on exactly as the one that took the snapshot.
   */
  toEntries(): KvSessionEntry[] {
    return [...this.sessions].map(([clientId, s]) => [clientId, s.seq, s.output, s.lastActiveMs] as const);
  }

  /** Replaces the whole table (snapshot restore), keeping the entries' order. */
  replaceWith(entries: readonly KvSessionEntry[]): void {
    this.sessions.clear();
    for (const [clientId, seq, output, lastActiveMs] of entries) {
      assert(!this.sessions.has(clientId), `snapshot repeats session of client ${clientId}`);
      assert(lastActiveMs !== undefined, `session of client ${clientId} has no lastActiveMs`);
      this.record(clientId, seq, output, lastActiveMs);
    }
  }
}
