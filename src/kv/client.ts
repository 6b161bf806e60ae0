/**
 * A KV client: closed loop (one operation outstanding at a time), sans-I/O. The host sends what
 * it returns, feeds it responses and timeouts, and records the history.
 *
 * It never gives up by itself. Every retry carries the same seq, so whichever copy reaches the log
 * first is the only one applied (exactly-once). When the host ends a run, an operation still
 * outstanding has an unknown outcome, never a failed one.
 *
 * Sessions: seq 1 opens the client's session on the replicas. If it expires (idle past the bound,
 * or evicted), the operation in flight ends `session-expired` and the host must give the client a
 * new id (`renewSession`) before its next operation, which starts again at seq 1.
 */
import type { NodeId } from '../raft/types.js';
import { assert } from '../raft/assert.js';
import type { KvOperation, KvOutput, KvRequest, KvResponse } from './types.js';

export interface KvClientOptions {
  readonly clientId: number;
  /** Every server, sorted ascending: the round-robin order. */
  readonly servers: readonly NodeId[];
  /** Where to send the first request (default: the first server). */
  readonly firstServer?: NodeId;
  /**
   * Gets go to this server first, whoever leads (for servers that answer gets as followers:
   * KvServerOptions.followerReads); an answer from it does not make it the known leader.
   */
  readonly readServer?: NodeId;
}

export interface KvSend {
  readonly to: NodeId;
  readonly request: KvRequest;
}

/** What to do after a response: finished, send (again) somewhere, or nothing (stale). */
export type ClientStep =
  | { readonly kind: 'done'; readonly output: KvOutput }
  | { readonly kind: 'send'; readonly to: NodeId; readonly request: KvRequest }
  /**
   * The client's session is gone on the replicas: this copy was not applied. `mayHaveApplied`:
   * an earlier copy may have reached the log (after a time-out or an unknown-outcome answer), so
   * the operation's outcome is unknown. Otherwise only refused copies went out and it certainly
   * did not happen — unless the network duplicated a copy, which only the host knows.
   */
  | { readonly kind: 'session-expired'; readonly mayHaveApplied: boolean }
  | { readonly kind: 'ignore' };

export interface KvOutstanding {
  readonly seq: number;
  readonly op: KvOperation;
  /** The server the latest copy of the request went to. */
  readonly to: NodeId;
}

const IGNORE: ClientStep = Object.freeze({ kind: 'ignore' });

export class KvClient {
  private id: number;
  private readonly servers: readonly NodeId[];
  private lastSeq = 0;
  private current: KvOutstanding | null = null;
  // Whether a copy of the current seq may have reached the log (a time-out or a retry answer).
  private maybeLogged = false;
  // True once an operation of this session was answered ok: its session exists on the replicas.
  private confirmed = false;
  private leader: NodeId | null = null;
  // Where the next operation goes when no leader is known: the round-robin position. Following a
  // leader hint does not move it, so stale hints (a removed node's, say) that point from one
  // non-leader to another cannot keep the client away from the rest of the servers.
  private nextServer: NodeId;
  // Hints followed in a row for the current operation; past servers.length they are ignored.
  private hintsFollowed = 0;
  private readonly readServer: NodeId | null;
  private readonly counts = { resends: 0, redirects: 0, retryAnswers: 0, timeouts: 0, abandoned: 0 };

  constructor(options: KvClientOptions) {
    const { clientId, servers } = options;
    assert(Number.isInteger(clientId), `clientId must be an integer, got ${clientId}`);
    assert(servers.length >= 1, 'a client needs at least one server');
    for (let i = 1; i < servers.length; i++) {
      assert(servers[i - 1] < servers[i], 'servers must be sorted, unique');
    }
    const first = options.firstServer ?? servers[0];
    assert(servers.includes(first), `firstServer ${first} is not one of the servers`);
    this.id = clientId;
    this.servers = [...servers];
    this.nextServer = first;
    const readServer = options.readServer ?? null;
    assert(readServer === null || servers.includes(readServer), `readServer ${readServer} is not one of the servers`);
    this.readServer = readServer;
  }

  /** The id of the client's current session. */
  get clientId(): number {
    return this.id;
  }

  /** True once an operation of the current session was answered ok (the session was opened). */
  get sessionConfirmed(): boolean {
    return this.confirmed;
  }

  /**
   * Starts a new session under a new id (never used before), from seq 1: after `session-expired`,
   * or after giving up on an operation before the session was known to be open. Must be idle.
   */
  renewSession(clientId: number): void {
    assert(this.current === null, 'renewSession with an operation outstanding');
    assert(Number.isInteger(clientId) && clientId !== this.id, `a new session needs a new client id, got ${clientId}`);
    this.id = clientId;
    this.lastSeq = 0;
    this.confirmed = false;
  }

