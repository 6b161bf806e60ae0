/**
 * What happens to a peer connection we refuse: it is closed, counted (per reason, in /metrics as
 * raft_peer_refused_total) and logged on one line. Logging is limited to one line per
 * `minGapMs` so that a flood of bad connections cannot flood the log; the next line says how many
 * refusals it stood for.
 */
import { Counter, type Registry } from 'prom-client';

export type RefusalReason =
  | 'frame' // a frame over the size limit, or not JSON
  | 'timeout' // a handshake or a frame that stalled past its deadline
  | 'hello' // a malformed hello, or one from a non-member or meant for another node
  | 'auth' // a wrong proof: wrong secret, replayed or forged handshake
  | 'message' // an authenticated peer sent a message that failed validation
  | 'limit' // too many connections in handshake
  | 'client-port'; // peer traffic on the client port while peers have their own (--peer-listen)

export class PeerRefusals {
  readonly counts = new Map<RefusalReason, number>();
  private readonly counter: Counter<'reason'> | null;
  private lastLogAt = -Infinity;
  private unlogged = 0;

  constructor(private readonly log: (line: string) => void, registry: Registry | null, private readonly minGapMs = 1_000) {
    this.counter = registry === null ? null : new Counter({
      name: 'raft_peer_refused_total', help: 'Peer connections closed for bad input, by reason', labelNames: ['reason'], registers: [registry],
    });
  }

  refuse(reason: RefusalReason, detail: string): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    this.counter?.inc({ reason });
    const now = performance.now();
    if (now - this.lastLogAt < this.minGapMs) {
      this.unlogged++;
      return;
    }
    const more = this.unlogged > 0 ? ` (and ${this.unlogged} more refused since the last line)` : '';
    this.lastLogAt = now;
    this.unlogged = 0;
    this.log(`refused a peer connection (${reason}): ${detail}${more}`);
  }

  total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }
}
