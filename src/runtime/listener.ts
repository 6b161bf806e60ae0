/**
 * One TCP port per node for both clients (HTTP) and peers (framed Raft messages), so that a node
 * has one address everywhere (--listen, --peers, redirects). The first bytes decide: a peer opens
 * with PEER_MAGIC, whose first byte 0x00 never starts an HTTP request; anything else goes to the
 * HTTP server as if it had accepted the connection itself.
 */
import http from 'node:http';
import net from 'node:net';
import type { Address } from './addresses.js';
import { PEER_MAGIC } from './framing.js';
import { ConnectionDeadlines, type ConnectionPhase } from './http/connectionDeadlines.js';
import { rawOverloadedResponse, type HttpLimits } from './http/limits.js';

export interface NodeListenerOptions {
  readonly address: Address;
  readonly limits: HttpLimits;
  readonly onRequest: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  readonly onPeer: (socket: net.Socket, rest: Buffer) => void;
  /** An HTTP connection closed at a deadline (metrics). */
  readonly onDeadline?: (phase: ConnectionPhase) => void;
  /** An HTTP connection turned away at the connection cap (metrics). */
  readonly onRefused?: () => void;
  /** The number of open HTTP connections changed (metrics). */
  readonly onConnections?: (open: number) => void;
  /** A connection or a request came in: lets the node tick on time during a flood of them. */
  readonly onActivity?: () => void;
}

/**
 * Sockets open at once, as a multiple of maxConnections: those not yet known as HTTP (still
 * sniffing, peers) and those being turned away with 503. Past it the TCP server drops new
 * connections at once (refused, nothing read), which keeps us clear of the file descriptor limit.
 */
const RAW_SOCKETS_PER_HTTP_CONNECTION = 8;

/** Connections the kernel may hold before we accept them (capped by net.core.somaxconn). */
const LISTEN_BACKLOG = 4096;

/** A connection that has said nothing for this long is dropped before we know what it is. */
const SNIFF_TIMEOUT_MS = 10_000;

export class NodeListener {
  private readonly tcp: net.Server;
  private readonly http: http.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly deadlines: ConnectionDeadlines;

  constructor(private readonly options: NodeListenerOptions) {
    const limits = options.limits;
    // Node applies keepAliveTimeout per socket; its header and request timeouts need a listening
    // server, which this one never is: ConnectionDeadlines enforces all three.
    this.http = http.createServer({ keepAliveTimeout: limits.keepAliveTimeoutMs }, options.onRequest);
    this.deadlines = new ConnectionDeadlines(limits, options.onDeadline);
    this.http.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      options.onActivity?.();
      this.deadlines.requestArrived(req, res);
    });
    this.http.on('clientError', (error: NodeJS.ErrnoException, socket: net.Socket) => {
      // Malformed HTTP: answer in JSON like every other error, then hang up.
      if (socket.writable && error.code !== 'ECONNRESET') {
        const body = JSON.stringify({ error: 'bad-request', message: `malformed HTTP request (${error.code ?? 'error'})` });
        socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      }
      socket.destroy();
    });
    // TCP_NODELAY, as http.createServer would set on its own sockets (and Go on every socket):
    // these are accepted here and handed over, so without it answers could wait on Nagle.
    this.tcp = net.createServer({ noDelay: true }, (socket) => this.sniff(socket));
    this.tcp.maxConnections = limits.maxConnections * RAW_SOCKETS_PER_HTTP_CONNECTION;
  }

  get httpConnections(): number {
    return this.deadlines.size;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.tcp.once('error', reject);
      // A deep accept queue: a burst of connections waits there for its (fast) 503 rather than
      // having its handshakes dropped by the kernel, which clients see as resets and hang-ups.
      this.tcp.listen({ port: this.options.address.port, host: this.options.address.host, backlog: LISTEN_BACKLOG }, () => {
        this.tcp.off('error', reject);
        resolve();
      });
    });
  }

  close(): Promise<void> {
    this.deadlines.stop();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.http.close();
    return new Promise((resolve) => this.tcp.close(() => resolve()));
  }

  private sniff(socket: net.Socket): void {
    this.options.onActivity?.();
    this.sockets.add(socket);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.options.onActivity?.();
    });
    socket.on('error', () => undefined);
    socket.setTimeout(SNIFF_TIMEOUT_MS, () => socket.destroy());
    let seen = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      this.options.onActivity?.();
      seen = Buffer.concat([seen, chunk]);
      if (seen[0] === PEER_MAGIC[0] && seen.length < PEER_MAGIC.length) return; // wait for the rest of the magic
      socket.off('data', onData);
      socket.pause();
      socket.setTimeout(0);
      if (seen[0] === PEER_MAGIC[0]) {
        if (!seen.subarray(0, PEER_MAGIC.length).equals(PEER_MAGIC)) {
          socket.destroy();
          return;
        }
        this.options.onPeer(socket, seen.subarray(PEER_MAGIC.length));
        socket.resume();
        return;
      }
      this.toHttp(socket, seen);
    };
    socket.on('data', onData);
  }

  /** Hands the socket to the HTTP server, or turns it away at the connection cap. */
  private toHttp(socket: net.Socket, seen: Buffer): void {
    if (this.deadlines.size >= this.options.limits.maxConnections) {
      this.options.onRefused?.();
      socket.end(rawOverloadedResponse());
      socket.resume(); // read and drop whatever else it sends until the close
      socket.setTimeout(SNIFF_TIMEOUT_MS, () => socket.destroy());
      return;
    }
    this.deadlines.add(socket);
    this.options.onConnections?.(this.deadlines.size);
    socket.once('close', () => this.options.onConnections?.(this.deadlines.size));
    socket.unshift(seen);
    this.http.emit('connection', socket);
    socket.resume();
  }
}

