/**
 * A hand-driven peer connection for the wire tests: raw bytes out, decoded frames in, and whether
 * the server closed it. `handshake` speaks the real handshake with a given secret, so a test can
 * get past authentication and then send anything it likes.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { encodeFrame, FrameDecoder, PEER_MAGIC } from '../../../src/runtime/framing.js';
import { proofMatches, proofOf, type PeerKey } from '../../../src/runtime/peerAuth.js';
import { http } from '../../support/http.js';
import { waitFor } from '../../support/wait.js';

export function keyOf(secret: string): PeerKey {
  return { key: Buffer.from(secret.trim(), 'utf8'), insecure: false };
}

export class RawPeer {
  readonly frames: unknown[] = [];
  /** Every byte this side wrote, in order (a replay test sends them again). */
  readonly written: Buffer[] = [];
  closedByServer = false;
  private readonly decoder = new FrameDecoder();

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      try {
        this.frames.push(...this.decoder.push(chunk));
      } catch {
        this.frames.push('<undecodable>');
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => (this.closedByServer = true));
  }

  static async connect(port: number): Promise<RawPeer> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawPeer(socket);
  }

  write(bytes: Buffer): void {
    this.written.push(bytes);
    this.socket.write(bytes);
  }

  send(value: unknown): void {
    this.write(encodeFrame(value));
  }

  /** The real handshake as node `self` dialing node `to` with `key`; resolves once the proof is sent. */
  async handshake(self: number, to: number, key: PeerKey, then: Buffer[] = [], checkAcceptor = true): Promise<void> {
    const nonce = randomBytes(16).toString('hex');
    this.write(Buffer.concat([PEER_MAGIC, encodeFrame({ hello: self, to, nonce })]));
    const seen = await waitFor(`n${to} to answer the hello with a challenge`, () => ({ frames: this.frames.length, closed: this.closedByServer }),
      (s) => s.frames > 0 || s.closed, { baseLimitMs: 10_000 });
    if (seen.frames === 0) throw new Error(`n${to} closed the connection instead of answering the hello`);
    const challenge = this.frames[0] as { challenge: string; proof: string };
    const transcript = { dialer: self, acceptor: to, dialerNonce: nonce, acceptorNonce: challenge.challenge };
    if (checkAcceptor && !proofMatches(key, 'acceptor', transcript, challenge.proof)) throw new Error(`n${to}'s proof does not match the secret`);
    // The proof and what follows in one write, so they arrive together.
    this.write(Buffer.concat([encodeFrame({ proof: proofOf(key, 'dialer', transcript) }), ...then]));
  }

  async waitClosed(what: string, baseLimitMs?: number): Promise<void> {
    await waitFor(`the server to close the connection that sent ${what}`, () => this.closedByServer, (closed) => closed,
      baseLimitMs === undefined ? {} : { baseLimitMs });
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** The node's count of refused peer connections for `reason`, from GET /metrics. */
export async function refusals(port: number, reason: string): Promise<number> {
  const answer = await http('GET', `http://127.0.0.1:${port}/metrics`, { timeoutMs: 5_000 });
  const match = new RegExp(`^raft_peer_refused_total\\{reason="${reason}"\\} (\\d+)$`, 'm').exec(answer.text);
  return match === null ? 0 : Number(match[1]);
}
