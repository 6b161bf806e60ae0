/**
 * Raft messages between real processes: one outbound PeerLink per peer (we only send on those)
 * and the inbound connections peers open to us (we only receive on those). A test-only partition
 * switch drops traffic to and from chosen peers at this node, both ways, as a network fault would.
 */
import type net from 'node:net';
import type { KvCommand } from '../kv/types.js';
import type { Message } from '../raft/messages.js';
import type { NodeId } from '../raft/types.js';
import type { Address } from './addresses.js';
import { FrameDecoder } from './framing.js';
import { PeerLink, type PeerLinkStats } from './peerLink.js';
import { asPeerMessage } from './peerMessages.js';

export interface PeerTransportOptions {
  readonly self: NodeId;
  readonly peers: ReadonlyMap<NodeId, Address>;
  readonly onMessage: (message: Message<KvCommand>) => void;
  readonly maxQueuedFrames?: number;
  readonly maxQueuedBytes?: number;
}

export class PeerTransport {
  private readonly links = new Map<NodeId, PeerLink>();
  private readonly inbound = new Set<net.Socket>();
  private readonly peerIds: ReadonlySet<NodeId>;
  private dropping = new Set<NodeId>();
  private closed = false;
  /** Inbound messages refused by the shape check (a sign of a misconfigured peer). */
  malformed = 0;

  constructor(private readonly options: PeerTransportOptions) {
    this.peerIds = new Set(options.peers.keys());
    for (const [id, address] of options.peers) {
      this.links.set(id, new PeerLink({
        self: options.self, address,
        maxQueuedFrames: options.maxQueuedFrames ?? 1024,
        maxQueuedBytes: options.maxQueuedBytes ?? 64 * 1024 * 1024,
        backoffMinMs: 50, backoffMaxMs: 1000,
      }));
    }
  }

  start(): void {
    for (const link of this.links.values()) link.start();
  }

  send(message: Message<KvCommand>): void {
    if (this.dropping.has(message.to)) return;
    this.links.get(message.to)?.send(message);
  }

  /** Takes over a socket whose first bytes were PEER_MAGIC (`rest` is what followed them). */
  accept(socket: net.Socket, rest: Buffer): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.inbound.add(socket);
    const decoder = new FrameDecoder();
    let from: NodeId | null = null;
    const onData = (chunk: Buffer): void => {
      let values: unknown[];
      try {
        values = decoder.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const value of values) {
        if (from === null) {
          const hello = (value as { hello?: unknown } | null)?.hello;
          if (typeof hello !== 'number' || !this.peerIds.has(hello)) {
            socket.destroy();
            return;
          }
          from = hello;
          this.links.get(hello)?.peerIsUp();
          continue;
        }
        const message = asPeerMessage(value, this.options.self, this.peerIds);
        if (message === null || message.from !== from) {
          this.malformed++;
          continue;
        }
        if (this.dropping.has(from)) continue;
        this.options.onMessage(message);
      }
    };
    socket.on('error', () => undefined);
    socket.on('close', () => this.inbound.delete(socket));
    socket.on('data', onData);
    if (rest.length > 0) onData(rest);
  }

  /** Test-only fault: drop every message to and from these peers (replaces the previous set). */
  partition(peers: readonly NodeId[]): void {
    this.dropping = new Set(peers);
  }

  heal(): void {
    this.dropping = new Set();
  }

  get partitioned(): readonly NodeId[] {
    return [...this.dropping].sort((a, b) => a - b);
  }

  stats(): Map<NodeId, PeerLinkStats> {
    return new Map([...this.links].map(([id, link]) => [id, link.stats()]));
  }

  close(): void {
    this.closed = true;
    for (const link of this.links.values()) link.close();
    for (const socket of this.inbound) socket.destroy();
    this.inbound.clear();
  }
}
