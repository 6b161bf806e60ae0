/**
 * Header, request and keep-alive deadlines for every HTTP connection, enforced here because Node
 * does not: our HTTP server never listens itself (the node listener hands it sockets with
 * `emit('connection')`), and Node only checks headersTimeout/requestTimeout for connections of a
 * server that listened (its connection list and checking interval start on 'listening').
 *
 * Each connection is in one phase with one deadline, checked by a sweep every `sweepMs`:
 *   headers  — from a request's first byte: headers due within headersTimeoutMs;
 *   body     — headers in, body due within requestTimeoutMs of the same first byte;
 *   handling — the request is in, the node answers it (its own request timeout bounds that);
 *   idle     — answered; the next request must start within keepAliveTimeoutMs.
 * A connection past its deadline is destroyed: whatever it holds (parser, body) goes with it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type net from 'node:net';
import type { HttpLimits } from './limits.js';

export type ConnectionPhase = 'headers' | 'body' | 'handling' | 'idle';

interface Connection {
  phase: ConnectionPhase;
  /** When the current request's first byte was seen (headers and body deadlines count from it). */
  requestStartedAt: number;
  deadline: number;
  bytesAtIdle: number;
  request: IncomingMessage | null;
}

export class ConnectionDeadlines {
  private readonly connections = new Map<net.Socket, Connection>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly limits: HttpLimits, private readonly onExpired: (phase: ConnectionPhase) => void = () => undefined) {
    const shortest = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs, limits.keepAliveTimeoutMs);
    const sweepMs = Math.max(10, Math.min(250, Math.floor(shortest / 4)));
    this.sweeper = setInterval(() => this.sweep(), sweepMs);
    this.sweeper.unref();
  }

  get size(): number {
    return this.connections.size;
  }

  /** A connection handed to HTTP, its first bytes already read: its headers are due from now. */
  add(socket: net.Socket): void {
    const now = performance.now();
    this.connections.set(socket, {
      phase: 'headers', requestStartedAt: now, deadline: now + this.limits.headersTimeoutMs, bytesAtIdle: 0, request: null,
    });
    socket.once('close', () => this.connections.delete(socket));
  }

  /** The HTTP server parsed a request's headers (its 'request' event). */
  requestArrived(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket;
    const connection = this.connections.get(socket);
    if (connection === undefined) return;
    const now = performance.now();
    // Headers that came in while we still thought it idle started at the latest now.
    if (connection.phase === 'idle') connection.requestStartedAt = now;
    connection.phase = 'body';
    connection.request = req;
    connection.deadline = connection.requestStartedAt + this.limits.requestTimeoutMs;
    this.checkBodyDone(connection);
    res.once('finish', () => this.answered(socket, req));
  }

  stop(): void {
    clearInterval(this.sweeper);
    this.connections.clear();
  }

  private answered(socket: net.Socket, req: IncomingMessage): void {
    const connection = this.connections.get(socket);
    if (connection === undefined || connection.request !== req) return;
    connection.phase = 'idle';
    connection.request = null;
    connection.bytesAtIdle = socket.bytesRead;
    connection.deadline = performance.now() + this.limits.keepAliveTimeoutMs;
  }

  private checkBodyDone(connection: Connection): void {
    if (connection.phase === 'body' && connection.request?.complete === true) connection.phase = 'handling';
  }

  private sweep(): void {
    const now = performance.now();
    for (const [socket, connection] of this.connections) {
      this.checkBodyDone(connection);
      if (connection.phase === 'idle' && socket.bytesRead > connection.bytesAtIdle) {
        // The next request has begun (or an unread body is still coming): its headers are due.
        connection.phase = 'headers';
        connection.requestStartedAt = now;
        connection.deadline = now + this.limits.headersTimeoutMs;
      }
      if (connection.phase !== 'handling' && now >= connection.deadline) {
        this.connections.delete(socket);
        this.onExpired(connection.phase);
        socket.destroy();
      }
    }
  }
}
