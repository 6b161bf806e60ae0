/**
 * A simulated machine's disk when the run uses the real storage engine (src/storage): the engine,
 * exactly as the runtime runs it, over an in-memory file system in virtual time (src/sim/simfs).
 * Only the world is fake: fsyncs take the scenario's virtual time (spikes and slow disks
 * included), a crash keeps what the file system's crash model keeps of unsynced data, and faults
 * at rest damage what was synced. The file system outlives the engine: a restart opens a new
 * engine on the same files, and recovery decides what the node starts from, or refuses.
 */
import type { KvCommand } from '../kv/types.js';
import type { PersistRequest } from '../raft/ready.js';
import type { DurableState } from '../raft/types.js';
import { openStorage } from '../storage/index.js';
import { KV_SNAPSHOT_CODEC } from '../storage/kvSnapshotCodec.js';
import type { DirLock, NodeStorage, StorageEnv, StorageVariant } from '../storage/index.js';
import type { Prng } from './prng.js';
import { SimFileSystem } from './simfs/index.js';
import type { CrashSummary } from './simfs/index.js';

/** Where each simulated machine keeps its data (one machine, one file system). */
export const SIM_DATA_DIR = '/var/lib/raftsim';
/**
 * Segments roll at this size in the simulator (the runtime's default is 64 MiB): small enough that
 * runs roll segments, and snapshots delete them, many times over.
 */
export const SIM_SEGMENT_BYTES = 64 * 1024;
/** Each machine's disk; far above what a run writes, so only the disk-full fault fills it. */
export const SIM_DISK_CAPACITY_BYTES = 256 * 1024 * 1024;

/** What the disk needs from the world: virtual time, wake-ups, fsync latency, and notice of activity. */
export interface EngineDiskWorld {
  now(): number;
  /** Calls `fn` after `ms` of virtual time, unless the machine crashed meanwhile; returns a cancel. */
  wake(ms: number, fn: () => void): () => void;
  /** How long an fsync starting at `serviceStart` takes on this machine. */
  fsyncMs(serviceStart: number): number;
  /** The engine was called or its file system was: the world lets its continuations run before the next event. */
  touched(): void;
}

/** One process at a time uses a simulated machine's disk, so the lock is a formality that always succeeds. */
const NO_OTHER_PROCESS: DirLock = { release: () => Promise.resolve() };

export class EngineDisk {
  readonly fs: SimFileSystem;
  private readonly env: StorageEnv;
  private storage: NodeStorage<KvCommand> | null = null;
  /** Recovery's one-line notices since the last open (a torn tail cut), for the trace. */
  readonly notices: string[] = [];

  constructor(private readonly world: EngineDiskWorld, private readonly variant: StorageVariant | undefined = undefined) {
    this.fs = new SimFileSystem({
      scheduler: { now: () => world.now(), after: (ms, fn) => void world.wake(ms, fn) },
      fsyncMs: (serviceStart) => world.fsyncMs(serviceStart),
      capacityBytes: SIM_DISK_CAPACITY_BYTES,
      onCall: () => world.touched(),
    });
    this.env = {
      fs: this.fs,
      clock: { now: () => world.now(), after: (ms, fn) => world.wake(ms, fn) },
      lock: () => Promise.resolve(NO_OTHER_PROCESS),
    };
  }

  /** Opens the engine on the machine's files: what the node restarts from, or a refusal (rejects). */
  async open(): Promise<DurableState<KvCommand>> {
    this.world.touched();
    this.notices.length = 0;
    const storage = await openStorage<KvCommand>(this.env, SIM_DATA_DIR, {
      segmentBytes: SIM_SEGMENT_BYTES, snapshotCodec: KV_SNAPSHOT_CODEC, log: (line) => this.notices.push(line), variant: this.variant,
    });
    this.storage = storage;
    return storage.recovered;
  }

  /** Hands a write to the engine; resolves when the engine reports it durable (group commit). */
  persist(request: PersistRequest<KvCommand>): Promise<void> {
    const storage = this.storage;
    if (storage === null) return Promise.reject(new Error('engine disk: a write with no storage open'));
    this.world.touched();
    return storage.persist(request);
  }

  noteCommitted(index: number): void {
    this.storage?.noteCommitted?.(index);
  }

  /**
   * The power goes: the engine dies with the process (its promises never settle), and the file
   * system keeps what its crash model keeps of unsynced data (`prng` null: nothing).
   */
  crash(prng: Prng | null): CrashSummary {
    this.storage = null;
    return this.fs.crash(prng);
  }
}
