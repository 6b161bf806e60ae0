/**
 * Carries out one fault action on the world. Targets named 'leader' are resolved now: the live
 * leader with the highest term, or, when there is none, a node drawn from the seed.
 */
import { applyDiskFault } from './diskDamage.js';
import { applyTimingFault } from './faultMechanics.js';
import type { FaultAction, NodeTarget } from './faults.js';
import type { NodeHost } from './host.js';
import { applyMembershipChange } from './membershipFaults.js';
import type { World } from './world.js';

export function applyFault(world: World, action: FaultAction): void {
  const n = world.hosts.length;
  const all = world.hosts.map((host) => host.id);
  switch (action.kind) {
    case 'crash':
      return crashFor(world, [resolve(world, action.node)], action.forMs);
    case 'crash-many':
      return crashFor(world, action.nodes, action.forMs);
    case 'crash-all':
      return crashFor(world, all, action.forMs);
    case 'crash-next-leader':
      world.traps.leaderCrash = { afterMs: action.afterMs, forMs: action.forMs };
      return;
    case 'restart':
      return world.restartNode(world.host(action.node));
    case 'restart-all':
      for (const host of world.hosts) world.restartNode(host);
      return;
    case 'partition':
      return world.network.partition(action.groups);
    case 'isolate': {
      const victim = resolve(world, action.node);
      return world.network.partition([[victim], all.filter((node) => node !== victim)]);
    }
    case 'bridge': {
      // The others split into two halves that cannot talk; the bridge node talks to both.
      const others = all.filter((node) => node !== action.node);
      const half = Math.ceil(others.length / 2);
      const left = new Set(others.slice(0, half));
      return world.network.connectOnly((from, to) =>
        from === action.node || to === action.node || left.has(from) === left.has(to));
    }
    case 'ring': {
      // Each node reaches the nearest neighbours on the ring that make it a majority with itself.
      const position = new Map(action.order.map((node, i) => [node, i]));
      const reach = Math.ceil((Math.floor(n / 2) + 1 - 1) / 2);
      return world.network.connectOnly((from, to) => {
        const a = position.get(from);
        const b = position.get(to);
        if (a === undefined || b === undefined) return false;
        const distance = Math.min((a - b + n) % n, (b - a + n) % n);
        return distance <= reach;
      });
    }
    case 'one-way':
      return world.network.blockOneWay(action.from, action.to);
    case 'hold':
      return world.network.hold(action.from, action.to);
    case 'release':
      for (const message of world.network.release(action.from, action.to)) world.send(message);
      return;
    case 'heal':
      world.network.heal();
      return world.clientLinks.healReach();
    case 'disk-damage':
    case 'disk-full':
      return applyDiskFault(world, action);
    case 'transfer-leader':
      return transferLeader(world, action.to);
    case 'add-learner':
    case 'promote':
    case 'remove':
      return applyMembershipChange(world, action, currentLeader(world));
    default:
      return applyTimingFault(world, action);
  }
}

/** Crashes the nodes that are up; with `forMs`, schedules their restart (only theirs). */
export function crashFor(world: World, nodes: readonly number[], forMs: number | undefined): void {
  for (const node of nodes) {
    const host = world.host(node);
    if (!host.alive) continue;
    world.crashNode(host);
    if (forMs !== undefined) world.schedule({ kind: 'fault', action: { atMs: world.now + forMs, kind: 'restart', node } }, forMs);
  }
}

/**
 * Asks the live leader (if any, and not paused: a stopped process takes no request) to hand
 * leadership to `to`, or, without one, to a node drawn from the seed (down or not: a transfer to a
 * dead node must abort).
 */
function transferLeader(world: World, to: number | undefined): void {
  const leader = currentLeader(world);
  if (leader === null || leader.paused !== null) return;
  const others = world.hosts.map((host) => host.id).filter((id) => id !== leader.id);
  if (others.length === 0) return;
  const target = to !== undefined && to !== leader.id ? to : world.prng.child(`transfer/${world.now}`).pick(others);
  world.driver(leader).input(() => leader.raft.transferLeadership(target));
}

export function resolve(world: World, target: NodeTarget): number {
  if (target !== 'leader') return target;
  const leader = currentLeader(world);
  if (leader) return leader.id;
  return world.prng.child(`leader-fallback/${world.now}`).rangeInclusive(1, world.hosts.length);
}

/** The live leader with the highest term, if any. */
export function currentLeader(world: World): NodeHost | null {
  let best: NodeHost | null = null;
  let bestTerm = -1;
  for (const host of world.hosts) {
    if (!host.alive) continue;
    if (host.raft.role === 'leader' && host.raft.term > bestTerm) {
      best = host;
      bestTerm = host.raft.term;
    }
  }
  return best;
}
