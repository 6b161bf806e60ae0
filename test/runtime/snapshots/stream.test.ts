/**
 * The snapshot stream (src/storage/snapshotStream.ts) and the KV's pieces
 * (src/storage/kvSnapshotCodec.ts): a snapshot comes back equal however its bytes are cut, and
 * every defect (a flipped byte, a cut, extra bytes, a bad piece) is refused with where it is.
 */
import { describe, expect, it } from 'vitest';
import type { KvSnapshotData } from '../../../src/kv/types.js';
import type { Snapshot } from '../../../src/raft/types.js';
import { KV_SNAPSHOT_CODEC } from '../../../src/storage/kvSnapshotCodec.js';
import { encodeSnapshotStream, PIECE_TARGET_BYTES, SNAPSHOT_MAGIC, SnapshotStreamError, SnapshotStreamReader, WHOLE_VALUE_CODEC } from '../../../src/storage/snapshotStream.js';
import { encodeFrame } from '../../../src/storage/frame.js';

function kvSnapshot(entries: number, valueBytes: number, sessions = 3): Snapshot {
  const data: KvSnapshotData = {
    lastAppliedIndex: 40,
    entries: Array.from({ length: entries }, (_, i) => [`key-${String(i).padStart(6, '0')}`, `${i}:`.padEnd(valueBytes, 'v')] as const),
    sessions: Array.from({ length: sessions }, (_, i) => [i + 1, i + 2, i % 2 === 0 ? null : { ok: true }, 1_000 + i] as const),
    clockMs: 5_000, sessionsDropped: true,
  };
  return { lastIncludedIndex: 40, lastIncludedTerm: 3, data };
}

function bytesOf(snapshot: Snapshot): Buffer {
  return Buffer.concat([...encodeSnapshotStream(snapshot, KV_SNAPSHOT_CODEC)]);
}

function readAll(bytes: Buffer, cut: number, expect: { index: number; term: number } | null = null): Snapshot {
  const reader = new SnapshotStreamReader(KV_SNAPSHOT_CODEC, expect);
  for (let i = 0; i < bytes.length; i += cut) reader.push(bytes.subarray(i, i + cut));
  return reader.finish();
}

describe('the snapshot stream', () => {
  it('gives back the same snapshot however its bytes are cut', () => {
    const snapshot = kvSnapshot(150, 3_000);
    const bytes = bytesOf(snapshot);
    for (const cut of [1, 7, 8, 4096, 100_003, bytes.length]) expect(readAll(bytes, cut), `cut ${cut}`).toEqual(snapshot);
  });

  it('cuts a large state into pieces near the target size, never one piece for the whole', () => {
    const snapshot = kvSnapshot(64, 256 * 1024);
    const frames = [...encodeSnapshotStream(snapshot, KV_SNAPSHOT_CODEC)];
    const total = frames.reduce((sum, f) => sum + f.length, 0);
    expect(total).toBeGreaterThan(16 * 1024 * 1024);
    expect(Math.max(...frames.map((f) => f.length))).toBeLessThan(PIECE_TARGET_BYTES + 300 * 1024);
  });

  it('keeps a state with no entries and no sessions', () => {
    const empty: Snapshot = { lastIncludedIndex: 5, lastIncludedTerm: 5, data: { lastAppliedIndex: 5, entries: [], sessions: [] } };
    expect(readAll(bytesOf(empty), 3)).toEqual(empty);
  });

  it('refuses a flipped byte anywhere, naming the byte where its record starts', () => {
    const bytes = bytesOf(kvSnapshot(20, 100));
    for (const at of [0, 9, 20, Math.floor(bytes.length / 2), bytes.length - 2]) {
      const broken = Buffer.from(bytes);
      broken[at] ^= 0x40;
      expect(() => readAll(broken, 64), `byte ${at}`).toThrow(SnapshotStreamError);
    }
  });

  it('refuses a stream cut short, and bytes after its end', () => {
    const bytes = bytesOf(kvSnapshot(20, 100));
    expect(() => readAll(bytes.subarray(0, bytes.length - 1), 64)).toThrow(/stops before its end record/);
    expect(() => readAll(Buffer.concat([bytes, Buffer.from([1])]), 64)).toThrow(/after the end/);
  });

  it('refuses the wrong snapshot, a bad magic and a record over the piece limit before buffering it', () => {
    const bytes = bytesOf(kvSnapshot(2, 10));
    expect(() => readAll(bytes, 64, { index: 41, term: 3 })).toThrow(/not 41\/3/);
    expect(() => readAll(Buffer.concat([Buffer.from('RAFTSNP9'), bytes.subarray(8)]), 64)).toThrow(/bad magic/);
    const huge = Buffer.alloc(8);
    huge.writeUInt32LE(0xffff_fff0, 0);
    expect(() => new SnapshotStreamReader(KV_SNAPSHOT_CODEC).push(Buffer.concat([SNAPSHOT_MAGIC, huge]))).toThrow(/over the limit/);
  });

  it('carries any JSON value as one piece with the whole-value codec', () => {
    const snapshot: Snapshot = { lastIncludedIndex: 3, lastIncludedTerm: 1, data: { anything: [1, 'two'] } };
    const reader = new SnapshotStreamReader(WHOLE_VALUE_CODEC);
    reader.push(Buffer.concat([...encodeSnapshotStream(snapshot, WHOLE_VALUE_CODEC)]));
    expect(reader.finish()).toEqual(snapshot);
  });
});

