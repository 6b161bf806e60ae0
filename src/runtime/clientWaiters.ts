/**
 * HTTP requests waiting for the KV server's answer, by client id and seq. The KV server answers by
 * (clientId, seq) and keeps one pending command per client; several HTTP requests may wait on the
 * same one (a client retrying before the first copy was answered), and all get the answer.
 * Each waiter has a deadline, after which its outcome is unknown to us: the command may still
 * commit, which exactly-once makes harmless for a client that retries with the same seq.
 */
import type { KvResponse } from '../kv/types.js';

export type WaitOutcome =
  | { readonly kind: 'response'; readonly response: KvResponse; readonly waitedMs: number }
  | { readonly kind: 'timeout' }
  /** The same client sent a newer seq: the server dropped this one's pending entry. */
  | { readonly kind: 'superseded' }
  | { readonly kind: 'stopping' };

interface Waiter {
  readonly seq: number;
  readonly startedAt: number;
  readonly timer: NodeJS.Timeout;
  readonly resolve: (outcome: WaitOutcome) => void;
}

export class ClientWaiters {
  private readonly byClient = new Map<number, Waiter[]>();

  constructor(private readonly timeoutMs: number) {}

  get size(): number {
    let n = 0;
    for (const list of this.byClient.values()) n += list.length;
    return n;
  }

  /** Waits for (clientId, seq); older seqs of the same client are answered `superseded`. */
  wait(clientId: number, seq: number): Promise<WaitOutcome> {
    return new Promise((resolve) => {
      const list = this.byClient.get(clientId) ?? [];
      const keep = list.filter((w) => w.seq >= seq);
      for (const old of list) if (old.seq < seq) this.finish(old, { kind: 'superseded' });
      const waiter: Waiter = {
        seq, startedAt: performance.now(), resolve,
        timer: setTimeout(() => {
          this.remove(clientId, waiter);
          resolve({ kind: 'timeout' });
        }, this.timeoutMs),
      };
      keep.push(waiter);
      this.byClient.set(clientId, keep);
    });
  }

  answer(response: KvResponse): void {
    const list = this.byClient.get(response.clientId);
    if (list === undefined) return;
    const now = performance.now();
    const rest = list.filter((w) => w.seq !== response.seq);
    for (const w of list) {
      if (w.seq === response.seq) this.finish(w, { kind: 'response', response, waitedMs: now - w.startedAt });
    }
    if (rest.length === 0) this.byClient.delete(response.clientId);
    else this.byClient.set(response.clientId, rest);
  }

  /** Answers every waiter (the node is shutting down). */
  stopAll(): void {
    for (const list of this.byClient.values()) for (const w of list) this.finish(w, { kind: 'stopping' });
    this.byClient.clear();
  }

  private remove(clientId: number, waiter: Waiter): void {
    const list = this.byClient.get(clientId);
    if (list === undefined) return;
    const rest = list.filter((w) => w !== waiter);
    if (rest.length === 0) this.byClient.delete(clientId);
    else this.byClient.set(clientId, rest);
  }

  private finish(waiter: Waiter, outcome: WaitOutcome): void {
    clearTimeout(waiter.timer);
    waiter.resolve(outcome);
  }
}
