import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_BYTES_PER_APPEND, DEFAULT_MAX_INFLIGHT_BYTES, DEFAULT_MAX_UNCOMMITTED_BYTES, ENTRY_OVERHEAD_BYTES,
  RaftNode, entrySize, resolveRaftConfig, validateRaftConfig,
} from '../../src/raft/index.js';
import type { AppendEntries, Message } from '../../src/raft/index.js';
import { Cluster, makeConfig } from './harness.js';

/** A command whose entry costs exactly `bytes` (a string counts its length plus two quotes). */
function sized(bytes: number, tag = 'x'): string {
  const body = bytes - ENTRY_OVERHEAD_BYTES - 2;
  if (body < tag.length) throw new Error(`sized: ${bytes} bytes is too small`);
  return tag + '.'.repeat(body - tag.length);
}

function appendsTo(messages: readonly Message<string>[], to: number): AppendEntries<string>[] {
  return messages.filter((m): m is AppendEntries<string> => m.type === 'AppendEntries' && m.to === to && m.entries.length > 0);
}

function bytesOf(m: AppendEntries<string>): number {
  return m.entries.reduce((sum, e) => sum + entrySize(e), 0);
}

describe('entry size', () => {
  it('is the overhead plus about the JSON length of the command; a no-op is the overhead alone', () => {
    expect(entrySize({ index: 1, term: 1, command: null })).toBe(ENTRY_OVERHEAD_BYTES);
    expect(entrySize({ index: 1, term: 1, command: 'abc' })).toBe(ENTRY_OVERHEAD_BYTES + JSON.stringify('abc').length);
    const command = { clientId: 7, seq: 12, op: { f: 'put', key: 'k1', value: 'v' }, oneShot: true };
    expect(entrySize({ index: 2, term: 1, command })).toBe(ENTRY_OVERHEAD_BYTES + JSON.stringify(command).length);
    expect(entrySize({ index: 3, term: 1, command: sized(90) })).toBe(90);
  });
});