/** A stream whose pieces are given by hand, framed as the encoder frames them. */
function streamOf(pieces: unknown[], declared = pieces.length): Buffer {
  const frame = (kind: string, value: unknown) => encodeFrame(Buffer.concat([Buffer.from(kind), Buffer.from(JSON.stringify(value))]));
  return Buffer.concat([SNAPSHOT_MAGIC, frame('H', { index: 7, term: 2 }), ...pieces.map((p) => frame('P', p)), frame('E', { pieces: declared })]);
}

describe('the KV pieces, checked one by one', () => {
  const meta = (entries: number, sessions: number) => ({ meta: { lastAppliedIndex: 7, entries, sessions } });
  const read = (bytes: Buffer) => {
    const reader = new SnapshotStreamReader(KV_SNAPSHOT_CODEC);
    reader.push(bytes);
    return reader.finish();
  };

  it('accepts a well-formed stream', () => {
    const snapshot = read(streamOf([meta(1, 1), { entries: [['k', 'v']] }, { sessions: [[4, 1, { value: null }, 9]] }]));
    expect(snapshot.data).toEqual({ lastAppliedIndex: 7, entries: [['k', 'v']], sessions: [[4, 1, { value: null }, 9]] });
  });

  it.each([
    ['a repeated key', [meta(2, 0), { entries: [['k', 'a'], ['k', 'b']] }]],
    ['a value that is not a string', [meta(1, 0), { entries: [['k', 5]] }]],
    ['a session with seq 0 (the restore would assert)', [meta(0, 1), { sessions: [[4, 0, null, 9]] }]],
    ['a session without its last activity', [meta(0, 1), { sessions: [[4, 1, null]] }]],
    ['a session output of another shape', [meta(0, 1), { sessions: [[4, 1, { value: 3 }, 9]] }]],
    ['a repeated client', [meta(0, 2), { sessions: [[4, 1, null, 9], [4, 2, null, 9]] }]],
    ['fewer entries than announced', [meta(2, 0), { entries: [['k', 'v']] }]],
    ['more entries than announced', [meta(0, 0), { entries: [['k', 'v']] }]],
    ['entries after sessions', [meta(1, 1), { sessions: [[4, 1, null, 9]] }, { entries: [['k', 'v']] }]],
    ['another index than the header', [{ meta: { lastAppliedIndex: 6, entries: 0, sessions: 0 } }]],
    ['a piece of neither kind', [meta(0, 0), { other: [] }]],
  ])('refuses %s', (_, pieces) => {
    expect(() => read(streamOf(pieces))).toThrow(SnapshotStreamError);
  });

  it('refuses an end record that miscounts the pieces', () => {
    expect(() => read(streamOf([meta(0, 0)], 2))).toThrow(/counts 2 pieces, 1 came/);
  });
});
