/**
 * The world's side of runs on the real storage engine (scenario `disk.storage: "engine"`): booting
 * and restarting a machine by opening the engine on its files (asynchronous, in virtual time),
 * handing it the node's writes, crashing it, and the disk faults only a real file system can
 * have (damage at rest, a full disk). What recovery returns is judged by the recovery check
 * (recoveryCheck.ts) before the node starts from it.
 */
import type { KvCommand } from '../kv/types.js';
import type { PersistRequest } from '../raft/ready.js';
import type { DurableState } from '../raft/types.js';
import { isStorageRefusal, StorageCorruptError } from '../storage/index.js';
import { EngineDisk } from './engineDisk.js';
import { TraceCode } from './events.js';
import type { NodeHost } from './host.js';
import { keepForPaused } from './pauses.js';
import { RecoveryCheck } from './recoveryCheck.js';
import { traceEngineCrash, traceFsync } from './traceCodec.js';
import type { CrashSummary } from './simfs/index.js';
import type { World } from './world.js';

/** How long a machine's supervisor waits before it starts a process that exited on its own again. */
export const SUPERVISOR_RESTART_MS = 1000;

export class EngineHosts {
  readonly check: RecoveryCheck;
  private readonly disks: EngineDisk[] = [];
  /** Wake-ups the engines and their file systems asked for, by token (see World.wake). */
  private readonly wakes = new Map<number, () => void>();
  private nextWake = 1;
  /** Per machine: when its disk-full fault ends (0: not full). */
  private readonly fullUntil: number[] = [];
  /** Machines that took damage at rest this run (see mayDamage). */
  private readonly damagedHosts = new Set<number>();
  /** Set when an engine was called during the current event: the world then settles (settle.ts). */
  touched = false;

  constructor(private readonly world: World) {
    this.check = new RecoveryCheck(world.options.scenario.nodes);
    for (const host of world.hosts) {
      this.fullUntil[host.id] = 0;
      this.disks[host.id] = new EngineDisk({
        now: () => world.now,
        wake: (ms, fn) => this.wakeAfter(host, ms, fn),
        fsyncMs: (serviceStart) => world.disks.fsyncMs(host.id, world.now, serviceStart),
        touched: () => { this.touched = true; },
      }, world.options.factories?.storage);
    }
  }

  disk(host: NodeHost): EngineDisk {
    return this.disks[host.id]!;
  }

  /** The wake event: runs the callback unless its machine crashed since it was asked for. */
  onWake(node: number, incarnation: number, token: number): void {
    const fn = this.wakes.get(token);
    this.wakes.delete(token);
    if (fn === undefined || this.world.host(node).incarnation !== incarnation) return;
    this.touched = true;
    fn();
  }

  private wakeAfter(host: NodeHost, ms: number, fn: () => void): () => void {
    const token = this.nextWake++;
    this.wakes.set(token, fn);
    this.world.schedule({ kind: 'wake', node: host.id, incarnation: host.incarnation, token }, ms);
    return () => this.wakes.delete(token);
  }

  /** The machine loses power while up: the engine dies, the file system keeps what its crash model keeps. */
  crash(host: NodeHost): CrashSummary {
    host.stop();
    return this.disk(host).crash(this.world.disks.crashKeepPrng());
  }

  /** The machine loses power while its engine is still recovering: the start is abandoned. */
  crashWhileOpening(host: NodeHost): void {
    host.stop();
    const summary = this.disk(host).crash(this.world.disks.crashKeepPrng());
    traceEngineCrash(this.world.trace, this.world.now, host.id, summary);
  }

  /** The node learned entries through `index` are committed (the engine records it with its next write). */
  noteCommitted(host: NodeHost, index: number): void {
    this.disk(host).noteCommitted(index);
  }

  /** The node hands a write to its engine; the driver hears of it when the engine says it is durable. */
  startWrite(host: NodeHost, request: PersistRequest<KvCommand>): void {
    const incarnation = host.incarnation;
    this.check.started(host.id, request);
    host.writesInFlight++;
    this.disk(host).persist(request).then(
      () => this.guard(host, incarnation, () => this.durable(host, request)),
      (error: unknown) => this.guard(host, incarnation, () => this.failed(host, error)),
    );
  }

  private durable(host: NodeHost, request: PersistRequest<KvCommand>): void {
    const world = this.world;
    host.writesInFlight--;
    this.check.acknowledged(host.id, request);
    world.monitor.onDurable(host.id, request);
    traceFsync(world.trace, world.now, host.id, request.id);
    if (host.paused) return keepForPaused(world, host, { kind: 'fsync', id: request.id });
    world.driver(host).persisted(request.id);
  }

