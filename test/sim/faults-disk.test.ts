/**
 * Disk faults: a crash that keeps a prefix of the unsynced writes (whole, then maybe torn), fsync
 * spikes, slow disks, and the trap that crashes a node installing a snapshot from its leader.
 */
import { describe, expect, it } from 'vitest';
import { SimDisk } from '../../src/sim/disk.js';
import { DiskFaults } from '../../src/sim/diskFaults.js';
import { Prng } from '../../src/sim/prng.js';
import { Trace } from '../../src/sim/trace.js';
import type { KvCommand } from '../../src/kv/types.js';
import type { PersistRequest } from '../../src/raft/ready.js';
import { records, runWorld, tinyScenario } from './faultRuns.js';

const entry = (index: number, term: number) => ({ index, term, command: `c${index}` });
const write = (id: number, term: number, entries: ReturnType<typeof entry>[]): PersistRequest<string> =>
  ({ id, hardState: { term, votedFor: 1 }, snapshot: null, entries });

describe('SimDisk.crashKeeping', () => {
  function diskWithThreeUnsynced(): SimDisk<string> {
    const disk = new SimDisk<string>();
    disk.write(write(1, 1, [entry(1, 1)]), 0, 1);
    disk.completeOldest();
    disk.write(write(2, 2, [entry(2, 2)]), 0, 5);
    disk.write(write(3, 3, [entry(3, 3), entry(4, 3), entry(5, 3)]), 0, 5);
    disk.write(write(4, 4, [entry(6, 4)]), 0, 5);
    return disk;
  }

  it('keeps whole writes in order, then a torn one with its hard state and a prefix of its entries', () => {
    const disk = diskWithThreeUnsynced();
    expect(disk.pendingCount).toBe(3);
    const outcome = disk.crashKeeping((pending) => {
      expect(pending.map((p) => p.id)).toEqual([2, 3, 4]);
      return { whole: 1, tornEntries: 2 };
    });
    expect(outcome).toEqual({ lost: 2, kept: 1, tornEntries: 2 });
    const state = disk.recover();
    expect(state.entries.map((e) => e.index)).toEqual([1, 2, 3, 4]);
    // The torn write's hard state came with its entries: no entry above the durable term.
    expect(state.hardState.term).toBe(3);
    expect(disk.pendingCount).toBe(0);
  });

  it('keeps nothing by default, and refuses impossible choices', () => {
    const disk = diskWithThreeUnsynced();
    expect(disk.crash()).toBe(3);
    expect(disk.recover().entries.map((e) => e.index)).toEqual([1]);
    expect(() => diskWithThreeUnsynced().crashKeeping(() => ({ whole: 4, tornEntries: null }))).toThrow(/cannot keep 4 of 3/);
    expect(() => diskWithThreeUnsynced().crashKeeping(() => ({ whole: 1, tornEntries: 3 }))).toThrow(/torn write/);
  });
});

describe('DiskFaults', () => {
  const scenario = (disk: Record<string, number>) => tinyScenario({ disk });
  // The chooser looks only at how many writes and entries there are, not at the commands.
  const pending = [write(2, 2, [entry(2, 2)]), write(3, 3, [entry(3, 3), entry(4, 3)]), write(4, 4, [])] as unknown as PersistRequest<KvCommand>[];

  it('with crashKeepsPrefixRatio 1, always keeps a prefix: every length, torn only within entries', () => {
    const faults = new DiskFaults(scenario({ crashKeepsPrefixRatio: 1 }), new Prng('k'), new Trace(false));
    const choose = faults.crashChooser()!;
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const keep = choose(pending);
      expect(keep.whole).toBeGreaterThanOrEqual(0);
      expect(keep.whole).toBeLessThanOrEqual(pending.length);
      if (keep.tornEntries !== null) expect(keep.tornEntries).toBeLessThan(pending[keep.whole]!.entries.length);
      seen.add(`${keep.whole}/${keep.tornEntries}`);
    }
    for (const key of ['0/null', '1/null', '2/null', '3/null', '0/0', '1/1']) expect(seen).toContain(key);
    expect(new DiskFaults(scenario({}), new Prng('k'), new Trace(false)).crashChooser()).toBeNull();
  });

  it('slow-disk multiplies the fsync time of the writes it serves in its window, not later ones', () => {
    const plain = new DiskFaults(scenario({}), new Prng('s'), new Trace(false));
    const slow = new DiskFaults(scenario({}), new Prng('s'), new Trace(false));
    slow.slow(1, 10, 500);
    for (let i = 0; i < 50; i++) expect(slow.fsyncMs(1, i, i)).toBe(10 * plain.fsyncMs(1, i, i));
    // Issued in the window but served after it (behind a backlog): normal speed.
    expect(slow.fsyncMs(1, 400, 600)).toBe(plain.fsyncMs(1, 400, 600));
    // Other nodes are not slowed; the heal ends it.
    expect(slow.fsyncMs(2, 0, 0)).toBe(plain.fsyncMs(2, 0, 0));
    slow.heal();
    expect(slow.fsyncMs(1, 0, 0)).toBe(plain.fsyncMs(1, 0, 0));
  });

  it('adds a spike of 1..fsyncSpikeMsMax with fsyncSpikeRatio', () => {
    const trace = new Trace(true);
    const plain = new DiskFaults(scenario({}), new Prng('p'), new Trace(false));
    const spiky = new DiskFaults(scenario({ fsyncSpikeRatio: 1, fsyncSpikeMsMax: 100 }), new Prng('p'), trace);
    for (let i = 0; i < 100; i++) {
      const extra = spiky.fsyncMs(1, i, i) - plain.fsyncMs(1, i, i);
      expect(extra).toBeGreaterThanOrEqual(1);
      expect(extra).toBeLessThanOrEqual(100);
    }
    expect(trace.records!.filter((r) => r.ev === 'fsync-spike')).toHaveLength(100);
  });
});

