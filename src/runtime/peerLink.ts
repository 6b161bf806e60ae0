/**
 * The outbound connection to one peer: a bounded queue of encoded frames, one TCP connection, and
 * reconnection with exponential backoff. Each peer has its own link, so a slow or dead peer only
 * fills its own queue. When the queue is full the oldest frame is dropped: Raft tolerates lost
 * messages (heartbeats and retries resend what matters), and old messages are the least useful.
 */
import net from 'node:net';
import type { Address } from './addresses.js';
import { encodeFrame, PEER_MAGIC } from './framing.js';

export interface PeerLinkOptions {
  readonly self: number;
  readonly address: Address;
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

  constructor(private readonly options: PeerLinkOptions) {
    this.backoffMs = options.backoffMinMs;
  }

  start(): void {
    this.connect();
  }

  send(message: unknown): void {
    if (this.closed) return;
    const frame = encodeFrame(message);
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
    return { connected: this.connected, queued: this.queue.length, sent: this.sent, dropped: this.dropped, reconnects: this.reconnects };
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
    socket.on('connect', () => {
      this.connected = true;
      this.blocked = false;
      this.backoffMs = this.options.backoffMinMs;
      socket.write(PEER_MAGIC);
      socket.write(encodeFrame({ hello: this.options.self }));
      this.flush();
    });
    socket.on('drain', () => {
      this.blocked = false;
      this.flush();
    });
    // Inbound data on an outbound link means nothing: replies come on the peer's own connection.
    socket.on('data', () => undefined);
    socket.on('error', () => undefined); // 'close' follows; reconnect there
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.connected = false;
      this.scheduleReconnect();
    });
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