  /** The engine failed a write (a full disk, say): it is fail-stop, so the process exits. */
  private failed(host: NodeHost, error: unknown): void {
    const why = error instanceof Error ? error.message : String(error);
    const now = this.world.now;
    this.world.trace.note(() => ({ t: now, ev: 'storage-failed', node: host.id, why }), TraceCode.storageFailed, now, host.id);
    this.world.crashNode(host);
    this.superviseRestart(host);
  }

  /**
   * The machine's supervisor (systemd's Restart=always) starts a process that exited on its own
   * again after SUPERVISOR_RESTART_MS: a fail-stop exit, or a start its file system refused.
   * Without it, a node that failed after the final heal would stay down and the cluster with it.
   */
  private superviseRestart(host: NodeHost): void {
    this.world.schedule({ kind: 'supervisor-restart', node: host.id, incarnation: host.incarnation }, SUPERVISOR_RESTART_MS);
  }

  /** The supervisor's restart, unless the machine was started or crashed by something else meanwhile. */
  onSupervisorRestart(node: number, incarnation: number): void {
    const host = this.world.host(node);
    if (host.incarnation !== incarnation || host.alive || host.opening) return;
    this.world.restartNode(host);
  }

  /**
   * Opens the engine on the machine's files; the node starts from what it recovers, after the
   * recovery check. A refusal for damage keeps the machine down for good; a refusal of the file
   * system (a full disk) leaves it down until the next restart.
   */
  open(host: NodeHost, started: (recovered: DurableState<KvCommand>) => void): void {
    const incarnation = host.incarnation;
    host.opening = true;
    this.disk(host).open().then(
      (recovered) => this.guard(host, incarnation, () => {
        host.opening = false;
        const notices = this.disk(host).notices;
        if (notices.length > 0) this.world.trace.record({ t: this.world.now, ev: 'recovery', node: host.id, notices: notices.join('; ') });
        const problem = this.check.recovered(host.id, recovered);
        if (problem !== null) {
          this.world.monitor.failRecovery(host.id, `n${host.id} restarted with ${problem}: its storage lost or invented a write without refusing to start`);
          return;
        }
        this.world.monitor.onRecovered(host.id, recovered);
        started(recovered);
      }),
      (error: unknown) => this.guard(host, incarnation, () => {
        host.opening = false;
        if (!isStorageRefusal(error)) throw error;
        this.refused(host, error as Error);
      }),
    );
  }

  private refused(host: NodeHost, error: Error): void {
    const world = this.world;
    const forGood = error instanceof StorageCorruptError;
    if (forGood) {
      host.refused = error.message;
      this.check.discarded(host.id);
      world.monitor.onStorageLost(host.id);
    }
    world.coverage.storageRefused(forGood);
    const now = world.now;
    world.trace.note(() => ({ t: now, ev: 'start-refused', node: host.id, forGood, why: error.message }), TraceCode.startRefused, now, host.id, forGood ? 1 : 0);
    if (!forGood) this.superviseRestart(host);
  }

  /**
   * Whether damage may go to this machine: one already damaged may take more; a new one only while
   * the damaged stay a minority (a node that notices damage stays down for good).
   */
  mayDamage(host: NodeHost): boolean {
    if (host.refused !== null) return false; // down for good already: nothing more to learn from it
    const n = this.world.options.scenario.nodes;
    return this.damagedHosts.has(host.id) || this.damagedHosts.size < Math.floor((n - 1) / 2);
  }

  damaged(host: NodeHost): void {
    this.damagedHosts.add(host.id);
  }

  /** A disk fills up until `until` (a later fault may extend it): writes fail with ENOSPC meanwhile. */
  fillDisk(host: NodeHost, forMs: number): void {
    const until = this.world.now + forMs;
    if (until <= this.fullUntil[host.id]!) return;
    this.fullUntil[host.id] = until;
    this.disk(host).fs.setFull(true);
    this.world.schedule({ kind: 'disk-space', node: host.id, until }, forMs);
  }

  /** The disk-space event: the disk has room again, unless a later fault extended the fill. */
  onDiskSpace(node: number, until: number): void {
    if (this.fullUntil[node] !== until) return;
    this.fullUntil[node] = 0;
    this.disk(this.world.host(node)).fs.setFull(false);
  }

  /** The final heal: every disk has room again. */
  heal(): void {
    for (const host of this.world.hosts) {
      this.fullUntil[host.id] = 0;
      this.disk(host).fs.setFull(false);
    }
  }

  /** Runs a continuation of the engine's for the incarnation that started it; a throw is a crash of ours. */
  private guard(host: NodeHost, incarnation: number, fn: () => void): void {
    if (host.incarnation !== incarnation) return;
    try {
      fn();
    } catch (error) {
      this.world.crashError ??= error instanceof Error ? error : new Error(String(error));
    }
  }
}
