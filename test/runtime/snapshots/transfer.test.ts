/**
 * InstallSnapshot in chunks (Raft §7: offset, data, done), leader and follower sides wired
 * through an in-memory link that can lose, hold and reorder chunks: the follower gets exactly the
 * leader's snapshot; no more than the window is ever unacknowledged; a lost chunk ends the
 * transfer and the next offer starts over and finishes; offers of the snapshot under way are
 * ignored; a stalled transfer is dropped; a stream past the size limit is refused.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KvSnapshotData } from '../../../src/kv/types.js';
import type { InstallSnapshot } from '../../../src/raft/messages.js';
import { KV_SNAPSHOT_CODEC } from '../../../src/storage/kvSnapshotCodec.js';
import { CHUNK_BYTES, type SnapshotAck, type SnapshotChunk } from '../../../src/runtime/snapshotTransfer/chunkMessages.js';
import { SnapshotReceiver } from '../../../src/runtime/snapshotTransfer/snapshotReceiver.js';
import { SnapshotSender } from '../../../src/runtime/snapshotTransfer/snapshotSender.js';

function install(entries: number, valueBytes: number, term = 5): InstallSnapshot {
  const data: KvSnapshotData = {
    lastAppliedIndex: 90,
    entries: Array.from({ length: entries }, (_, i) => [`k${String(i).padStart(5, '0')}`, `${i}`.padEnd(valueBytes, 'x')] as const),
    sessions: [[1, 4, { ok: true }, 77]],
  };
  return { type: 'InstallSnapshot', from: 1, to: 2, term, snapshot: { lastIncludedIndex: 90, lastIncludedTerm: 4, data } };
}

/** Leader and follower with the chunks and acks between them under the test's control. */
function pair(options: { window?: number; maxSnapshotBytes?: number } = {}) {
  const chunks: SnapshotChunk[] = [];
  const acks: SnapshotAck[] = [];
  const delivered: InstallSnapshot[] = [];
  const refused: string[] = [];
  const logs: string[] = [];
  const sender = new SnapshotSender({ codec: KV_SNAPSHOT_CODEC, send: (c) => chunks.push(c), windowChunks: options.window ?? 4, log: (l) => logs.push(l) });
  const receiver = new SnapshotReceiver({
    codec: KV_SNAPSHOT_CODEC, sendAck: (a) => acks.push(a), deliver: (m) => delivered.push(m), refuse: (d) => refused.push(d),
    ...(options.maxSnapshotBytes === undefined ? {} : { maxSnapshotBytes: options.maxSnapshotBytes }),
  });
  let maxUnacked = 0;
  /** Delivers everything in flight, both ways, until nothing moves; `lose` may drop a chunk. */
  const run = (lose: (c: SnapshotChunk) => boolean = () => false) => {
    while (chunks.length > 0 || acks.length > 0) {
      const unacked = chunks.reduce((sum, c) => sum + c.data.length, 0);
      maxUnacked = Math.max(maxUnacked, unacked);
      const c = chunks.shift();
      if (c !== undefined && !lose(c)) receiver.onChunk(c);
      while (acks.length > 0) sender.onAck(acks.shift()!);
    }
  };
  return { sender, receiver, chunks, delivered, refused, logs, run, maxUnacked: () => maxUnacked };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('a snapshot sent in chunks', () => {
  it('arrives whole and equal, with never more than the window unacknowledged', () => {
    const p = pair({ window: 3 });
    const message = install(40, 200 * 1024); // about 8 MiB: many chunks
    p.sender.offer(message);
    p.run();
    expect(p.delivered).toEqual([message]);
    expect(p.maxUnacked()).toBeLessThanOrEqual(3 * CHUNK_BYTES);
    expect(p.sender.stats).toMatchObject({ started: 1, completed: 1, aborted: 0 });
    expect(p.sender.busy).toBe(false);
  });

  it('ignores offers of the snapshot under way, and for a while after it is done', () => {
    const p = pair();
    const message = install(20, 100 * 1024);
    p.sender.offer(message);
    p.sender.offer(message);
    p.run();
    p.sender.offer(message);
    p.run();
    expect(p.delivered).toHaveLength(1);
    expect(p.sender.stats.started).toBe(1);
  });

  it('starts over for a newer term (the old one, larger than the window, never completes)', () => {
    const p = pair();
    p.sender.offer(install(40, 200 * 1024, 5));
    p.sender.offer(install(40, 200 * 1024, 6));
    p.run();
    expect(p.delivered.map((m) => m.term)).toEqual([6]);
    expect(p.sender.stats).toMatchObject({ started: 2, completed: 1, aborted: 1 });
  });

  it('drops the transfer at a lost chunk; the next offer starts over and finishes', () => {
    const p = pair();
    const message = install(30, 100 * 1024);
    p.sender.offer(message);
    let seen = 0;
    p.run((c) => c.offset > 0 && ++seen === 1);
    expect(p.delivered).toEqual([]);
    expect(p.sender.stats).toMatchObject({ started: 1, aborted: 1 });
    expect(p.logs.join('\n')).toMatch(/refused the transfer/);
    p.sender.offer(message);
    p.run();
    expect(p.delivered).toEqual([message]);
  });

  it('drops a transfer with no acknowledged progress for the stall time', () => {
    vi.useFakeTimers();
    const p = pair();
    p.sender.offer(install(30, 100 * 1024));
    expect(p.sender.busy).toBe(true);
    vi.advanceTimersByTime(10_001);
    expect(p.sender.busy).toBe(false);
    expect(p.logs.join('\n')).toMatch(/no progress acknowledged/);
  });

  it('refuses a stream past the size limit, and a chunk from the middle of a transfer it does not hold', () => {
    const p = pair({ maxSnapshotBytes: 2 * CHUNK_BYTES });
    p.sender.offer(install(30, 100 * 1024));
    p.run();
    expect(p.delivered).toEqual([]);
    expect(p.refused.join('\n')).toMatch(/over the limit of 2097152 bytes/);
    const lost = pair();
    lost.sender.offer(install(30, 100 * 1024));
    lost.chunks.shift(); // the first chunk never arrives
    lost.run();
    expect(lost.delivered).toEqual([]);
    expect(lost.sender.stats.aborted).toBe(1);
  });
});
