import { describe, expect, it } from 'vitest';
import { SimDisk } from '../../src/sim/disk.js';
import { EVENT_QUEUE_MAX, EventQueue } from '../../src/sim/eventQueue.js';
import type { Scheduled } from '../../src/sim/eventQueue.js';
import { HELD_PER_LINK_MAX, Network } from '../../src/sim/network.js';
import { MESSAGE_EVENTS_MAX } from '../../src/sim/world.js';
import { Prng } from '../../src/sim/prng.js';
import { Trace } from '../../src/sim/trace.js';

describe('Prng', () => {
  it('gives the same draws for the same seed and different draws for another', () => {
    const a = new Prng('7');
    const b = new Prng('7');
    const c = new Prng('8');
    const draw = (p: Prng) => Array.from({ length: 20 }, () => p.int(1000));
    const first = draw(a);
    expect(draw(b)).toEqual(first);
    expect(draw(c)).not.toEqual(first);
  });

  it('gives child generators that do not shift when a sibling draws more', () => {
    const root = new Prng('1');
    const alone = root.child('network').int(1_000_000);
    const root2 = new Prng('1');
    root2.child('disk').int(5);
    root2.child('disk').int(5);
    expect(root2.child('network').int(1_000_000)).toBe(alone);
  });

  it('keeps rangeInclusive within bounds and reaches both ends', () => {
    const prng = new Prng('range');
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const value = prng.rangeInclusive(3, 6);
      expect(value).toBeGreaterThanOrEqual(3);
      expect(value).toBeLessThanOrEqual(6);
      seen.add(value);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });
});

describe('EventQueue', () => {
  it('orders by time, then by insertion', () => {
    const queue = new EventQueue<Scheduled & { name: string }>();
    const names = ['c5', 'a1', 'b1', 'd0', 'e5', 'f1'];
    for (const name of names) queue.push({ time: Number(name[1]), seq: 0, name });
    const order: string[] = [];
    while (queue.size > 0) order.push(queue.pop()!.name);
    expect(order).toEqual(['d0', 'a1', 'b1', 'f1', 'c5', 'e5']);
  });

  it('refuses to grow past its bound, loudly (a runaway schedule is a simulator bug)', () => {
    const queue = new EventQueue<Scheduled>(3);
    for (let k = 0; k < 3; k++) queue.push({ time: k, seq: 0 });
    expect(() => queue.push({ time: 9, seq: 0 })).toThrow(/over its bound of 3/);
    queue.pop();
    expect(() => queue.push({ time: 9, seq: 0 })).not.toThrow();
    // Messages are refused (World.send) long before the queue's own bound.
    expect(MESSAGE_EVENTS_MAX).toBeLessThan(EVENT_QUEUE_MAX);
  });

  it('stays ordered under many random pushes and pops', () => {
    const prng = new Prng('heap');
    const queue = new EventQueue<Scheduled>();
    let last = { time: -1, seq: -1 };
    for (let round = 0; round < 5000; round++) {
      queue.push({ time: prng.int(100) + Math.max(last.time, 0), seq: 0 });
      if (prng.chance(0.5)) {
        const event = queue.pop()!;
        expect(event.time > last.time || (event.time === last.time && event.seq > last.seq)).toBe(true);
        last = event;
      }
    }
  });
});

