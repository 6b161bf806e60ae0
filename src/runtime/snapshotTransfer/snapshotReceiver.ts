/**
 * The follower's side of a snapshot transfer from one peer: chunks must come in order from offset
 * 0; each is fed to a SnapshotStreamReader, which rebuilds the state piece by piece and checks
 * every piece (so the memory held is the state being built plus one piece, never the stream).
 * After the last chunk the whole snapshot goes to the core as one InstallSnapshot. A gap, a bad
 * stream or a snapshot past `maxSnapshotBytes` drops the transfer and tells the leader (ack not
 * ok); a transfer idle for `idleMs` is dropped too. One transfer per peer at a time: a chunk at
 * offset 0 starts over.
 */
import type { InstallSnapshot } from '../../raft/messages.js';
import { SnapshotStreamError, SnapshotStreamReader, type SnapshotCodec } from '../../storage/snapshotStream.js';
import type { NodeId } from '../../raft/types.js';
import { peerConfigProblem } from '../peerConfig.js';
import type { SnapshotAck, SnapshotChunk } from './chunkMessages.js';

export const DEFAULT_RECEIVE_IDLE_MS = 30_000;
/** The largest snapshot stream a node accepts from a peer by default: 64 GiB. */
export const DEFAULT_MAX_SNAPSHOT_BYTES = 64 * 1024 ** 3;

export interface SnapshotReceiverOptions {
  readonly codec: SnapshotCodec;
  readonly sendAck: (ack: SnapshotAck) => void;
  readonly deliver: (message: InstallSnapshot) => void;
  /** A peer sent a stream we refuse (counted as a refused message). */
  readonly refuse: (detail: string) => void;
  readonly idleMs?: number;
  readonly maxSnapshotBytes?: number;
  /**
   * Every node of the cluster file: a snapshot whose configuration names another is refused
   * (its shape the stream reader checks already). Absent: not checked.
   */
  readonly knownNodes?: ReadonlySet<NodeId>;
}

interface Incoming {
  readonly first: SnapshotChunk;
  readonly reader: SnapshotStreamReader;
  offset: number;
  timer: NodeJS.Timeout | null;
}

export class SnapshotReceiver {
  private incoming: Incoming | null = null;
  private readonly idleMs: number;
  private readonly maxBytes: number;

  constructor(private readonly options: SnapshotReceiverOptions) {
    this.idleMs = options.idleMs ?? DEFAULT_RECEIVE_IDLE_MS;
    this.maxBytes = options.maxSnapshotBytes ?? DEFAULT_MAX_SNAPSHOT_BYTES;
  }

  /** Bytes of the transfer under way (0 when none). */
  get receiving(): number {
    return this.incoming?.offset ?? 0;
  }

  onChunk(chunk: SnapshotChunk): void {
    if (chunk.offset === 0) this.start(chunk);
    const t = this.incoming;
    if (t === null || t.first.transfer !== chunk.transfer || t.offset !== chunk.offset) {
      // A gap (a chunk lost with a dropped connection) or a transfer we no longer hold: start over.
      if (t !== null && t.first.transfer === chunk.transfer) this.drop();
      return this.ack(chunk, t?.offset ?? 0, false);
    }
    const problem = this.problemWith(t, chunk);
    if (problem !== null) return this.fail(chunk, problem);
    try {
      t.reader.push(chunk.data);
    } catch (error) {
      if (!(error instanceof SnapshotStreamError)) throw error;
      return this.fail(chunk, `a bad snapshot stream: ${error.message}`);
    }
    t.offset += chunk.data.length;
    if (!chunk.done) {
      this.armIdle();
      return this.ack(chunk, t.offset, true);
    }
    let snapshot;
    try {
      snapshot = t.reader.finish();
    } catch (error) {
      if (!(error instanceof SnapshotStreamError)) throw error;
      return this.fail(chunk, `a bad snapshot stream: ${error.message}`);
    }
    const strangers = snapshot.config === undefined ? null : peerConfigProblem(snapshot.config, this.options.knownNodes);
    if (strangers !== null) return this.fail(chunk, `a bad snapshot configuration: ${strangers}`);
    this.drop();
    this.ack(chunk, t.offset, true);
    this.options.deliver({ type: 'InstallSnapshot', from: t.first.from, to: t.first.to, term: t.first.term, snapshot });
  }

  close(): void {
    this.drop();
  }

  private start(chunk: SnapshotChunk): void {
    this.drop();
    this.incoming = { first: chunk, reader: new SnapshotStreamReader(this.options.codec, { index: chunk.index, term: chunk.snapshotTerm }), offset: 0, timer: null };
  }

  private problemWith(t: Incoming, chunk: SnapshotChunk): string | null {
    const first = t.first;
    if (chunk.term !== first.term || chunk.index !== first.index || chunk.snapshotTerm !== first.snapshotTerm) {
      return 'a chunk changed the term or snapshot of its transfer';
    }
    if (t.offset + chunk.data.length > this.maxBytes) return `a snapshot stream over the limit of ${this.maxBytes} bytes`;
    return null;
  }

  private fail(chunk: SnapshotChunk, detail: string): void {
    this.options.refuse(`snapshot ${chunk.index}/${chunk.snapshotTerm} transfer: ${detail}`);
    const offset = this.incoming?.offset ?? 0;
    this.drop();
    this.ack(chunk, offset, false);
  }

  private ack(chunk: SnapshotChunk, offset: number, ok: boolean): void {
    this.options.sendAck({ type: 'SnapshotAck', from: chunk.to, to: chunk.from, transfer: chunk.transfer, offset, ok });
  }

  private armIdle(): void {
    const t = this.incoming!;
    if (t.timer !== null) clearTimeout(t.timer);
    t.timer = setTimeout(() => this.drop(), this.idleMs);
  }

  private drop(): void {
    if (this.incoming?.timer) clearTimeout(this.incoming.timer);
    this.incoming = null;
  }
}