describe('byte limits (after etcd-raft MaxSizePerMsg, MaxInflightBytes, MaxUncommittedEntriesSize)', () => {
  it('cuts an AppendEntries at maxBytesPerAppend, besides the count limit', () => {
    // Arrange: window of one append, up to 10 entries of 40 bytes, but at most 100 bytes per append.
    const cluster = new Cluster(2, { maxInflightAppends: 1, maxEntriesPerAppend: 10, maxBytesPerAppend: 100 });
    cluster.campaign(1);
    const sent: Message<string>[] = [];
    cluster.drop = (m) => (sent.push(m), false);
    // Act: six proposals; the first goes alone, the rest queue behind the window.
    for (let k = 0; k < 6; k++) expect(cluster.node(1).propose(sized(40, `p${k}`)).ok).toBe(true);
    cluster.deliverAll();
    // Assert: batches of two (80 bytes: a third would make 120), never over 100 bytes.
    const appends = appendsTo(sent, 2);
    expect(appends.map((m) => m.entries.length)).toEqual([1, 2, 2, 1]);
    for (const m of appends) expect(bytesOf(m)).toBeLessThanOrEqual(100);
    expect(cluster.node(2).lastIndex).toBe(7);
  });

  it('sends an entry larger than maxBytesPerAppend alone, so it is never stuck', () => {
    const cluster = new Cluster(2, { maxInflightAppends: 1, maxEntriesPerAppend: 10, maxBytesPerAppend: 50 });
    cluster.campaign(1);
    const sent: Message<string>[] = [];
    cluster.drop = (m) => (sent.push(m), false);
    const big = sized(200, 'big');
    for (const command of [sized(30, 'a'), big, sized(30, 'c'), sized(30, 'd')]) cluster.node(1).propose(command);
    cluster.deliverAll();
    const appends = appendsTo(sent, 2);
    expect(appends.map((m) => m.entries.map((e) => e.command![0]))).toEqual([['a'], ['b'], ['c'], ['d']]);
    expect(appends[1]!.entries).toHaveLength(1);
    expect(appends[1]!.entries[0]!.command).toBe(big);
    // c and d are 60 bytes together, over the 50-byte cut, so they go one by one too.
    expect(cluster.node(2).lastIndex).toBe(5);
    expect(cluster.node(1).commitIndex).toBe(5);
  });

  it('stops sending to a follower whose byte window is full until it acknowledges', () => {
    // Arrange: a count window that never binds (100), one entry per append, a 100-byte window.
    const cluster = new Cluster(3, { maxInflightAppends: 100, maxEntriesPerAppend: 1, maxInflightBytes: 100 });
    cluster.campaign(1);
    const held: Message<string>[] = [];
    cluster.drop = (m) => {
      if (m.to === 2 && m.type === 'AppendEntries') held.push(m);
      return m.to === 2 && m.type === 'AppendEntries';
    };
    // Act: ten proposals of 40 bytes each; n2 hears nothing.
    for (let k = 0; k < 10; k++) cluster.node(1).propose(sized(40, `p${k}`));
    cluster.deliverAll();
    // Assert: two appends (80 bytes) are out; a third (120) would overflow the window, so n2 waits.
    expect(appendsTo(held, 2)).toHaveLength(2);
    expect(cluster.node(1).progressOf(2)).toMatchObject({ state: 'replicate', inflightAppends: 2, inflightBytes: 80 });
    expect(cluster.node(3).lastIndex).toBe(11);
    // Act: n2 gets the held appends and answers them.
    cluster.drop = () => false;
    const release = held.splice(0);
    cluster.inFlight.push(...release);
    cluster.deliverAll();
    // Assert: the acknowledgements freed the window and the rest went out; nothing is left in flight.
    expect(cluster.node(2).lastIndex).toBe(11);
    expect(cluster.node(1).progressOf(2)).toMatchObject({ inflightAppends: 0, inflightBytes: 0 });
  });

  it("keeps a follower's bytes in flight within the window at every send, even with large batches", () => {
    const cluster = new Cluster(2, { maxInflightAppends: 8, maxEntriesPerAppend: 64, maxInflightBytes: 150 });
    cluster.campaign(1);
    let maxSeen = 0;
    cluster.drop = () => {
      const inflight = cluster.node(1).progressOf(2)?.inflightBytes ?? 0;
      maxSeen = Math.max(maxSeen, inflight);
      return false;
    };
    for (let k = 0; k < 30; k++) cluster.node(1).propose(sized(25 + (k % 5) * 10, `p${k}`));
    cluster.deliverAll();
    expect(maxSeen).toBeGreaterThan(0);
    expect(maxSeen).toBeLessThanOrEqual(150);
    expect(cluster.node(2).lastIndex).toBe(31);
  });

  it('refuses proposals past maxUncommittedBytes, and accepts again once they commit', () => {
    const cluster = new Cluster(3, { maxUncommittedBytes: 100 });
    cluster.campaign(1);
    const leader = cluster.node(1);
    expect(leader.uncommittedBytes).toBe(0);
    // Cut the leader off: nothing it proposes can commit.
    cluster.drop = (m) => m.from === 1 || m.to === 1;
    expect(leader.propose(sized(40, 'a'))).toMatchObject({ ok: true });
    expect(leader.propose(sized(40, 'b'))).toMatchObject({ ok: true });
    const lastBefore = leader.lastIndex;
    // 80 + 40 > 100: refused, and nothing is appended.
    expect(leader.propose(sized(40, 'c'))).toEqual({ ok: false, reason: 'uncommitted-limit' });
    expect(leader.lastIndex).toBe(lastBefore);
    expect(leader.uncommittedBytes).toBe(80);
    // A smaller one still fits (80 + 20 ≤ 100).
    expect(leader.propose(sized(20, 'd'))).toMatchObject({ ok: true }); // body: 'd' + one dot
    expect(leader.uncommittedBytes).toBe(100);
    // Heal: the next heartbeats carry everything; once committed the budget is free again.
    cluster.drop = () => false;
    cluster.tickAll(4);
    expect(leader.role).toBe('leader');
    expect(leader.commitIndex).toBe(leader.lastIndex);
    expect(leader.uncommittedBytes).toBe(0);
    expect(leader.propose(sized(40, 'e'))).toMatchObject({ ok: true });
  });

  it('always admits a proposal when nothing is uncommitted, however large', () => {
    const cluster = new Cluster(3, { maxUncommittedBytes: 50 });
    cluster.campaign(1);
    expect(cluster.node(1).propose(sized(500, 'huge'))).toMatchObject({ ok: true });
    expect(cluster.node(1).propose(sized(30, 'next'))).toEqual({ ok: false, reason: 'uncommitted-limit' });
    cluster.deliverAll();
    expect(cluster.node(1).commitIndex).toBe(cluster.node(1).lastIndex);
    expect(cluster.node(1).propose(sized(30, 'next'))).toMatchObject({ ok: true });
  });

  it('a follower or candidate has no uncommitted budget; not-leader is still the refusal there', () => {
    const cluster = new Cluster(3);
    cluster.campaign(1);
    expect(cluster.node(2).uncommittedBytes).toBeNull();
    expect(cluster.node(2).propose('x')).toEqual({ ok: false, reason: 'not-leader', leaderHint: 1 });
  });

  it('validates the byte limits and fills in the defaults', () => {
    expect(validateRaftConfig(makeConfig(1, [1], { maxBytesPerAppend: 0 }))).toMatch(/maxBytesPerAppend/);
    expect(validateRaftConfig(makeConfig(1, [1], { maxInflightBytes: 1.5 }))).toMatch(/maxInflightBytes/);
    expect(validateRaftConfig(makeConfig(1, [1], { maxUncommittedBytes: -1 }))).toMatch(/maxUncommittedBytes/);
    expect(validateRaftConfig(makeConfig(1, [1], {}))).toBeNull();
    expect(() => new RaftNode<string>(makeConfig(1, [1], { maxInflightBytes: 0 }))).toThrow(/maxInflightBytes/);
    expect(resolveRaftConfig(makeConfig(1, [1]))).toMatchObject({
      maxBytesPerAppend: DEFAULT_MAX_BYTES_PER_APPEND, maxInflightBytes: DEFAULT_MAX_INFLIGHT_BYTES, maxUncommittedBytes: DEFAULT_MAX_UNCOMMITTED_BYTES,
    });
    expect(resolveRaftConfig(makeConfig(1, [1], { maxInflightBytes: 7 })).maxInflightBytes).toBe(7);
  });
});
