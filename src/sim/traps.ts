/**
 * Faults tied to protocol moments rather than to times: a trap is armed by a fault action and
 * springs on the next node that reaches the moment. Reaching those moments by luck is rare; the
 * bugs that live there (a leader that stops just after its election, a follower that dies while
 * installing a snapshot) are not.
 */
import { TraceCode } from './events.js';
import type { NodeHost } from './host.js';
import { crashFor } from './nemesisActions.js';
import type { World } from './world.js';

interface LeaderTrap {
  readonly afterMs: number;
  readonly forMs: number | undefined;
}

export class Traps {
  /** crash-next-leader: the next new leader crashes `afterMs` after its election. */
  leaderCrash: LeaderTrap | null = null;
  /** pause-next-leader: the next new leader is paused `afterMs` after its election. */
  leaderPause: { readonly afterMs: number; readonly forMs: number } | null = null;
  /** crash-next-snapshot-installer: the next node to accept an InstallSnapshot crashes before its fsync. */
  snapshotInstaller: { readonly forMs: number | undefined } | null = null;

  clear(): void {
    this.leaderCrash = null;
    this.leaderPause = null;
    this.snapshotInstaller = null;
  }
}

/** A node just became leader: the leader traps spring on it (as scheduled faults, so the trace shows them). */
export function springLeaderTraps(world: World, node: number): void {
  const traps = world.traps;
  if (world.healed) return;
  const crash = traps.leaderCrash;
  if (crash) {
    traps.leaderCrash = null;
    world.coverage.trapSprung();
    const action = { atMs: world.now + crash.afterMs, kind: 'crash' as const, node, ...(crash.forMs === undefined ? {} : { forMs: crash.forMs }) };
    world.schedule({ kind: 'fault', action }, crash.afterMs);
  }
  const pause = traps.leaderPause;
  if (pause) {
    traps.leaderPause = null;
    world.coverage.trapSprung();
    world.schedule({ kind: 'fault', action: { atMs: world.now + pause.afterMs, kind: 'pause', node, forMs: pause.forMs } }, pause.afterMs);
  }
}

/**
 * The node has just issued the write of a snapshot it accepted from its leader: with the trap
 * armed, it crashes now, before that write's fsync. Returns true if it crashed.
 */
export function springSnapshotTrap(world: World, host: NodeHost): boolean {
  const trap = world.traps.snapshotInstaller;
  if (!trap || world.healed) return false;
  world.traps.snapshotInstaller = null;
  world.coverage.trapSprung();
  world.trace.note(() => ({ t: world.now, ev: 'trap', node: host.id, what: 'crash while installing a snapshot' }),
    TraceCode.trap, world.now, host.id);
  crashFor(world, [host.id], trap.forMs);
  return true;
}
