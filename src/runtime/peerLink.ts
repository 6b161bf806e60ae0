/**
 * The outbound connection to one peer: a bounded queue of encoded frames, one TCP connection, and
 * reconnection with exponential backoff. Each peer has its own link, so a slow or dead peer only
 * fills its own queue. When the queue is full the oldest frame is dropped: Raft tolerates lost
 * messages (heartbeats and retries resend what matters), and old messages are the least useful.
 * A connection carries messages only after the handshake (peerAuth.ts) proved both sides hold the
 * cluster secret; a message whose frame would exceed MAX_FRAME_BYTES is dropped here (the peer
 * would refuse it) and counted as `oversized`.
 */
import net from 'node:net';
import type { Address } from './addresses.js';
import { encodeFrame, FrameDecoder, FrameError, MAX_FRAME_BYTES, MAX_HANDSHAKE_FRAME_BYTES, PEER_MAGIC } from './framing.js';
import { newNonce, proofMatches, proofOf, readChallenge, type PeerKey } from './peerAuth.js';
import type { RefusalReason } from './peerRefusals.js';

export interface PeerLinkOptions {
  readonly self: number;
  readonly peer: number;
  readonly address: Address;
  readonly key: PeerKey;
  /** The peer must answer our hello within this long. */
  readonly handshakeTimeoutMs: number;
  /** The peer failed the handshake (wrong proof, garbage): we close and retry later. */
  readonly onRefused: (reason: RefusalReason, detail: string) => void;
  /** Most frames held for this peer; beyond it the oldest are dropped. */
  readonly maxQueuedFrames: number;
  readonly maxQueuedBytes: number;
  readonly backoffMinMs: number;
  readonly backoffMaxMs: number;
}

export interface PeerLinkStats {
  readonly connected: boolean;
  readonly queued: number;
  readonly sent: number;
  readonly dropped: number;
  readonly reconnects: number;
  /** Messages too big for one frame, never sent. */
  readonly oversized: number;
}

export class PeerLink {
  private readonly queue: Buffer[] = [];
  private queuedBytes = 0;
  private socket: net.Socket | null = null;
  private connected = false;
  /** Waiting for 'drain': the socket's own buffer is full, so keep frames in our bounded queue. */
  private blocked = false;
  private backoffMs: number;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private sent = 0;
  private dropped = 0;
  private reconnects = 0;
  private oversized = 0;

  constructor(private readonly options: PeerLinkOptions) {
    this.backoffMs = options.backoffMinMs;
  }

  start(): void {
    this.connect();
  }

  send(message: unknown): void {
    if (this.closed) return;
    const frame = encodeFrame(message);
    if (frame.length - 4 > MAX_FRAME_BYTES) {
      this.oversized++;
      return;
    }
    this.queue.push(frame);
    this.queuedBytes += frame.length;
    while (this.queue.length > this.options.maxQueuedFrames ||
      (this.queuedBytes > this.options.maxQueuedBytes && this.queue.length > 1)) {
      this.queuedBytes -= this.queue.shift()!.length;
      this.dropped++;
    }
    this.flush();
  }

  /**
   * The peer just connected to us, so it is up: reconnect now instead of waiting out the backoff.
   * Without this a restarted follower may wait up to backoffMaxMs to hear from the leader, time
   * out, and start an election that disrupts the cluster.
   */
  peerIsUp(): void {
    if (this.closed || this.socket !== null || this.retryTimer === null) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.backoffMs = this.options.backoffMinMs;
    this.reconnects++;
    this.connect();
  }

  stats(): PeerLinkStats {
    return { connected: this.connected, queued: this.queue.length, sent: this.sent, dropped: this.dropped, reconnects: this.reconnects, oversized: this.oversized };
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.socket?.destroy();
    this.queue.length = 0;
  }

  private connect(): void {
    if (this.closed) return;
    const socket = net.connect({ host: this.options.address.host, port: this.options.address.port });
    this.socket = socket;
    socket.setNoDelay(true);
    const nonce = newNonce();
    const decoder = new FrameDecoder(MAX_HANDSHAKE_FRAME_BYTES);
    let deadline: NodeJS.Timeout | null = null;
    socket.on('connect', () => {
      socket.write(PEER_MAGIC);
      socket.write(encodeFrame({ hello: this.options.self, to: this.options.peer, nonce }));
      deadline = setTimeout(() => socket.destroy(), this.options.handshakeTimeoutMs);
    });
    socket.on('data', (chunk: Buffer) => {
      // The peer speaks once, to answer our hello; anything after that is a broken peer.
      const problem = this.connected ? 'sent data after the handshake' : this.answerChallenge(socket, decoder, chunk, nonce);
      if (problem === null) {
        if (deadline !== null && this.connected) clearTimeout(deadline);
        return;
      }
      this.options.onRefused('auth', `n${this.options.peer} at ${this.options.address.host}:${this.options.address.port} ${problem}`);
      socket.destroy();
    });
    socket.on('drain', () => {
      this.blocked = false;
      this.flush();
    });
    socket.on('error', () => undefined); // 'close' follows; reconnect there
    socket.on('close', () => {
      if (deadline !== null) clearTimeout(deadline);
      if (this.socket !== socket) return;
      this.socket = null;
      this.connected = false;
      this.scheduleReconnect();
    });
  }

  /** Checks the peer's challenge and answers it; null when the link is now open, else what went wrong. */
  private answerChallenge(socket: net.Socket, decoder: FrameDecoder, chunk: Buffer, nonce: string): string | null {
    let values: unknown[];
    try {
      values = decoder.push(chunk);
    } catch (error) {
      if (!(error instanceof FrameError)) throw error;
      return `answered our hello with a bad frame (${error.message})`;
    }
    if (values.length === 0) return null; // the challenge is still arriving
    if (values.length > 1 || decoder.partial) return 'sent more than a challenge';
    const challenge = readChallenge(values[0]);
    if (typeof challenge === 'string') return `answered our hello wrongly: ${challenge}`;
    const transcript = { dialer: this.options.self, acceptor: this.options.peer, dialerNonce: nonce, acceptorNonce: challenge.nonce };
    if (!proofMatches(this.options.key, 'acceptor', transcript, challenge.proof)) {
      return 'gave a wrong proof (a different cluster secret, or not that node)';
    }
    socket.write(encodeFrame({ proof: proofOf(this.options.key, 'dialer', transcript) }));
    this.connected = true;
    this.blocked = false;
    this.backoffMs = this.options.backoffMinMs;
    this.flush();
    return null;
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    // Jitter so that a cluster restarting together does not reconnect in lockstep.
    const delay = this.backoffMs / 2 + Math.random() * (this.backoffMs / 2);
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.backoffMaxMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.reconnects++;
      this.connect();
    }, delay);
  }

  private flush(): void {
    const socket = this.socket;
    if (socket === null || !this.connected) return;
    while (!this.blocked && this.queue.length > 0) {
      const frame = this.queue.shift()!;
      this.queuedBytes -= frame.length;
      this.sent++;
      if (!socket.write(frame)) this.blocked = true;
    }
  }
}
