/**
 * Issue 8: scenario files must not lie quietly. Unknown fields at any depth, schedule actions
 * after the heal, random fault kinds without a rate and half-set disk spikes are refused, each
 * with one line that names the field's full path.
 */
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/cli/scenarios.js';
import { parseScenario } from '../../src/sim/scenario.js';
import type { Scenario } from '../../src/sim/scenario.js';
import { DEFAULT_ELECTION_SAFEGUARDS } from '../../src/runtime/raftHost.js';

/** The one-line problem with a scenario file (without the file name), or null if it parses. */
function problem(json: unknown): string | null {
  try {
    parseScenarioText(JSON.stringify(json), 'mine.json', 'mine');
    return null;
  } catch (error) {
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message.replace(/^mine\.json: /, '');
  }
}

function parse(json: unknown): Scenario {
  return parseScenarioText(JSON.stringify(json), 'mine.json', 'mine');
}

describe('unknown fields', () => {
  it.each([
    [{ durationMS: 5 }, 'durationMS: unknown field (did you mean durationMs?)'],
    [{ timing: { tickMS: 10 } }, 'timing.tickMS: unknown field (did you mean tickMs?)'],
    [{ raft: { maxEntriesPerApend: 4 } }, 'raft.maxEntriesPerApend: unknown field (did you mean maxEntriesPerAppend?)'],
    [{ workload: { client: 2 } }, 'workload.client: unknown field (did you mean clients?)'],
    [{ workload: { mix: { gett: 1 } } }, 'workload.mix.gett: unknown field (did you mean get?)'],
    [{ network: { dropRate: 0.1 } }, 'network.dropRate: unknown field (did you mean dropRatio?)'],
    [{ clientNetwork: { latencyMin: 1 } }, 'clientNetwork.latencyMin: unknown field (did you mean latencyMsMin?)'],
    [{ disk: { fsyncSpikeMax: 9 } }, 'disk.fsyncSpikeMax: unknown field (did you mean fsyncSpikeMsMax?)'],
    [{ faults: { meanInterval: 300 } }, 'faults.meanInterval: unknown field (did you mean meanIntervalMs?)'],
    [{ faults: { kinds: { 'crash-leadr': 1 } } }, 'faults.kinds.crash-leadr: unknown field (did you mean crash-leader?)'],
    [{ faults: { schedule: [{ atMs: 1, kind: 'heal' }, { atMs: 2, kind: 'heal' }, { atMs: 3, kind: 'one-way', frm: 'n1', to: 'n2' }] } },
      'faults.schedule[2].frm: unknown field (did you mean from?)'],
    [{ faults: { schedule: [{ atMs: 1, kind: 'crash', node: 'n1', forMS: 5 }] } }, 'faults.schedule[0].forMS: unknown field (did you mean forMs?)'],
    [{ faults: { schedule: [{ atMs: 1, kind: 'restart', node: 'n1', forMs: 5 }] } }, 'faults.schedule[0].forMs: unknown field (known: atMs, kind, node)'],
    [{ liveness: { leaderWithin: 1000 } }, 'liveness.leaderWithin: unknown field (did you mean leaderWithinMs?)'],
    [{ liveness: { stableLeader: 1000 } }, 'liveness.stableLeader: unknown field (did you mean stableLeaderMs?)'],
  ])('%j is refused: %s', (json, message) => {
    expect(problem(json)).toBe(message);
  });

  it('lists the known fields when no known name is close', () => {
    expect(problem({ disk: { zzzzzzzz: 1 } })).toBe('disk.zzzzzzzz: unknown field (known: crashKeepsPrefixRatio, fsyncSpikeRatio, fsyncSpikeMsMax, storage)');
    expect(problem({ faults: { schedule: [{ atMs: 1, kind: 'heal', x: 1 }] } })).toBe('faults.schedule[0].x: unknown field (known: atMs, kind)');
  });

  it('refuses the five-typo file of the issue at its first typo, in the file’s order', () => {
    const file = {
      faults: { meanInterval: 300, kinds: { crash: 1 } },
      timing: { tickMS: 10 },
      network: { dropRate: 0.1 },
      workload: { client: 2 },
      liveness: { leaderWithin: 1000 },
    };
    expect(problem(file)).toBe('faults.meanInterval: unknown field (did you mean meanIntervalMs?)');
    const { faults: _, ...rest } = file;
    expect(problem({ ...rest, faults: file.faults })).toBe('timing.tickMS: unknown field (did you mean tickMs?)');
  });

  it('refuses unknown fields before bad values, wherever they are in the file', () => {
    expect(problem({ timing: { tickMs: 'x' }, network: { dropRate: 1 } })).toBe('network.dropRate: unknown field (did you mean dropRatio?)');
    expect(problem({ timing: { tickMs: 'x' }, network: { dropRatio: 1 } })).toBe('timing.tickMs: must be an integer, got "x"');
  });
});

