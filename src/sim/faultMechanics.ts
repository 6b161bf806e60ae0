/**
 * Carries out the fault actions of issue 8 (message timing, processes, clocks, disks, client
 * links; see faults.ts for each one's meaning). After the final heal they are all over, so an
 * action that comes later (a replay or a trap's pause scheduled past the heal) does nothing.
 */
import type { KvCommand } from '../kv/types.js';
import { describeMessage } from '../raft/describe.js';
import type { Message } from '../raft/messages.js';
import { MessageCode, TraceCode } from './events.js';
import type { FaultAction } from './faults.js';
import { resolve } from './nemesisActions.js';
import { pauseNode, resumeAll } from './pauses.js';
import type { World } from './world.js';

export type TimingFault = Extract<FaultAction, {
  kind: 'delay' | 'replay' | 'pause' | 'pause-next-leader' | 'clock-jump' | 'slow-disk' | 'clients-reach' | 'crash-next-snapshot-installer';
}>;

export function applyTimingFault(world: World, action: TimingFault): void {
  if (world.healed) return;
  switch (action.kind) {
    case 'delay':
      return world.network.armDelay(action.from, action.to, action.forMs);
    case 'replay':
      return replay(world, action.from, action.to);
    case 'pause':
      return pauseNode(world, world.host(resolve(world, action.node)), action.forMs);
    case 'pause-next-leader':
      world.traps.leaderPause = { afterMs: action.afterMs, forMs: action.forMs };
      return;
    case 'clock-jump':
      return clockJump(world, action.node, action.ms);
    case 'slow-disk':
      world.disks.slow(action.node, action.factor, world.now + action.forMs);
      world.trace.note(() => ({ t: world.now, ev: 'slow-disk', node: action.node, factor: action.factor, untilMs: world.now + action.forMs }),
        TraceCode.slowDisk, world.now, action.node, action.factor, action.forMs);
      return;
    case 'clients-reach':
      return world.clientLinks.reachOnly(action.nodes);
    case 'crash-next-snapshot-installer':
      world.traps.snapshotInstaller = { forMs: action.forMs };
      return;
  }
}

/** A copy of a message the link carried before arrives now (blocks and pauses apply at delivery). */
function replay(world: World, from: number, to: number): void {
  const message = world.network.pickReplay(from, to);
  if (message === null) {
    world.trace.record({ t: world.now, ev: 'replay-skipped', node: from, to, why: 'the link has carried nothing yet' });
    return;
  }
  world.trace.note(() => ({ t: world.now, ev: 'replay', node: from, to, msg: describeMessage(message) }),
    TraceCode.replay, world.now, from * 16 + to, MessageCode[message.type] * 65536 + message.term);
  world.schedule({ kind: 'deliver', message }, 0);
}

/** Forward: the ticks of `ms` fire at once (bounded); backward: no ticks for |ms|. */
function clockJump(world: World, node: number, ms: number): void {
  const host = world.host(node);
  const ticks = ms > 0 && host.alive && !host.paused ? world.clocks.jumpTicks(ms) : 0;
  world.trace.note(() => ({ t: world.now, ev: 'clock-jump', node, ms, ticks }), TraceCode.clockJump, world.now, node, ms, ticks);
  world.clocks.jumped(node, ms);
  if (!host.alive) return;
  if (ms < 0) return world.clocks.jumpBack(node, world.now, -ms);
  // A paused node sees the jump when it wakes: its one late tick.
  for (let i = 0; i < ticks && host.alive && !host.paused; i++) world.tickOnce(host);
}

/**
 * Sends a message of a delayed link: the network keeps it until `latency + delay` (or the final
 * heal). Returns false when the network refuses (MAX_DELAYED in flight): it then goes normally.
 */
export function sendDelayed(world: World, message: Message<KvCommand>, latency: number, delay: number): boolean {
  const id = world.network.keepDelayed(message);
  const link = message.from * 16 + message.to;
  if (id === null) {
    world.trace.record({ t: world.now, ev: 'delay-refused', node: message.from, to: message.to, why: 'too many delayed messages in flight' });
    return false;
  }
  world.trace.note(() => ({ t: world.now, ev: 'delay', node: message.from, to: message.to, msg: describeMessage(message), forMs: delay, dueMs: world.now + latency + delay }),
    TraceCode.delay, world.now, link, MessageCode[message.type] * 65536 + message.term, delay);
  world.schedule({ kind: 'delayed', id }, latency + delay);
  return true;
}

/** The final heal's part for these faults: delayed messages go out now, disks and clocks are normal, paused nodes resume. */
export function healTimingFaults(world: World): void {
  for (const message of world.network.clearDelays()) {
    world.schedule({ kind: 'deliver', message }, world.network.latency(message.from, message.to));
  }
  world.disks.heal();
  world.clocks.heal();
  resumeAll(world);
}
