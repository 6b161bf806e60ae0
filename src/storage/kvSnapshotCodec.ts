/**
 * The KV store's snapshot as pieces (storage/snapshotStream.ts): first the scalars and counts,
 * then the [key, value] pairs in batches of about PIECE_TARGET_BYTES, then the sessions in
 * batches. Rebuilding checks every field of every piece (fieldChecks.ts), since pieces also come
 * from the wire, and checks at the end that the counts the first piece announced all came.
 */
import type { KvSessionEntry, KvSnapshotData } from '../kv/types.js';
import { PIECE_TARGET_BYTES, type SnapshotBuilder, type SnapshotCodec } from './snapshotStream.js';
import { count, entryPairFrom, fail, flag, record, sessionFrom } from './fieldChecks.js';

/** Sessions per piece: each is a few numbers and at most a small output. */
const SESSIONS_PER_PIECE = 4096;

type Piece =
  | { readonly meta: { lastAppliedIndex: number; clockMs?: number; sessionsDropped?: boolean; entries: number; sessions: number } }
  | { readonly entries: readonly (readonly [string, string])[] }
  | { readonly sessions: readonly KvSessionEntry[] };

function* kvPieces(data: KvSnapshotData): Generator<Piece> {
  const meta: { lastAppliedIndex: number; clockMs?: number; sessionsDropped?: boolean; entries: number; sessions: number } = {
    lastAppliedIndex: data.lastAppliedIndex, entries: data.entries.length, sessions: data.sessions.length,
  };
  if (data.clockMs !== undefined) meta.clockMs = data.clockMs;
  if (data.sessionsDropped !== undefined) meta.sessionsDropped = data.sessionsDropped;
  yield { meta };
  let batch: (readonly [string, string])[] = [];
  let batchBytes = 0;
  for (const pair of data.entries) {
    batch.push(pair);
    batchBytes += pair[0].length + pair[1].length + 8;
    if (batchBytes < PIECE_TARGET_BYTES) continue;
    yield { entries: batch };
    batch = [];
    batchBytes = 0;
  }
  if (batch.length > 0) yield { entries: batch };
  for (let i = 0; i < data.sessions.length; i += SESSIONS_PER_PIECE) yield { sessions: data.sessions.slice(i, i + SESSIONS_PER_PIECE) };
}

class KvSnapshotBuilder implements SnapshotBuilder<KvSnapshotData> {
  private meta: { lastAppliedIndex: number; clockMs?: number; sessionsDropped?: boolean; entries: number; sessions: number } | null = null;
  private readonly entries: [string, string][] = [];
  private readonly sessions: KvSessionEntry[] = [];
  private readonly keys = new Set<string>();
  private readonly clients = new Set<number>();

  constructor(private readonly lastIncludedIndex: number) {}

  add(value: unknown): void {
    const piece = record(value, 'the piece');
    if (this.meta === null) return this.readMeta(piece);
    if (Array.isArray(piece.entries)) return this.addEntries(piece.entries as unknown[]);
    if (Array.isArray(piece.sessions)) return this.addSessions(piece.sessions as unknown[]);
    fail('a piece must hold entries or sessions');
  }

  finish(): KvSnapshotData {
    const meta = this.meta;
    if (meta === null) fail('no pieces');
    if (this.entries.length !== meta.entries) fail(`${this.entries.length} entries came, ${meta.entries} were announced`);
    if (this.sessions.length !== meta.sessions) fail(`${this.sessions.length} sessions came, ${meta.sessions} were announced`);
    const data: { -readonly [K in keyof KvSnapshotData]: KvSnapshotData[K] } = { lastAppliedIndex: meta.lastAppliedIndex, entries: this.entries, sessions: this.sessions };
    if (meta.clockMs !== undefined) data.clockMs = meta.clockMs;
    if (meta.sessionsDropped !== undefined) data.sessionsDropped = meta.sessionsDropped;
    return data;
  }

  private readMeta(piece: Record<string, unknown>): void {
    const m = record(piece.meta, 'the first piece\'s meta');
    if (m.lastAppliedIndex !== this.lastIncludedIndex) fail(`lastAppliedIndex must equal the snapshot's index ${this.lastIncludedIndex}`);
    const meta: NonNullable<KvSnapshotBuilder['meta']> = {
      lastAppliedIndex: this.lastIncludedIndex, entries: count(m.entries, 'meta.entries'), sessions: count(m.sessions, 'meta.sessions'),
    };
    if (m.clockMs !== undefined) meta.clockMs = count(m.clockMs, 'meta.clockMs');
    if (m.sessionsDropped !== undefined) meta.sessionsDropped = flag(m.sessionsDropped, 'meta.sessionsDropped');
    this.meta = meta;
  }

  private addEntries(items: unknown[]): void {
    if (this.sessions.length > 0) fail('entries after sessions');
    if (this.entries.length + items.length > this.meta!.entries) fail(`more entries than the ${this.meta!.entries} announced`);
    for (const item of items) {
      const pair = entryPairFrom(item, `entry ${this.entries.length}`);
      if (this.keys.has(pair[0])) fail(`entry ${this.entries.length} repeats a key`);
      this.keys.add(pair[0]);
      this.entries.push(pair);
    }
  }

  private addSessions(items: unknown[]): void {
    if (this.sessions.length + items.length > this.meta!.sessions) fail(`more sessions than the ${this.meta!.sessions} announced`);
    for (const item of items) {
      const session = sessionFrom(item, `session ${this.sessions.length}`);
      if (this.clients.has(session[0])) fail(`session ${this.sessions.length} repeats a client`);
      this.clients.add(session[0]);
      this.sessions.push(session);
    }
  }
}

export const KV_SNAPSHOT_CODEC: SnapshotCodec = {
  pieces: (data) => kvPieces(data as KvSnapshotData),
  rebuild: (lastIncludedIndex) => new KvSnapshotBuilder(lastIncludedIndex),
};
