import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/raft/index.js';
import { Cluster, HEARTBEAT } from './harness.js';

function entryAppendsTo(messages: Message<string>[], to: number): number {
  return messages.filter((m) => m.type === 'AppendEntries' && m.to === to && m.entries.length > 0).length;
}

describe('inflight window (flow control, after etcd\'s Inflights)', () => {
  it('never has more than maxInflightAppends entry-carrying appends unanswered per follower', () => {
    // Arrange: window 2, batches of 1; all traffic to n2 is held (neither delivered nor answered).
    const cluster = new Cluster(3, { maxInflightAppends: 2, maxEntriesPerAppend: 1 });
    cluster.campaign(1);
    const held: Message<string>[] = [];
    cluster.drop = (m) => {
      if (m.to === 2) held.push(m);
      return m.to === 2;
    };
    // Act: ten proposals.
    for (let k = 0; k < 10; k++) cluster.node(1).propose(`p${k}`);
    cluster.deliverAll();
    // Assert: two went out to n2; the rest wait; n3 still got everything.
    expect(entryAppendsTo(held, 2)).toBe(2);
    expect(cluster.node(1).progressOf(2)).toMatchObject({ state: 'replicate', inflightAppends: 2 });
    expect(cluster.node(3).lastIndex).toBe(11);
  });

  it('batches up to maxEntriesPerAppend entries per message once the window has room', () => {
    const cluster = new Cluster(2, { maxInflightAppends: 1, maxEntriesPerAppend: 4 });
    cluster.campaign(1);
    const sizes: number[] = [];
    cluster.drop = (m) => {
      if (m.type === 'AppendEntries' && m.entries.length > 0) sizes.push(m.entries.length);
      return false;
    };
    for (let k = 0; k < 9; k++) cluster.node(1).propose(`p${k}`);
    cluster.deliverAll();
    // The first proposal goes alone; the rest queue behind it and go in batches of ≤ 4.
    expect(sizes).toEqual([1, 4, 4]);
    expect(cluster.node(2).lastIndex).toBe(10);
  });

  it('recovers when every inflight append to a follower is lost: drops the window and probes again', () => {
    // Arrange: window 2; every entry-carrying append to n2 is lost for a while.
    const cluster = new Cluster(3, { maxInflightAppends: 2, maxEntriesPerAppend: 1 });
    cluster.campaign(1);
    let lossy = true;
    cluster.drop = (m) => lossy && m.to === 2 && m.type === 'AppendEntries' && m.entries.length > 0;
    for (let k = 0; k < 5; k++) cluster.node(1).propose(`p${k}`);
    cluster.deliverAll();
    expect(cluster.node(1).progressOf(2)).toMatchObject({ inflightAppends: 2, matchIndex: 1 });
    // Act: the loss stops; only heartbeat rounds pass (no new proposals to trigger a send).
    lossy = false;
    cluster.tickAll(HEARTBEAT * 4);
    // Assert: n2 caught up completely.
    expect(cluster.node(2).lastIndex).toBe(6);
    expect(cluster.node(2).commitIndex).toBe(6);
    expect(cluster.node(1).progressOf(2)).toMatchObject({ matchIndex: 6, state: 'replicate' });
  });

  it('recovers when the acknowledgements (not the appends) are lost', () => {
    const cluster = new Cluster(3, { maxInflightAppends: 1, maxEntriesPerAppend: 1 });
    cluster.campaign(1);
    let lossy = true;
    cluster.drop = (m) => lossy && m.from === 2 && m.type === 'AppendEntriesResponse';
    for (let k = 0; k < 3; k++) cluster.node(1).propose(`p${k}`);
    cluster.deliverAll();
    lossy = false;
    cluster.tickAll(HEARTBEAT * 6);
    expect(cluster.node(1).progressOf(2)).toMatchObject({ matchIndex: 4 });
    expect(cluster.node(2).commitIndex).toBe(4);
  });

  it('a leader whose messages are often lost still commits everything (liveness under loss)', () => {
    // Arrange: drop every third message, deterministically.
    const cluster = new Cluster(5, { maxInflightAppends: 2, maxEntriesPerAppend: 2 });
    cluster.campaign(1);
    let count = 0;
    cluster.drop = () => ++count % 3 === 0;
    // Act: proposals under loss, then ticks (heartbeats, retries). Elections may happen.
    const accepted: string[] = [];
    for (let k = 0; k < 20; k++) {
      const leader = cluster.leaders()[0];
      if (leader !== undefined && cluster.node(leader).propose(`p${k}`).ok) accepted.push(`p${k}`);
      cluster.tickAll(1);
    }
    cluster.drop = () => false;
    cluster.tickAll(40);
    // Assert: one leader; every node applied the same log, containing what was accepted in the
    // leader's final term at least; the logs agree everywhere.
    expect(cluster.leaders()).toHaveLength(1);
    const reference = cluster.app(cluster.leaders()[0]!).map((e) => `${e.index}/${e.term}/${e.command}`);
    for (const id of cluster.ids) {
      expect(cluster.app(id).map((e) => `${e.index}/${e.term}/${e.command}`)).toEqual(reference);
    }
    expect(accepted.length).toBeGreaterThan(10);
    const applied = new Set(reference.map((s) => s.split('/')[2]));
    expect(accepted.filter((c) => applied.has(c)).length).toBeGreaterThan(10);
  });
});