describe('Network', () => {
  const options = { nodes: 5, latencyMsMin: 1, latencyMsMean: 3, latencyMsMax: 20, dropRatio: 0, duplicateRatio: 0 };

  it('partitions into groups and heals', () => {
    const network = new Network<string>(options, new Prng('n'));
    network.partition([[1, 2], [3, 4, 5]]);
    expect(network.isBlocked(1, 2)).toBe(false);
    expect(network.isBlocked(1, 3)).toBe(true);
    expect(network.isBlocked(4, 2)).toBe(true);
    expect(network.isBlocked(4, 5)).toBe(false);
    network.heal();
    expect(network.isBlocked(1, 3)).toBe(false);
  });

  it('blocks one way only', () => {
    const network = new Network<string>(options, new Prng('n'));
    network.blockOneWay(2, 3);
    expect(network.isBlocked(2, 3)).toBe(true);
    expect(network.isBlocked(3, 2)).toBe(false);
  });

  it('holds messages on a link and releases them in order', () => {
    const network = new Network<string>(options, new Prng('n'));
    network.hold(1, 2);
    expect(network.isHeld(1, 2)).toBe(true);
    network.keep(1, 2, 'a');
    network.keep(1, 2, 'b');
    expect(network.heldLinkList()).toEqual([[1, 2]]);
    expect(network.release(1, 2)).toEqual(['a', 'b']);
    expect(network.isHeld(1, 2)).toBe(false);
  });

  it('keeps at most HELD_PER_LINK_MAX messages per held link, refusing and counting the rest', () => {
    const network = new Network<number>(options, new Prng('n'));
    network.hold(1, 2);
    for (let k = 0; k < HELD_PER_LINK_MAX; k++) expect(network.keep(1, 2, k)).toBe(true);
    expect(network.keep(1, 2, -1)).toBe(false);
    expect(network.keep(1, 2, -2)).toBe(false);
    expect(network.heldRefused).toBe(2);
    // Another link has its own room.
    network.hold(2, 1);
    expect(network.keep(2, 1, 0)).toBe(true);
    const kept = network.release(1, 2);
    expect(kept).toHaveLength(HELD_PER_LINK_MAX);
    expect(kept.at(-1)).toBe(HELD_PER_LINK_MAX - 1);
  });

  it('draws latencies within [min, max] with jitter', () => {
    const network = new Network<string>(options, new Prng('lat'));
    const latencies = Array.from({ length: 1000 }, () => network.latency());
    expect(Math.min(...latencies)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...latencies)).toBeLessThanOrEqual(20);
    expect(new Set(latencies).size).toBeGreaterThan(3);
  });
});

describe('SimDisk', () => {
  const entry = (index: number, term: number) => ({ index, term, command: `c${index}` });

  it('loses writes whose fsync has not completed at a crash', () => {
    const disk = new SimDisk<string>();
    disk.write({ id: 1, hardState: { term: 1, votedFor: 1 }, snapshot: null, entries: [entry(1, 1)] }, 0, 2);
    disk.write({ id: 2, hardState: { term: 2, votedFor: 2 }, snapshot: null, entries: [entry(2, 2)] }, 0, 2);
    expect(disk.completeOldest()).toBe(1);
    expect(disk.crash()).toBe(1);
    const state = disk.recover();
    expect(state.hardState).toEqual({ term: 1, votedFor: 1 });
    expect(state.entries.map((e) => e.index)).toEqual([1]);
  });

  it('completes fsyncs serially: a later write never finishes before an earlier one', () => {
    const disk = new SimDisk<string>();
    const first = disk.write({ id: 1, hardState: null, snapshot: null, entries: [entry(1, 1)] }, 10, 5);
    const second = disk.write({ id: 2, hardState: null, snapshot: null, entries: [entry(2, 1)] }, 11, 1);
    expect(first).toBe(15);
    expect(second).toBe(16);
  });

  it('truncates from the first written index and keeps the suffix after a matching snapshot', () => {
    const disk = new SimDisk<string>();
    disk.write({ id: 1, hardState: null, snapshot: null, entries: [entry(1, 1), entry(2, 1), entry(3, 1)] }, 0, 1);
    disk.write({ id: 2, hardState: null, snapshot: null, entries: [entry(3, 2), entry(4, 2)] }, 0, 1);
    disk.write({ id: 3, hardState: null, snapshot: { lastIncludedIndex: 3, lastIncludedTerm: 2, data: 'S' }, entries: [] }, 0, 1);
    disk.completeOldest();
    disk.completeOldest();
    disk.completeOldest();
    const state = disk.recover();
    expect(state.snapshot?.lastIncludedIndex).toBe(3);
    expect(state.entries.map((e) => [e.index, e.term])).toEqual([[4, 2]]);
  });
});

describe('Trace', () => {
  it('hashes the same events the same way and different events differently', () => {
    const a = new Trace(false);
    const b = new Trace(false);
    const c = new Trace(false);
    for (const t of [a, b]) t.mix(1, 10, 2, 3);
    c.mix(1, 10, 2, 4);
    expect(a.hash()).toBe(b.hash());
    expect(a.hash()).not.toBe(c.hash());
    expect(a.hash()).toMatch(/^[0-9a-f]{16}$/);
  });
});