describe('quiet mistakes', () => {
  it('refuses a schedule action at or after durationMs (it would fire after the heal)', () => {
    const at = (atMs: number) => ({ durationMs: 10_000, faults: { schedule: [{ atMs: 1000, kind: 'heal' }, { atMs, kind: 'crash', node: 'n2' }] } });
    expect(problem(at(12_000))).toBe('faults.schedule[1].atMs: 12000 is at or after durationMs 10000 (the heal); schedule faults before it');
    expect(problem(at(10_000))).toBe('faults.schedule[1].atMs: 10000 is at or after durationMs 10000 (the heal); schedule faults before it');
    expect(problem(at(9_999))).toBeNull();
  });

  it('refuses random fault kinds with a weight while meanIntervalMs is 0 or absent, naming both fields', () => {
    const message = 'faults.kinds.crash: weight 3 does nothing while faults.meanIntervalMs is 0 or absent (random faults off); set faults.meanIntervalMs';
    expect(problem({ faults: { kinds: { crash: 3 } } })).toBe(message);
    expect(problem({ faults: { meanIntervalMs: 0, kinds: { crash: 3 } } })).toBe(message);
    expect(problem({ faults: { kinds: { crash: 0 } } })).toBeNull();
    expect(parse({ faults: { meanIntervalMs: 300, kinds: { crash: 3 } } }).faults.kinds).toEqual({ crash: 3 });
  });

  it('refuses meanIntervalMs > 0 with no kind of positive weight', () => {
    const message = 'faults.meanIntervalMs: 300 turns random faults on, but no kind in faults.kinds has a positive weight; give one a weight (e.g. "crash": 1)';
    expect(problem({ faults: { meanIntervalMs: 300 } })).toBe(message);
    expect(problem({ faults: { meanIntervalMs: 300, kinds: { crash: 0 } } })).toBe(message);
  });

  it('refuses an fsync spike ratio without a spike size, and the other way round', () => {
    expect(problem({ disk: { fsyncSpikeRatio: 0.1 } })).toBe('disk.fsyncSpikeRatio: 0.1 does nothing while disk.fsyncSpikeMsMax is 0 or absent; set disk.fsyncSpikeMsMax');
    expect(problem({ disk: { fsyncSpikeMsMax: 500 } })).toBe('disk.fsyncSpikeMsMax: 500 does nothing while disk.fsyncSpikeRatio is 0 or absent; set disk.fsyncSpikeRatio');
    expect(parse({ disk: { fsyncSpikeRatio: 0.1, fsyncSpikeMsMax: 500 } }).disk).toEqual({ crashKeepsPrefixRatio: 0, fsyncSpikeRatio: 0.1, fsyncSpikeMsMax: 500, storage: 'engine' });
    expect(parse({ disk: { storage: 'model' } }).disk.storage).toBe('model');
    expect(() => parse({ disk: { storage: 'ssd' } })).toThrow('disk.storage: must be "engine" (the real storage engine on a simulated file system) or "model" (the fast in-memory model), got "ssd"');
    expect(() => parse({ disk: { storage: 'model' }, faults: { meanIntervalMs: 100, kinds: { 'disk-damage': 1 } } }))
      .toThrow('faults.kinds.disk-damage: does nothing while disk.storage is "model"');
  });

  it('accepts them in a scenario recorded in a failure file (the run did happen that way), but not typos', () => {
    const recorded = { durationMs: 1000, faults: { kinds: { crash: 3 }, schedule: [{ atMs: 5000, kind: 'heal' }] }, disk: { fsyncSpikeRatio: 0.5 } };
    expect(parseScenario(recorded, 'old', { recorded: true }).faults.schedule).toEqual([{ atMs: 5000, kind: 'heal' }]);
    expect(() => parseScenario({ ...recorded, timing: { tickMS: 1 } }, 'old', { recorded: true })).toThrow('timing.tickMS: unknown field');
  });
});

