/**
 * Fault actions at the boundary: node ids as users write them, the one-line problems of
 * parseFaultAction, how each action reads (describeFault) and how it is written back to a file.
 */
import { describe, expect, it } from 'vitest';
import { editDistance, nearestName, suggestion } from '../../src/sim/fields.js';
import { describeFault, faultActionJson, FAULT_KINDS, nodeName, parseFaultAction, parseNodeId } from '../../src/sim/faults.js';
import type { FaultAction } from '../../src/sim/faults.js';

describe('node ids', () => {
  it.each([[3, 3], ['3', 3], ['n3', 3], ['n1', 1], [9, 9], ['n9', 9]])('reads %j as %d', (input, id) => {
    expect(parseNodeId(input)).toBe(id);
  });

  it.each(['n0', 'n10', 0, 10, 'x', '', 'N3', 'n3 ', 'n03', '3.0', 2.5, -1, null, undefined, [3], { n: 3 }])('refuses %j', (input) => {
    expect(parseNodeId(input)).toBeNull();
  });

  it('prints n2, and leader for the leader', () => {
    expect(nodeName(2)).toBe('n2');
    expect(nodeName('leader')).toBe('leader');
  });
});

describe('nearest field names', () => {
  it('measures edits', () => {
    expect(editDistance('frm', 'from')).toBe(1);
    expect(editDistance('droprate', 'dropratio')).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests a close name, ignoring case, and nothing for a far one', () => {
    expect(nearestName('tickMS', ['tickMs', 'heartbeatTicks'])).toBe('tickMs');
    expect(nearestName('meanInterval', ['meanIntervalMs', 'kinds'])).toBe('meanIntervalMs');
    expect(nearestName('x', ['ms', 'node'])).toBeNull();
    expect(nearestName('latency', ['latencyMsMin', 'latencyMsMean'])).toBeNull();
    expect(suggestion('latency', ['latencyMsMin', 'latencyMsMean'])).toBe('(known: latencyMsMin, latencyMsMean)');
    expect(suggestion('zz', [])).toBe('(this object takes no fields)');
  });
});

/** One action of every kind, with numeric ids, as the simulator holds them. */
const EVERY_KIND: FaultAction[] = [
  { atMs: 1, kind: 'crash', node: 2, forMs: 400 },
  { atMs: 1, kind: 'crash-many', nodes: [1, 3] },
  { atMs: 1, kind: 'crash-all', forMs: 10 },
  { atMs: 1, kind: 'crash-next-leader', afterMs: 5, forMs: 700 },
  { atMs: 1, kind: 'restart', node: 3 },
  { atMs: 1, kind: 'restart-all' },
  { atMs: 1, kind: 'partition', groups: [[1, 2], [3]] },
  { atMs: 1, kind: 'isolate', node: 'leader' },
  { atMs: 1, kind: 'bridge', node: 1 },
  { atMs: 1, kind: 'ring', order: [3, 1, 2] },
  { atMs: 1, kind: 'one-way', from: 1, to: 2 },
  { atMs: 1, kind: 'hold', from: 2, to: 1 },
  { atMs: 1, kind: 'release', from: 2, to: 1 },
  { atMs: 1, kind: 'heal' },
  { atMs: 1, kind: 'delay', from: 1, to: 3, forMs: 1200 },
  { atMs: 1, kind: 'replay', from: 1, to: 2 },
  { atMs: 1, kind: 'pause', node: 2, forMs: 800 },
  { atMs: 1, kind: 'pause-next-leader', afterMs: 5, forMs: 700 },
  { atMs: 1, kind: 'clock-jump', node: 3, ms: 500 },
  { atMs: 1, kind: 'slow-disk', node: 2, factor: 10, forMs: 900 },
  { atMs: 1, kind: 'clients-reach', nodes: [1, 2] },
  { atMs: 1, kind: 'crash-next-snapshot-installer' },
  { atMs: 1, kind: 'disk-damage', node: 2, damage: 'bit-flip', forMs: 300 },
  { atMs: 1, kind: 'disk-full', node: 1, forMs: 500 },
  { atMs: 1, kind: 'transfer-leader', to: 2 },
  { atMs: 1, kind: 'add-learner', node: 3 },
  { atMs: 1, kind: 'promote', node: 3 },
  { atMs: 1, kind: 'remove', node: 'leader' },
];

