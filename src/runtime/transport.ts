/**
 * Raft messages between real processes: one outbound PeerLink per peer (we only send on those)
 * and the inbound connections peers open to us (we only receive on those). Inbound connections are
 * bounded: at most MAX_HANDSHAKING in handshake at once (a new one past that evicts the oldest,
 * so a slow stranger cannot starve real peers for long) and MAX_CONNECTIONS_PER_PEER authenticated
 * connections per peer (a newer one evicts the oldest: the peer has reconnected, and its old
 * connection may be dead without our knowing; two let the old one linger without a reconnect of
 * ours ever cutting the peer's newest). An InstallSnapshot goes out as a stream of chunks with
 * flow control (snapshotTransfer/), and comes in rebuilt from them. A test-only partition switch drops
 * traffic to and from chosen peers at this node, both ways, as a network fault would.
 */
import type net from 'node:net';
import type { Registry } from 'prom-client';
import type { KvCommand } from '../kv/types.js';
import type { Message } from '../raft/messages.js';
import type { NodeId } from '../raft/types.js';
import type { Address } from './addresses.js';
import { PeerLink, type PeerLinkStats } from './peerLink.js';
import type { PeerKey } from './peerAuth.js';
import { InboundPeer } from './peerInbound.js';
import { PeerRefusals } from './peerRefusals.js';
import { chunkToWire, type TransferMessage } from './snapshotTransfer/chunkMessages.js';
import { SnapshotReceiver } from './snapshotTransfer/snapshotReceiver.js';
import { SnapshotSender, type SenderStats } from './snapshotTransfer/snapshotSender.js';
import type { SnapshotCodec } from '../storage/snapshotStream.js';

/** Connections past the magic that have not yet authenticated, at once. */
export const MAX_HANDSHAKING = 16;
/** Authenticated inbound connections from one peer, at once. */
export const MAX_CONNECTIONS_PER_PEER = 2;
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 5_000;
export const DEFAULT_FRAME_TIMEOUT_MS = 10_000;

export interface PeerTransportOptions {
  readonly self: NodeId;
  /** Where each peer accepts peer connections (its --peer-listen, or its one address). */
  readonly peers: ReadonlyMap<NodeId, Address>;
  readonly key: PeerKey;
  readonly onMessage: (message: Message<KvCommand>) => void;
  /** One line about a refused connection (rate limited by PeerRefusals). */
  readonly log: (line: string) => void;
  /** Where to register the refusal counter (the node's metrics registry). */
  readonly registry?: Registry;
  readonly maxQueuedFrames?: number;
  readonly maxQueuedBytes?: number;
  readonly handshakeTimeoutMs?: number;
  readonly frameTimeoutMs?: number;
  /** How the KV state becomes a snapshot stream and back (snapshots travel in chunks). */
  readonly snapshotCodec: SnapshotCodec;
  readonly snapshotWindowChunks?: number;
  readonly maxSnapshotBytes?: number;
}

export class PeerTransport {
  private readonly links = new Map<NodeId, PeerLink>();
  private readonly senders = new Map<NodeId, SnapshotSender>();
  private readonly receivers = new Map<NodeId, SnapshotReceiver>();
  private readonly handshaking = new Set<InboundPeer>();
  /** Per peer, its authenticated connections, oldest first. */
  private readonly authenticated = new Map<NodeId, InboundPeer[]>();
  private readonly peerIds: ReadonlySet<NodeId>;
  private dropping = new Set<NodeId>();
  private closed = false;
  readonly refusals: PeerRefusals;

  constructor(private readonly options: PeerTransportOptions) {
    this.peerIds = new Set(options.peers.keys());
    this.refusals = new PeerRefusals(options.log, options.registry ?? null);
    for (const [id, address] of options.peers) {
      this.links.set(id, new PeerLink({
        self: options.self, peer: id, address, key: options.key,
        maxQueuedFrames: options.maxQueuedFrames ?? 1024,
        maxQueuedBytes: options.maxQueuedBytes ?? 64 * 1024 * 1024,
        backoffMinMs: 50, backoffMaxMs: 1000,
        handshakeTimeoutMs: options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
        onRefused: (reason, detail) => this.refusals.refuse(reason, detail),
      }));
      this.senders.set(id, new SnapshotSender({
        codec: options.snapshotCodec, windowChunks: options.snapshotWindowChunks, log: options.log,
        send: (chunk) => this.sendWire(chunk.to, chunkToWire(chunk)),
      }));
      this.receivers.set(id, new SnapshotReceiver({
        codec: options.snapshotCodec, maxSnapshotBytes: options.maxSnapshotBytes, knownNodes: new Set([...options.peers.keys(), options.self]),
        sendAck: (ack) => this.sendWire(ack.to, ack),
        deliver: (message) => this.deliver(message),
        refuse: (detail) => this.refusals.refuse('snapshot', `n${id}: ${detail}`),
      }));
    }
  }