describe('disk faults in runs', () => {
  it('slow-disk on a node makes its fsyncs slower during the window', () => {
    const s = tinyScenario();
    const window = (run: ReturnType<typeof runWorld>) => records(run, 'fsync', (r) => r.node === 1 && Number(r.t) >= 1000 && Number(r.t) < 1500).length;
    const fast = runWorld(s, 3, []);
    const slowed = runWorld(s, 3, [{ atMs: 1000, kind: 'slow-disk', node: 1, factor: 40, forMs: 500 }]);
    expect(records(slowed, 'slow-disk')).toEqual([{ t: 1000, ev: 'slow-disk', node: 1, factor: 40, untilMs: 1500 }]);
    // fsyncs of 1..2 ms become 40..80 ms: at most one every 40 ms.
    expect(window(slowed)).toBeLessThanOrEqual(500 / 40 + 1);
    expect(window(fast)).toBeGreaterThan(window(slowed));
  });

  it('crashes with crashKeepsPrefixRatio 1 keep unsynced writes, and say how many', () => {
    const s = tinyScenario({ timing: { fsyncMsMin: 20, fsyncMsMax: 30 }, disk: { crashKeepsPrefixRatio: 1 } });
    const faults = Array.from({ length: 20 }, (_, i) => ({ atMs: 500 + i * 100, kind: 'crash' as const, node: 'leader' as const, forMs: 50 }));
    const run = runWorld(s, 5, faults);
    const crashes = records(run, 'crash');
    expect(crashes).toHaveLength(20);
    for (const crash of crashes) expect(typeof crash.keptWrites).toBe('number');
    expect(crashes.some((c) => Number(c.keptWrites) > 0)).toBe(true);
    expect(crashes.some((c) => Number(c.lostWrites) > 0)).toBe(true);
    expect(run.world.monitor.violation).toBeNull();
  });
});

describe('crash-next-snapshot-installer', () => {
  // n3 is down while the others compact, so only a snapshot can bring it back.
  const s = tinyScenario({ raft: { snapshotEveryEntries: 20 }, workload: { thinkMsMax: 2 }, durationMs: 4000 });
  const faults = [
    { atMs: 200, kind: 'crash' as const, node: 3 },
    { atMs: 1500, kind: 'crash-next-snapshot-installer' as const, forMs: 300 },
    { atMs: 2000, kind: 'restart' as const, node: 3 },
  ];
  const run = runWorld(s, 4, faults);

  it('crashes the node accepting an InstallSnapshot, before the write\'s fsync, once', () => {
    const traps = records(run, 'trap');
    expect(traps).toHaveLength(1);
    expect(traps[0]).toMatchObject({ node: 3 });
    const t = Number(traps[0]!.t);
    expect(records(run, 'deliver', (r) => r.t === t && r.node === 3 && String(r.msg).includes('InstallSnapshot'))).toHaveLength(1);
    const [crash] = records(run, 'crash', (r) => r.t === t);
    expect(crash).toMatchObject({ node: 3 });
    expect(Number(crash!.lostWrites)).toBeGreaterThanOrEqual(1);
    // It restarts forMs later and catches up from a second snapshot.
    expect(records(run, 'restart', (r) => r.t === t + 300 && r.node === 3)).toHaveLength(1);
    expect(records(run, 'apply', (r) => r.node === 3 && Number(r.t) > t + 300).length).toBeGreaterThan(0);
  });

  it('does not spring on a restart that restores the node\'s own snapshot', () => {
    const restarts = runWorld(s, 4, [
      { atMs: 1500, kind: 'crash-next-snapshot-installer' },
      { atMs: 1600, kind: 'crash-all', forMs: 100 },
    ]);
    expect(records(restarts, 'restart').length).toBe(3);
    expect(records(restarts, 'trap')).toEqual([]);
  });
});