describe('client network, disk and liveness fields', () => {
  it('take the node network’s latency and drop ratio by default, and duplicate nothing', () => {
    const s = parse({ timing: { latencyMsMin: 3, latencyMsMean: 7, latencyMsMax: 90 }, network: { dropRatio: 0.2, duplicateRatio: 0.3 } });
    expect(s.clientNetwork).toEqual({ dropRatio: 0.2, duplicateRatio: 0, latencyMsMin: 3, latencyMsMean: 7, latencyMsMax: 90 });
    expect(parse({ clientNetwork: { latencyMsMin: 5, latencyMsMean: 5, latencyMsMax: 5 } }).clientNetwork.latencyMsMean).toBe(5);
  });

  it('refuses client latencies out of order, saying where an unset value came from', () => {
    expect(problem({ clientNetwork: { latencyMsMin: 100 } })).toBe('clientNetwork.latencyMsMean: must be ≥ clientNetwork.latencyMsMin (100), got 2 (not set: it takes timing.latencyMsMean)');
    expect(problem({ clientNetwork: { latencyMsMin: 10, latencyMsMean: 20, latencyMsMax: 5 } })).toBe('clientNetwork.latencyMsMax: must be ≥ clientNetwork.latencyMsMin (10), got 5');
  });

  it.each([
    [{ timing: { clockDriftMax: 0.6 } }, 'timing.clockDriftMax: must be a number from 0 to 0.5, got 0.6'],
    [{ network: { linkLatencySpreadMs: -1 } }, 'network.linkLatencySpreadMs: must be between 0 and 600000, got -1'],
    [{ clientNetwork: { dropRatio: 2 } }, 'clientNetwork.dropRatio: must be a number from 0 to 1, got 2'],
    [{ clientNetwork: { duplicateRatio: '0.1' } }, 'clientNetwork.duplicateRatio: must be a number from 0 to 1, got "0.1"'],
    [{ clientNetwork: { latencyMsMax: 600_001 } }, 'clientNetwork.latencyMsMax: must be between 0 and 600000, got 600001'],
    [{ disk: { crashKeepsPrefixRatio: 1.5 } }, 'disk.crashKeepsPrefixRatio: must be a number from 0 to 1, got 1.5'],
    [{ disk: { fsyncSpikeMsMax: 1.5 } }, 'disk.fsyncSpikeMsMax: must be an integer, got 1.5'],
    [{ liveness: { stableLeaderMs: -1 } }, 'liveness.stableLeaderMs: must be between 0 and 1000000000, got -1'],
    [{ liveness: { maxElectionsAfterHeal: -1 } }, 'liveness.maxElectionsAfterHeal: must be between 0 and 1000000000, or null (not checked), got -1'],
    [{ liveness: { maxTermGrowthAfterHeal: 'few' } }, 'liveness.maxTermGrowthAfterHeal: must be an integer, or null (not checked), got "few"'],
    [{ liveness: { leaderWithinMs: 0 } }, 'liveness.leaderWithinMs: must be between 1 and 1000000000, or null (not checked), got 0'],
    [{ liveness: { maxElections: -1 } }, 'liveness.maxElections: must be between 0 and 1000000000, or null (not checked), got -1'],
    [{ liveness: { maxLeaderlessMs: 1.5 } }, 'liveness.maxLeaderlessMs: must be an integer, or null (not checked), got 1.5'],
    [{ raft: { preVote: 'yes' } }, 'raft.preVote: must be true or false, got "yes"'],
    [{ raft: { checkQuorum: 1 } }, 'raft.checkQuorum: must be true or false, got 1'],
    [{ faults: { schedule: [{ atMs: 1, kind: 'slow-disk', node: 'n1', factor: 0, forMs: 5 }] } }, 'faults.schedule[0].factor: must be from 1 to 1000, got 0'],
    [{ faults: { schedule: [{ atMs: -1, kind: 'heal' }] } }, 'faults.schedule[0].atMs: must be from 0 to 1000000000, got -1'],
    [{ description: 5 }, 'description: must be a string, got 5'],
    [{ clientNetwork: 3 }, 'clientNetwork: must be an object, got 3'],
  ])('bounds every numeric field: %j', (json, message) => {
    expect(problem(json)).toBe(message);
  });

  it('accepts 0 and null for the after-heal bounds, and fills the defaults', () => {
    expect(parse({ liveness: { maxElectionsAfterHeal: 0, maxTermGrowthAfterHeal: null } }).liveness).toEqual({
      leaderWithinMs: 5000, opsCompleteWithinMs: 20_000, stableLeaderMs: 1000, maxElectionsAfterHeal: 0, maxTermGrowthAfterHeal: null,
    });
  });
});