describe('describeFault', () => {
  it('covers every kind in this test', () => {
    expect(new Set(EVERY_KIND.map((a) => a.kind))).toEqual(new Set(FAULT_KINDS));
  });

  it('reads each kind shortly, with node names (the old kinds exactly as before: the trace hash mixes them)', () => {
    expect(EVERY_KIND.map(describeFault)).toEqual([
      'crash n2 for 400 ms',
      'crash n1,n3',
      'crash-all for 10 ms',
      'crash the next leader 5 ms after its election for 700 ms',
      'restart n3',
      'restart-all',
      'partition n1,n2 | n3',
      'isolate leader',
      'bridge n1',
      'ring n3-n1-n2',
      'one-way n1->n2',
      'hold n2->n1',
      'release n2->n1',
      'heal',
      'delay next n1->n3 message by 1200 ms',
      'replay a n1->n2 message',
      'pause n2 for 800 ms',
      'pause the next leader 5 ms after its election for 700 ms',
      'clock-jump n3 +500 ms',
      'slow-disk n2 x10 for 900 ms',
      'clients reach n1,n2',
      'crash the next snapshot installer',
      'disk-damage n2 bit-flip for 300 ms',
      'disk-full n1 for 500 ms',
      'transfer-leader to n2',
      'add-learner n3',
      'promote n3',
      'remove leader',
    ]);
  });

  it('reads the variants: a backward clock jump, the leader paused, no node reachable, a timed installer crash', () => {
    expect(describeFault({ atMs: 1, kind: 'clock-jump', node: 1, ms: -250 })).toBe('clock-jump n1 -250 ms');
    expect(describeFault({ atMs: 1, kind: 'pause', node: 'leader', forMs: 50 })).toBe('pause leader for 50 ms');
    expect(describeFault({ atMs: 1, kind: 'clients-reach', nodes: [] })).toBe('clients reach no node');
    expect(describeFault({ atMs: 1, kind: 'crash-next-snapshot-installer', forMs: 300 })).toBe('crash the next snapshot installer for 300 ms');
    expect(describeFault({ atMs: 1, kind: 'transfer-leader' })).toBe('transfer-leader');
    expect(describeFault({ atMs: 1, kind: 'remove' })).toBe('remove');
  });
});

describe('parseFaultAction', () => {
  it('writes node ids as names and reads them back to the same action, for every kind', () => {
    for (const action of EVERY_KIND) {
      const json = faultActionJson(action);
      expect(JSON.stringify(json)).not.toMatch(/"(node|from|to)":\d|"(nodes|order)":\[\d|"groups":\[\[\d/);
      expect(parseFaultAction(JSON.parse(JSON.stringify(json)), 'a')).toEqual(action);
      expect(parseFaultAction(action, 'a')).toEqual(action);
    }
    expect(faultActionJson({ atMs: 1, kind: 'partition', groups: [[1], [2, 3]] })).toEqual({ atMs: 1, kind: 'partition', groups: [['n1'], ['n2', 'n3']] });
  });

  it.each([
    [5, 'faults[3]: must be an object like {"atMs": 1000, "kind": "crash", "node": "n2"}'],
    [{ atMs: 1 }, 'faults[3].kind: missing (known: crash, crash-many, crash-all, crash-next-leader, restart, restart-all, partition, isolate, bridge, ring, one-way, hold, release, heal, delay, replay, pause, pause-next-leader, clock-jump, slow-disk, clients-reach, crash-next-snapshot-installer, disk-damage, disk-full, transfer-leader, add-learner, promote, remove)'],
    [{ atMs: 1, kind: 'pasue', node: 'n1' }, 'faults[3].kind: unknown action "pasue" (did you mean pause?)'],
    [{ atMs: 1, kind: 'delay', from: 'n1', too: 'n2', forMs: 5 }, 'faults[3].too: unknown field (did you mean to?)'],
    [{ atMs: 1, kind: 'delay', from: 'n1', to: 'n2' }, 'faults[3].forMs: missing (a delay action needs from, to, forMs)'],
    [{ atMs: 1, kind: 'replay', from: 'n2', to: 2 }, 'faults[3].to: must differ from from (both are n2)'],
    [{ atMs: 1, kind: 'bridge', node: 'leader' }, 'faults[3].node: must be a node id, n1 to n9; got "leader"'],
    [{ atMs: 1, kind: 'pause', node: 'n0', forMs: 5 }, 'faults[3].node: must be a node id, n1 to n9, or "leader"; got "n0"'],
    [{ atMs: 1, kind: 'crash-many', nodes: ['n1', 'n1'] }, 'faults[3].nodes[1]: n1 is listed twice'],
    [{ atMs: 1, kind: 'ring', order: 'n1,n2' }, 'faults[3].order: must be a list of node ids, e.g. ["n1", "n3"]; got "n1,n2"'],
    [{ atMs: 1, kind: 'partition', groups: 'n1' }, 'faults[3].groups: must be a list of groups, each a list of node ids, e.g. [["n1"], ["n2", "n3"]]'],
    [{ atMs: 1, kind: 'clock-jump', node: 'n1', ms: 0.5 }, 'faults[3].ms: must be an integer, got 0.5'],
    [{ atMs: 1, kind: 'slow-disk', node: 'n1', factor: 1001, forMs: 5 }, 'faults[3].factor: must be from 1 to 1000, got 1001'],
    [{ atMs: 1e10, kind: 'heal' }, 'faults[3].atMs: must be from 0 to 1000000000, got 10000000000'],
    [{ atMs: 1, kind: 'crash', node: 'n1', forMs: -1 }, 'faults[3].forMs: must be from 0 to 1000000000, got -1'],
  ])('refuses %j with one line naming the field', (raw, message) => {
    expect(parseFaultAction(raw, 'faults[3]')).toBe(message);
  });
});
