/**
 * A listener for peers only (`serve --peer-listen`): every connection must open with PEER_MAGIC
 * within MAGIC_TIMEOUT_MS and is then handed to the transport; anything else is closed. The client
 * port then refuses peer traffic, so each kind of traffic has exactly one way in.
 */
import net from 'node:net';
import type { Address } from './addresses.js';
import { PEER_MAGIC } from './framing.js';

const MAGIC_TIMEOUT_MS = 5_000;

export interface PeerListenerOptions {
  readonly address: Address;
  readonly onPeer: (socket: net.Socket, rest: Buffer) => void;
  /** A connection that did not open with the magic (counted as a refusal by the caller). */
  readonly onNotPeer: (socket: net.Socket) => void;
}

export class PeerListener {
  private readonly tcp: net.Server;
  private readonly sniffing = new Set<net.Socket>();

  constructor(private readonly options: PeerListenerOptions) {
    this.tcp = net.createServer((socket) => this.sniff(socket));
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.tcp.once('error', reject);
      this.tcp.listen(this.options.address.port, this.options.address.host, () => {
        this.tcp.off('error', reject);
        resolve();
      });
    });
  }

  /** Stops accepting; connections already handed to the transport are closed by the transport. */
  close(): Promise<void> {
    for (const socket of this.sniffing) socket.destroy();
    this.sniffing.clear();
    return new Promise((resolve) => this.tcp.close(() => resolve()));
  }

  private sniff(socket: net.Socket): void {
    this.sniffing.add(socket);
    socket.on('close', () => this.sniffing.delete(socket));
    socket.on('error', () => undefined);
    const timer = setTimeout(() => this.options.onNotPeer(socket), MAGIC_TIMEOUT_MS);
    let seen = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      seen = Buffer.concat([seen, chunk]);
      const head = seen.subarray(0, PEER_MAGIC.length);
      if (!head.equals(PEER_MAGIC.subarray(0, head.length))) {
        clearTimeout(timer);
        this.options.onNotPeer(socket);
        return;
      }
      if (seen.length < PEER_MAGIC.length) return;
      clearTimeout(timer);
      socket.off('data', onData);
      this.sniffing.delete(socket);
      this.options.onPeer(socket, seen.subarray(PEER_MAGIC.length));
    };
    socket.on('data', onData);
  }
}
