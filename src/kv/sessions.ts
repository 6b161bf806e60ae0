/**
 * The client session table behind exactly-once semantics (Raft dissertation §6.3): for each
 * client, the last seq applied and its output. A closed-loop client has at most one operation
 * outstanding, so remembering only the latest one per client is enough to answer any retry.
 */
import { assert } from '../raft/assert.js';
import type { KvOutput, KvSessionEntry } from './types.js';

export interface KvSession {
  readonly seq: number;
  readonly output: KvOutput;
}

export class SessionTable {
  private readonly sessions = new Map<number, KvSession>();

  get size(): number {
    return this.sessions.size;
  }

  /** The client's last applied command, or undefined if none was ever applied. */
  lookup(clientId: number): KvSession | undefined {
    return this.sessions.get(clientId);
  }

  record(clientId: number, seq: number, output: KvOutput): void {
    assert(Number.isInteger(clientId), `clientId must be an integer, got ${clientId}`);
    assert(Number.isInteger(seq) && seq >= 1, `seq must be a positive integer, got ${seq}`);
    this.sessions.set(clientId, { seq, output });
  }

  /** Every session, sorted by clientId: canonical whatever the insertion history. */
  toEntries(): KvSessionEntry[] {
    const clientIds = [...this.sessions.keys()].sort((a, b) => a - b);
    return clientIds.map((clientId) => {
      const session = this.sessions.get(clientId);
      assert(session !== undefined, 'a listed session must exist');
      return [clientId, session.seq, session.output] as const;
    });
  }

  /** Replaces the whole table (snapshot restore). */
  replaceWith(entries: readonly KvSessionEntry[]): void {
    this.sessions.clear();
    for (const [clientId, seq, output] of entries) {
      assert(!this.sessions.has(clientId), `snapshot repeats session of client ${clientId}`);
      this.record(clientId, seq, output);
    }
  }
}
