/**
 * What happens to a peer connection we refuse: it is closed, counted (per reason, in /metrics as
 * raft_peer_refused_total) and logged on one line. Logging is limited to one line per reason per
 * `minGapMs` so that a flood of bad connections cannot flood the log; the next line of that reason
 * says how many refusals went unlogged.
 */
import { Counter, type Registry } from 'prom-client';

export type RefusalReason =
  | 'frame' // a frame over the size limit, or not JSON
  | 'timeout' // a handshake or a frame that stalled past its deadline
  | 'hello' // a malformed hello, or one from a non-member or meant for another node
  | 'auth' // a wrong proof: wrong secret, replayed or forged handshake
  | 'message' // an authenticated peer sent a message that failed validation
  | 'snapshot' // an authenticated peer sent a snapshot stream that failed validation (the transfer is dropped)
  | 'limit' // too many connections in handshake
  | 'client-port'; // peer traffic on the client port while peers have their own (--peer-listen)

export class PeerRefusals {
  readonly counts = new Map<RefusalReason, number>();
  private readonly counter: Counter<'reason'> | null;
  private readonly lastLogAt = new Map<RefusalReason, number>();
  private readonly unlogged = new Map<RefusalReason, number>();

  constructor(private readonly log: (line: string) => void, registry: Registry | null, private readonly minGapMs = 1_000) {
    this.counter = registry === null ? null : new Counter({
      name: 'raft_peer_refused_total', help: 'Peer connections closed for bad input, by reason', labelNames: ['reason'], registers: [registry],
    });
  }

  refuse(reason: RefusalReason, detail: string): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    this.counter?.inc({ reason });
    const now = performance.now();
    const unlogged = this.unlogged.get(reason) ?? 0;
    if (now - (this.lastLogAt.get(reason) ?? -Infinity) < this.minGapMs) {
      this.unlogged.set(reason, unlogged + 1);
      return;
    }
    const more = unlogged > 0 ? ` (and ${unlogged} more like it since the last line)` : '';
    this.lastLogAt.set(reason, now);
    this.unlogged.set(reason, 0);
    this.log(`refused a peer connection (${reason}): ${detail}${more}`);
  }

  total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }
}