  start(): void {
    for (const link of this.links.values()) link.start();
  }

  send(message: Message<KvCommand>): void {
    if (message.type === 'InstallSnapshot') {
      if (!this.dropping.has(message.to)) this.senders.get(message.to)?.offer(message);
      return;
    }
    this.sendWire(message.to, message);
  }

  private sendWire(to: NodeId, value: unknown): void {
    if (this.dropping.has(to)) return;
    this.links.get(to)?.send(value);
  }

  private deliver(message: Message<KvCommand>): void {
    if (!this.dropping.has(message.from)) this.options.onMessage(message);
  }

  private onTransfer(message: TransferMessage): void {
    if (this.dropping.has(message.from)) return;
    if (message.type === 'SnapshotAck') this.senders.get(message.from)?.onAck(message);
    else this.receivers.get(message.from)?.onChunk(message);
  }

  /** Takes over a socket whose first bytes were PEER_MAGIC (`rest` is what followed them). */
  accept(socket: net.Socket, rest: Buffer): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    if (this.handshaking.size >= MAX_HANDSHAKING) {
      const oldest = this.handshaking.values().next().value!;
      this.refusals.refuse('limit', `${MAX_HANDSHAKING} connections already in handshake: closed the oldest`);
      oldest.closeQuietly();
    }
    const connection = new InboundPeer(socket, {
      self: this.options.self, peers: this.peerIds, key: this.options.key,
      handshakeTimeoutMs: this.options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
      frameTimeoutMs: this.options.frameTimeoutMs ?? DEFAULT_FRAME_TIMEOUT_MS,
      onAuthenticated: (c) => this.onAuthenticated(c),
      onMessage: (message) => this.deliver(message),
      onTransfer: (message) => this.onTransfer(message),
      onRefused: (reason, detail) => this.refusals.refuse(reason, detail),
      onClosed: (c) => {
        this.handshaking.delete(c);
        const same = c.peer === null ? undefined : this.authenticated.get(c.peer);
        if (same !== undefined && same.includes(c)) same.splice(same.indexOf(c), 1);
      },
    });
    this.handshaking.add(connection);
    connection.start(rest);
  }

  /** Refuses a peer connection that came where peers are not served (the client port under --peer-listen). */
  refuseElsewhere(socket: net.Socket): void {
    this.refusals.refuse('client-port', 'peer traffic on the client port, while peers have their own address');
    socket.destroy();
  }

  /** Refuses a connection to the peer port that did not open with the peer magic in time. */
  refuseNotPeer(socket: net.Socket): void {
    this.refusals.refuse('hello', 'a connection to the peer port did not open with the peer magic');
    socket.destroy();
  }

  private onAuthenticated(connection: InboundPeer): void {
    this.handshaking.delete(connection);
    const peer = connection.peer!;
    const same = this.authenticated.get(peer) ?? [];
    this.authenticated.set(peer, same);
    same.push(connection);
    while (same.length > MAX_CONNECTIONS_PER_PEER) same[0]!.closeQuietly(); // onClosed removes it
    this.links.get(peer)?.peerIsUp();
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

  /** Snapshot transfers to each peer: started, completed, dropped, bytes sent. */
  snapshotStats(): Map<NodeId, SenderStats> {
    return new Map([...this.senders].map(([id, sender]) => [id, sender.stats]));
  }

  stats(): Map<NodeId, PeerLinkStats> {
    return new Map([...this.links].map(([id, link]) => [id, link.stats()]));
  }

  /** Inbound connections held now: in handshake, and authenticated. */
  inboundCounts(): { handshaking: number; authenticated: number } {
    let authenticated = 0;
    for (const list of this.authenticated.values()) authenticated += list.length;
    return { handshaking: this.handshaking.size, authenticated };
  }

  close(): void {
    this.closed = true;
    for (const link of this.links.values()) link.close();
    for (const sender of this.senders.values()) sender.close();
    for (const receiver of this.receivers.values()) receiver.close();
    for (const c of [...this.handshaking, ...[...this.authenticated.values()].flat()]) c.closeQuietly();
    this.handshaking.clear();
    this.authenticated.clear();
  }
}