  /** The operation in flight, or null when the client is idle. */
  get outstanding(): KvOutstanding | null {
    return this.current;
  }

  /** The server believed to lead, from the last ok or leader hint; null when unknown. */
  get knownLeader(): NodeId | null {
    return this.leader;
  }

  /**
   * What this client went through (read-only counters): `resends` of a seq already sent, of which
   * `redirects` after a not-leader answer, `retryAnswers` after a retry answer (outcome unknown at
   * that server) and `timeouts` after no answer in time.
   */
  get counters(): { readonly resends: number; readonly redirects: number; readonly retryAnswers: number; readonly timeouts: number; readonly abandoned: number } {
    return this.counts;
  }

  /** Starts an operation with the next seq (1, 2, …); the client must be idle. */
  begin(op: KvOperation): KvSend {
    assert(this.current === null, 'begin with an operation still outstanding');
    this.lastSeq += 1;
    this.maybeLogged = false;
    if (op.f === 'get' && this.readServer !== null) return this.sendTo(this.readServer, op, false);
    return this.sendTo(this.leader ?? this.nextServer, op);
  }

  onResponse(from: NodeId, response: KvResponse): ClientStep {
    const current = this.current;
    if (current === null) return IGNORE;
    if (response.clientId !== this.id || response.seq !== current.seq) return IGNORE;
    if (response.status === 'ok') {
      // An ok for the current seq is final whoever sent it: applied implies committed.
      this.current = null;
      this.confirmed = true;
      // A get answered by the read server says nothing of who leads.
      if (!(current.op.f === 'get' && from === this.readServer)) {
        this.leader = from;
        this.nextServer = from;
      }
      return { kind: 'done', output: response.output };
    }
    if (response.status === 'session-expired') {
      // Final too: it comes out of applying a committed entry, the same on every replica.
      this.current = null;
      return { kind: 'session-expired', mayHaveApplied: this.maybeLogged };
    }
    // A refusal from a server we have already moved away from is stale: the request is in flight
    // elsewhere, and a second copy would only add load.
    if (from !== current.to) return IGNORE;
    if (response.status === 'overloaded') {
      // The leader refused it (not applied, not logged): back off until the timeout resends it,
      // rather than pressing a leader that is already behind.
      return IGNORE;
    }
    if (response.status === 'not-leader') {
      const hint = response.leaderHint;
      const useHint = hint !== null && hint !== from && this.servers.includes(hint) && this.hintsFollowed < this.servers.length;
      this.counts.redirects++;
      this.counts.resends++;
      this.leader = useHint ? hint : null;
      if (useHint) {
        this.hintsFollowed++;
        return { kind: 'send', ...this.sendTo(hint, current.op, false) };
      }
      // On from the round-robin position, not from `from`, which a hint may have chosen.
      return { kind: 'send', ...this.sendTo(this.after(this.nextServer), current.op) };
    }
    // retry: that server lost leadership or its entry was overwritten; another leads now.
    this.maybeLogged = true;
    this.leader = null;
    this.counts.retryAnswers++;
    this.counts.resends++;
    return { kind: 'send', ...this.sendTo(this.after(from), current.op) };
  }

  /**
   * Gives the outstanding operation up: its outcome stays unknown (it may still take effect), the
   * next operation gets a new seq, and any late answer to this one is ignored.
   */
  abandon(): void {
    assert(this.current !== null, 'abandon with no operation outstanding');
    this.current = null;
    this.leader = null;
    this.counts.abandoned++;
  }

  /** No answer in time: resend the same seq to the next server in order (round robin). */
  onTimeout(): KvSend {
    const current = this.current;
    assert(current !== null, 'timeout with no operation outstanding');
    this.maybeLogged = true;
    this.leader = null;
    this.counts.timeouts++;
    this.counts.resends++;
    return this.sendTo(this.after(current.to), current.op);
  }

  /** `moveCursor` false: following a hint, which leaves the round-robin position where it was. */
  private sendTo(to: NodeId, op: KvOperation, moveCursor = true): KvSend {
    assert(this.servers.includes(to), `server ${to} is unknown`);
    assert(this.lastSeq >= 1, 'a request needs a seq');
    if (this.current === null || this.current.seq !== this.lastSeq) this.hintsFollowed = 0;
    this.current = { seq: this.lastSeq, op, to };
    if (moveCursor) this.nextServer = to;
    const request: KvRequest = { clientId: this.id, seq: this.lastSeq, op };
    return { to, request: this.maybeLogged ? { ...request, retried: true } : request };
  }

  private after(server: NodeId): NodeId {
    const position = this.servers.indexOf(server);
    assert(position >= 0, `server ${server} is unknown`);
    return this.servers[(position + 1) % this.servers.length];
  }
}
