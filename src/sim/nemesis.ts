/**
 * The nemesis: draws the fault schedule from the seed, up front, as an explicit list of actions.
 * Two independent streams, so crashes and partitions overlap as they would in the wild:
 * - process faults (crashes): start at exponential gaps of mean `meanIntervalMs` and may overlap
 *   one another (several nodes down at once, each restarting after its own `forMs`);
 * - network faults (partitions, holds): one at a time, each lasting `faultMsMin..faultMsMax`,
 *   since a new partition replaces the one before.
 * Issue 8's kinds join them: pauses, clock jumps, slow disks and the snapshot-installer trap are
 * process faults; long delays, replays and split clients are network faults. A kind's weight 0
 * (or absent) draws nothing, so scenarios without the new kinds draw what they always did.
 */
import { DISK_DAMAGES } from './faults.js';
import type { FaultAction } from './faults.js';
import type { Prng } from './prng.js';
import type { RandomFaultKind, Scenario } from './scenario.js';

const PROCESS_KINDS: readonly RandomFaultKind[] = [
  'crash', 'crash-leader', 'crash-many', 'crash-all', 'crash-new-leader',
  'pause', 'pause-leader', 'pause-new-leader', 'clock-jump', 'slow-disk', 'crash-snapshot-installer', 'disk-damage', 'disk-full',
  'transfer-leader',
];
const NETWORK_KINDS: readonly RandomFaultKind[] = [
  'isolate', 'isolate-leader', 'split', 'bridge', 'ring', 'one-way', 'hold', 'long-delay', 'replay', 'split-clients',
];
/**
 * Membership changes (membershipFaults.ts), a stream of their own: a change is asked at a point in
 * time and takes what time it takes, so they may overlap the other faults, and a change still
 * pending when the next is asked is refused, as it must be.
 */
const MEMBERSHIP_KINDS: readonly RandomFaultKind[] = ['add-learner', 'promote', 'remove', 'remove-leader', 'replace-leader'];
/** A replay fault replays this many old messages, spread over its time. */
const REPLAYS_MIN = 2;
const REPLAYS_MAX = 6;

export function drawFaultSchedule(scenario: Scenario, prng: Prng): FaultAction[] {
  const actions: FaultAction[] = [...scenario.faults.schedule];
  if (scenario.faults.meanIntervalMs > 0) {
    actions.push(...drawStream(scenario, PROCESS_KINDS, prng.child('process'), true));
    actions.push(...drawStream(scenario, NETWORK_KINDS, prng.child('network'), false));
    actions.push(...drawStream(scenario, MEMBERSHIP_KINDS, prng.child('membership'), true));
  }
  // A stable sort keeps same-time actions in the order they were drawn.
  return actions.sort((a, b) => a.atMs - b.atMs);
}

function drawStream(scenario: Scenario, kinds: readonly RandomFaultKind[], prng: Prng, overlapping: boolean): FaultAction[] {
  const weights = kinds
    .map((kind) => [kind, scenario.faults.kinds[kind] ?? 0] as const)
    .filter(([, weight]) => weight > 0);
  if (weights.length === 0) return [];
  const { meanIntervalMs, faultMsMin, faultMsMax } = scenario.faults;
  const actions: FaultAction[] = [];
  let time = prng.exponential(meanIntervalMs, 10 * meanIntervalMs);
  while (time < scenario.durationMs) {
    const duration = prng.rangeInclusive(faultMsMin, faultMsMax);
    const kind = prng.weighted(weights);
    actions.push(...drawFault(kind, time, Math.min(time + duration, scenario.durationMs), scenario, prng));
    time += (overlapping ? 0 : duration) + 1 + prng.exponential(meanIntervalMs, 10 * meanIntervalMs);
  }
  return actions;
}