describe('PreVote, CheckQuorum and the whole-run liveness bounds in scenario files', () => {
  it('turns PreVote and CheckQuorum on when the file leaves them out, as `raftsim serve` does; the bounds stay absent', () => {
    const plain = parse({});
    expect(plain.raft).toMatchObject({ preVote: true, checkQuorum: true });
    expect(plain.raft).toMatchObject(DEFAULT_ELECTION_SAFEGUARDS);
    expect(plain.liveness).not.toHaveProperty('maxElections');
    expect(plain.liveness).not.toHaveProperty('maxLeaderlessMs');
    const set = parse({ raft: { preVote: true, checkQuorum: false }, liveness: { maxElections: 0, maxLeaderlessMs: 500 } });
    expect(set.raft).toMatchObject({ preVote: true, checkQuorum: false });
    expect(set.liveness).toMatchObject({ maxElections: 0, maxLeaderlessMs: 500 });
  });

  it('names the switches when a field is misspelt', () => {
    expect(problem({ raft: { prevote: true } })).toMatch(/^raft\.prevote: unknown field \(did you mean preVote\?\)/);
  });
});

describe('node ids in scenario files', () => {
  it('reads "n2", 2 and "2" as node 2 in every field that names nodes', () => {
    const s = parse({
      nodes: 5,
      faults: {
        schedule: [
          { atMs: 1, kind: 'crash', node: 'n2' },
          { atMs: 2, kind: 'restart', node: 2 },
          { atMs: 3, kind: 'isolate', node: '2' },
          { atMs: 4, kind: 'partition', groups: [['n1'], ['n2', 3]] },
          { atMs: 5, kind: 'one-way', from: 'n4', to: 'n5' },
          { atMs: 6, kind: 'ring', order: ['n5', 'n4', 'n3', 'n2', 'n1'] },
          { atMs: 7, kind: 'crash-many', nodes: ['n1', 'n3'] },
          { atMs: 8, kind: 'pause', node: 'leader', forMs: 10 },
        ],
      },
    });
    expect(s.faults.schedule).toEqual([
      { atMs: 1, kind: 'crash', node: 2 },
      { atMs: 2, kind: 'restart', node: 2 },
      { atMs: 3, kind: 'isolate', node: 2 },
      { atMs: 4, kind: 'partition', groups: [[1], [2, 3]] },
      { atMs: 5, kind: 'one-way', from: 4, to: 5 },
      { atMs: 6, kind: 'ring', order: [5, 4, 3, 2, 1] },
      { atMs: 7, kind: 'crash-many', nodes: [1, 3] },
      { atMs: 8, kind: 'pause', node: 'leader', forMs: 10 },
    ]);
  });

  it.each(['n0', 'n10', 'x', 0, 10, 2.5, 'N2', ' n2', 'n02', null])('refuses %j as a node id', (id) => {
    expect(problem({ faults: { schedule: [{ atMs: 1, kind: 'restart', node: id }] } }))
      .toBe(`faults.schedule[0].node: must be a node id, n1 to n9; got ${JSON.stringify(id)}`);
  });

  it('names the exact element of a list that is wrong', () => {
    expect(problem({ faults: { schedule: [{ atMs: 1, kind: 'partition', groups: [['n1'], ['n2', 'n9x']] }] } }))
      .toBe('faults.schedule[0].groups[1][1]: must be a node id, n1 to n9; got "n9x"');
    expect(problem({ faults: { schedule: [{ atMs: 1, kind: 'partition', groups: [['n1', 'n2'], ['n2']] }] } }))
      .toBe('faults.schedule[0].groups[1][0]: n2 is listed twice');
    expect(problem({ nodes: 3, faults: { schedule: [{ atMs: 1, kind: 'clients-reach', nodes: ['n1', 'n4'] }] } }))
      .toBe('faults.schedule[0].nodes[1]: n4, but the cluster has 3 nodes (n1 to n3)');
  });
});
