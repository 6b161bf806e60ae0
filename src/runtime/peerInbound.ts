/**
 * One inbound peer connection, after PEER_MAGIC: the acceptor's side of the handshake (peerAuth.ts),
 * then framed Raft messages, each checked (peerMessages.ts) before it goes on. Deadlines: the
 * handshake must finish within handshakeTimeoutMs of the magic, and once authenticated a frame
 * that has begun must complete within frameTimeoutMs (an idle connection between frames is fine:
 * a follower's link may carry nothing for long). Until authenticated a frame may hold at most
 * MAX_HANDSHAKE_FRAME_BYTES. Any failure closes the connection and reports one refusal.
 */
import type net from 'node:net';
import type { KvCommand } from '../kv/types.js';
import type { Message } from '../raft/messages.js';
import type { NodeId } from '../raft/types.js';
import { encodeFrame, FrameDecoder, FrameError, MAX_FRAME_BYTES, MAX_HANDSHAKE_FRAME_BYTES, type DecodedFrame } from './framing.js';
import { newNonce, proofMatches, proofOf, readHello, type PeerKey, type Transcript } from './peerAuth.js';
import { checkPeerMessage } from './peerMessages.js';
import type { RefusalReason } from './peerRefusals.js';
import type { TransferMessage } from './snapshotTransfer/chunkMessages.js';

export interface InboundOptions {
  readonly self: NodeId;
  readonly peers: ReadonlySet<NodeId>;
  readonly key: PeerKey;
  readonly handshakeTimeoutMs: number;
  readonly frameTimeoutMs: number;
  readonly onAuthenticated: (connection: InboundPeer) => void;
  readonly onMessage: (message: Message<KvCommand>) => void;
  readonly onTransfer: (message: TransferMessage) => void;
  readonly onRefused: (reason: RefusalReason, detail: string) => void;
  readonly onClosed: (connection: InboundPeer) => void;
}

type State =
  | { readonly step: 'hello' }
  | { readonly step: 'proof'; readonly transcript: Transcript }
  | { readonly step: 'open'; readonly from: NodeId };

export class InboundPeer {
  private readonly decoder = new FrameDecoder(MAX_HANDSHAKE_FRAME_BYTES);
  private state: State = { step: 'hello' };
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Every node of the cluster file, this one included (configurations may name only these). */
  private readonly known: ReadonlySet<NodeId>;

  constructor(readonly socket: net.Socket, private readonly options: InboundOptions) {
    this.known = new Set([...options.peers, options.self]);
  }

  /** The authenticated peer, or null while the handshake runs. */
  get peer(): NodeId | null {
    return this.state.step === 'open' ? this.state.from : null;
  }

  start(rest: Buffer): void {
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => this.closeQuietly());
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.timer = setTimeout(() => this.refuse('timeout', `no complete handshake within ${this.options.handshakeTimeoutMs} ms`), this.options.handshakeTimeoutMs);
    if (rest.length > 0) this.onData(rest);
  }

  /** Closes without counting a refusal (shutdown, or replaced by the same peer's newer connection). */
  closeQuietly(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.socket.destroy();
    this.options.onClosed(this);
  }

  private refuse(reason: RefusalReason, detail: string): void {
    if (this.closed) return;
    const who = this.state.step === 'open' ? `n${this.state.from}` : 'an unauthenticated peer';
    this.options.onRefused(reason, `${who}: ${detail}`);
    this.closeQuietly();
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.decoder.append(chunk);
    let progressed = false;
    for (;;) {
      let frame: DecodedFrame | null;
      try {
        frame = this.decoder.next();
      } catch (error) {
        if (!(error instanceof FrameError)) throw error;
        this.refuse('frame', error.message);
        return;
      }
      if (frame === null) break;
      progressed = true;
      this.onFrame(frame.value);
      if (this.closed) return;
    }
    if (this.state.step === 'open') this.armFrameDeadline(progressed);
  }

  private onFrame(value: unknown): void {
    const state = this.state;
    if (state.step === 'open') {
      const checked = checkPeerMessage(value, { self: this.options.self, from: state.from, known: this.known });
      if ('error' in checked) this.refuse('message', checked.error);
      else if ('transfer' in checked) this.options.onTransfer(checked.transfer);
      else this.options.onMessage(checked.message);
      return;
    }
    if (state.step === 'hello') {
      const hello = readHello(value, this.options.self, this.options.peers);
      if (typeof hello === 'string') return this.refuse('hello', hello);
      const transcript = { dialer: hello.from, acceptor: this.options.self, dialerNonce: hello.nonce, acceptorNonce: newNonce() };
      this.state = { step: 'proof', transcript };
      this.socket.write(encodeFrame({ challenge: transcript.acceptorNonce, proof: proofOf(this.options.key, 'acceptor', transcript) }));
      return;
    }
    const proof = (value as { proof?: unknown } | null)?.proof;
    if (!proofMatches(this.options.key, 'dialer', state.transcript, proof)) {
      return this.refuse('auth', `n${state.transcript.dialer} gave a wrong proof (a different cluster secret, or a replayed handshake)`);
    }
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.state = { step: 'open', from: state.transcript.dialer };
    this.decoder.maxFrameBytes = MAX_FRAME_BYTES;
    this.options.onAuthenticated(this);
  }

  /** A frame under way must finish in time; every completed frame restarts the clock. */
  private armFrameDeadline(progressed: boolean): void {
    if ((progressed || !this.decoder.partial) && this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.decoder.partial && this.timer === null) {
      this.timer = setTimeout(() => this.refuse('timeout', `a frame stalled for ${this.options.frameTimeoutMs} ms`), this.options.frameTimeoutMs);
    }
  }
}