function drawFault(kind: RandomFaultKind, start: number, end: number, scenario: Scenario, prng: Prng): FaultAction[] {
  const n = scenario.nodes;
  const nodes = Array.from({ length: n }, (_, i) => i + 1);
  const node = prng.pick(nodes);
  switch (kind) {
    case 'crash':
      return [{ atMs: start, kind: 'crash', node, forMs: end - start }];
    case 'crash-leader':
      return [{ atMs: start, kind: 'crash', node: 'leader', forMs: end - start }];
    case 'crash-many': {
      const victims = prng.shuffle(nodes.slice()).slice(0, Math.max(1, Math.floor((n - 1) / 2))).sort(byNumber);
      return [{ atMs: start, kind: 'crash-many', nodes: victims, forMs: end - start }];
    }
    case 'crash-all':
      return [{ atMs: start, kind: 'crash-all', forMs: end - start }];
    case 'crash-new-leader':
      return [{ atMs: start, kind: 'crash-next-leader', afterMs: prng.rangeInclusive(0, 20), forMs: end - start }];
    case 'isolate':
      return [{ atMs: start, kind: 'isolate', node }, { atMs: end, kind: 'heal' }];
    case 'isolate-leader':
      return [{ atMs: start, kind: 'isolate', node: 'leader' }, { atMs: end, kind: 'heal' }];
    case 'split': {
      const shuffled = prng.shuffle(nodes.slice());
      const minority = shuffled.slice(0, Math.floor(n / 2)).sort(byNumber);
      const majority = shuffled.slice(Math.floor(n / 2)).sort(byNumber);
      return [{ atMs: start, kind: 'partition', groups: [minority, majority] }, { atMs: end, kind: 'heal' }];
    }
    case 'bridge':
      return [{ atMs: start, kind: 'bridge', node }, { atMs: end, kind: 'heal' }];
    case 'ring':
      return [{ atMs: start, kind: 'ring', order: prng.shuffle(nodes.slice()) }, { atMs: end, kind: 'heal' }];
    case 'one-way':
    case 'hold': {
      const others = nodes.filter((other) => other !== node);
      if (others.length === 0) return [];
      const to = prng.pick(others);
      if (kind === 'one-way') return [{ atMs: start, kind, from: node, to }, { atMs: end, kind: 'heal' }];
      return [{ atMs: start, kind, from: node, to }, { atMs: end, kind: 'release', from: node, to }];
    }
    case 'add-learner':
    case 'promote':
    case 'remove':
      // The node is drawn when it fires, from the leader's configuration of that time.
      return [{ atMs: start, kind }];
    case 'remove-leader':
      return [{ atMs: start, kind: 'remove', node: 'leader' }];
    case 'replace-leader': {
      // A new node joins (learner, then voter) and the leader of the end removes itself.
      const mid = Math.floor((start + end) / 2);
      return [{ atMs: start, kind: 'add-learner' }, { atMs: mid, kind: 'promote' }, { atMs: end, kind: 'remove', node: 'leader' }];
    }
    default:
      return drawTimingFault(kind, start, end, node, scenario, prng);
  }
}

/** Issue 8's kinds; `node` is the node already drawn for this fault. */
function drawTimingFault(kind: RandomFaultKind, start: number, end: number, node: number, scenario: Scenario, prng: Prng): FaultAction[] {
  const n = scenario.nodes;
  const nodes = Array.from({ length: n }, (_, i) => i + 1);
  const others = nodes.filter((other) => other !== node);
  const forMs = end - start;
  switch (kind) {
    case 'pause':
      return [{ atMs: start, kind: 'pause', node, forMs }];
    case 'pause-leader':
      return [{ atMs: start, kind: 'pause', node: 'leader', forMs }];
    case 'pause-new-leader':
      return [{ atMs: start, kind: 'pause-next-leader', afterMs: prng.rangeInclusive(0, 20), forMs }];
    case 'clock-jump':
      // Forward fires the ticks of the fault's length at once; backward stops the ticks that long.
      return [{ atMs: start, kind: 'clock-jump', node, ms: prng.chance(0.5) ? forMs : -forMs }];
    case 'slow-disk':
      return [{ atMs: start, kind: 'slow-disk', node, factor: prng.rangeInclusive(5, 50), forMs }];
    case 'disk-damage':
      return [{ atMs: start, kind: 'disk-damage', node, damage: prng.pick(DISK_DAMAGES), forMs }];
    case 'disk-full':
      return [{ atMs: start, kind: 'disk-full', node, forMs }];
    case 'crash-snapshot-installer':
      return [{ atMs: start, kind: 'crash-next-snapshot-installer', forMs }];
    case 'transfer-leader':
      // The target is drawn when it fires, among the nodes other than the leader of that time.
      return [{ atMs: start, kind: 'transfer-leader' }];
    case 'long-delay': {
      if (others.length === 0) return [];
      // Far past an election timeout: the message arrives in another term, or another leader's.
      const electionMs = scenario.timing.electionTicksMax * scenario.timing.tickMs;
      return [{ atMs: start, kind: 'delay', from: node, to: prng.pick(others), forMs: prng.rangeInclusive(2 * electionMs, 10 * electionMs) }];
    }
    case 'replay':
      return others.length === 0 ? [] : drawReplays(start, end, nodes, prng);
    case 'split-clients': {
      // The clients reach only a minority that cannot commit: nothing may be acknowledged.
      const shuffled = prng.shuffle(nodes.slice());
      const minority = shuffled.slice(0, Math.floor(n / 2)).sort(byNumber);
      const majority = shuffled.slice(Math.floor(n / 2)).sort(byNumber);
      if (minority.length === 0) return [];
      return [
        { atMs: start, kind: 'partition', groups: [minority, majority] },
        { atMs: start, kind: 'clients-reach', nodes: minority },
        { atMs: end, kind: 'heal' },
      ];
    }
    default:
      return [];
  }
}

/** Several replays at times spread over [start, end], each on a link drawn from the seed. */
function drawReplays(start: number, end: number, nodes: readonly number[], prng: Prng): FaultAction[] {
  const count = prng.rangeInclusive(REPLAYS_MIN, REPLAYS_MAX);
  const times = Array.from({ length: count }, () => prng.rangeInclusive(start, end)).sort(byNumber);
  return times.map((atMs) => {
    const from = prng.pick(nodes);
    const to = prng.pick(nodes.filter((other) => other !== from));
    return { atMs, kind: 'replay' as const, from, to };
  });
}

function byNumber(a: number, b: number): number {
  return a - b;
}
