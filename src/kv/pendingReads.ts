/**
 * The KV server's gets that go without a log entry (ReadIndex or lease reads, src/raft/readIndex.ts):
 * each waits for its ReadState from the leader, then for the state machine to apply through the
 * read's index, and is answered from local state then (thesis §6.4 steps 3–4).
 */
import type { ReadState } from '../raft/readIndex.js';
import type { NodeId } from '../raft/types.js';
import type { KvResponse } from './types.js';

/**
 * How a server answers gets: 'log' puts each in the log like a write (one entry and one fsync per
 * read); 'read-index' confirms leadership with a heartbeat round (thesis §6.4); 'lease' serves
 * at once while the leader's lease holds (thesis §6.4.1; the Raft node needs leaseReads, which
 * needs checkQuorum), else falls back to a heartbeat round.
 */
export type ReadMode = 'log' | 'read-index' | 'lease';
export const READ_MODES: readonly ReadMode[] = ['log', 'read-index', 'lease'];

interface PendingRead {
  readonly clientId: number;
  readonly seq: number;
  readonly key: string;
  /** The term in which this node took the read (as leader, or as a follower of `viaLeader`). */
  readonly term: number;
  /** Null: taken as leader. Else a follower's read, forwarded to this leader (thesis §6.4). */
  readonly viaLeader: NodeId | null;
  /** Set once the leader confirmed the read: serve it when lastApplied reaches it. */
  index: number | null;
}

export class PendingReads {
  private nextCtx = 1;
  private readonly byCtx = new Map<number, PendingRead>();
  private readonly byClient = new Map<number, number>();

  get size(): number {
    return this.byCtx.size;
  }

  /**
   * A read taken in `term`, as leader (viaLeader null) or as a follower forwarding it to
   * `viaLeader`; returns the ctx to hand to the Raft node.
   */
  add(clientId: number, seq: number, key: string, term: number, viaLeader: NodeId | null = null): number {
    this.forgetClient(clientId);
    const ctx = this.nextCtx++;
    this.byCtx.set(ctx, { clientId, seq, key, term, viaLeader, index: null });
    this.byClient.set(clientId, ctx);
    return ctx;
  }

  /** The seq of this client's pending read, or null. */
  seqOf(clientId: number): number | null {
    const ctx = this.byClient.get(clientId);
    return ctx === undefined ? null : this.byCtx.get(ctx)!.seq;
  }

  /** Whether this client's pending read is a follower's, still unconfirmed (its request or answer may be lost). */
  isUnconfirmedFollowerRead(clientId: number): boolean {
    const ctx = this.byClient.get(clientId);
    if (ctx === undefined) return false;
    const read = this.byCtx.get(ctx)!;
    return read.viaLeader !== null && read.index === null;
  }

  /** The client moved on (or the read was refused): nobody waits for its old read. */
  forgetClient(clientId: number): void {
    const ctx = this.byClient.get(clientId);
    if (ctx === undefined) return;
    this.byClient.delete(clientId);
    this.byCtx.delete(ctx);
  }

  confirm(states: readonly ReadState[]): void {
    for (const state of states) {
      const read = this.byCtx.get(state.ctx);
      if (read !== undefined) read.index = state.index;
    }
  }

  /** Answers every confirmed read whose index is applied, from `lookup` (the local state). */
  serve(lastApplied: number, lookup: (key: string) => string | null, out: KvResponse[]): void {
    for (const [ctx, read] of this.byCtx) {
      if (read.index === null || read.index > lastApplied) continue;
      this.drop(ctx, read);
      out.push({ status: 'ok', clientId: read.clientId, seq: read.seq, output: { value: lookup(read.key) } });
    }
  }

  /**
   * Unconfirmed reads taken in a term this node no longer leads, or as a follower of a leader it
   * no longer follows in that term, will never be confirmed (the node dropped them): answered
   * not-leader, which is definite since a read changes nothing. Confirmed reads stay: they were
   * linearizable when confirmed, and wait only for the apply.
   */
  abandon(leadingTerm: number | null, following: { term: number; leader: NodeId | null }, leaderHint: NodeId | null, out: KvResponse[]): void {
    for (const [ctx, read] of this.byCtx) {
      if (read.index !== null) continue;
      if (read.viaLeader === null && read.term === leadingTerm) continue;
      if (read.viaLeader !== null && read.term === following.term && read.viaLeader === following.leader) continue;
      this.drop(ctx, read);
      out.push({ status: 'not-leader', clientId: read.clientId, seq: read.seq, leaderHint });
    }
  }

  private drop(ctx: number, read: PendingRead): void {
    this.byCtx.delete(ctx);
    this.byClient.delete(read.clientId);
  }
}
