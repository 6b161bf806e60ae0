/**
 * The disks' fault model beyond "unsynced writes are lost on a crash": how long each fsync takes
 * (the scenario's range, an occasional spike, a node's slow disk), and what a crash keeps of the
 * unsynced writes (`disk.crashKeepsPrefixRatio`: a prefix, drawn from the seed). Each kind of draw
 * has its own child generator, so that turning one on shifts no other draw.
 */
import type { KvCommand } from '../kv/types.js';
import type { PersistRequest } from '../raft/ready.js';
import type { CrashKeep } from './disk.js';
import { TraceCode } from './events.js';
import type { Prng } from './prng.js';
import type { Scenario } from './scenario.js';
import type { Trace } from './trace.js';

export class DiskFaults {
  private readonly fsyncPrng: Prng;
  private readonly spikePrng: Prng;
  private readonly crashPrng: Prng;
  /** Per node (1-based): a slow disk's factor and end (factor 1: not slow). */
  private readonly slowFactor: Int32Array;
  private readonly slowUntil: Float64Array;

  constructor(private readonly scenario: Scenario, prng: Prng, private readonly trace: Trace) {
    // 'disk' is the label the fsync times always used: runs without disk faults stay the same.
    this.fsyncPrng = prng.child('disk');
    this.spikePrng = prng.child('disk-spike');
    this.crashPrng = prng.child('disk-crash');
    this.slowFactor = new Int32Array(scenario.nodes + 1).fill(1);
    this.slowUntil = new Float64Array(scenario.nodes + 1);
  }

  /**
   * How long the fsync of a write issued now on `node` takes, given when the disk starts on it
   * (after the writes before it). A slow disk slows the writes it serves during its window, not
   * every write issued then: a backlog built up in the window drains at normal speed after it.
   */
  fsyncMs(node: number, now: number, serviceStart: number): number {
    const t = this.scenario.timing;
    const disk = this.scenario.disk;
    let ms = this.fsyncPrng.rangeInclusive(t.fsyncMsMin, t.fsyncMsMax);
    if (this.slowFactor[node] !== 1 && serviceStart < this.slowUntil[node]!) ms *= this.slowFactor[node]!;
    if (disk.fsyncSpikeMsMax > 0 && this.spikePrng.chance(disk.fsyncSpikeRatio)) {
      const spike = this.spikePrng.rangeInclusive(1, disk.fsyncSpikeMsMax);
      this.trace.note(() => ({ t: now, ev: 'fsync-spike', node, ms: spike }), TraceCode.fsyncSpike, now, node, spike);
      ms += spike;
    }
    return ms;
  }

  /** The node's fsyncs take `factor` times longer until `until`. */
  slow(node: number, factor: number, until: number): void {
    this.slowFactor[node] = factor;
    this.slowUntil[node] = until;
  }

  /** The final heal: every disk is fast again. */
  heal(): void {
    this.slowFactor.fill(1);
    this.slowUntil.fill(0);
  }

  /**
   * For a machine with the storage engine: the generator a crash draws what its file system keeps
   * from (a prefix of each file's unsynced changes, maybe torn), with the scenario's chance; null:
   * every unsynced change is lost.
   */
  crashKeepPrng(): Prng | null {
    const ratio = this.scenario.disk.crashKeepsPrefixRatio;
    return ratio > 0 && this.crashPrng.chance(ratio) ? this.crashPrng : null;
  }

  /**
   * What a crash keeps of the unsynced writes, or null for nothing: with the scenario's chance, a
   * prefix of 0..all whole writes, and half the time a torn next write (a strict prefix of its
   * entries with its hard state and snapshot).
   */
  crashChooser(): ((pending: readonly PersistRequest<KvCommand>[]) => CrashKeep) | null {
    const ratio = this.scenario.disk.crashKeepsPrefixRatio;
    if (ratio <= 0) return null;
    return (pending) => {
      const prng = this.crashPrng;
      if (!prng.chance(ratio)) return { whole: 0, tornEntries: null };
      const whole = prng.rangeInclusive(0, pending.length);
      const next = pending[whole];
      const torn = next !== undefined && next.entries.length > 0 && prng.chance(0.5);
      return { whole, tornEntries: torn ? prng.int(next.entries.length) : null };
    };
  }
}
