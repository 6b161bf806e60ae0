/**
 * Membership changes in the simulator (thesis ch. 4): the scenario's bootstrap configuration, the
 * fault actions that ask the leader for a change (appended, or refused and traced), the monitor
 * that checks one server at a time on durable logs, and the end-of-run check of acknowledged
 * writes against the latest committed configuration's voters.
 */
import { describe, expect, it } from 'vitest';
import type { PersistRequest } from '../../src/raft/ready.js';
import type { RaftNodeApi } from '../../src/raft/node.js';
import type { LogEntry } from '../../src/raft/types.js';
import { findMutant } from '../../src/mutants/index.js';
import { SafetyMonitor } from '../../src/sim/monitors.js';
import { majority } from '../../src/raft/quorum.js';
import { drawFaultSchedule } from '../../src/sim/nemesis.js';
import { Prng } from '../../src/sim/prng.js';
import { runScenario } from '../../src/sim/run.js';
import { swarmScenario } from '../../src/sim/swarm.js';
import { parseScenario, ScenarioError } from '../../src/sim/scenario.js';
import { leaderAt, records, runWorld, tinyScenario } from './faultRuns.js';

const parse = (fields: Record<string, unknown>) => parseScenario({ nodes: 5, ...fields }, 'test');
const problem = (fields: Record<string, unknown>): string => {
  try {
    parse(fields);
  } catch (error) {
    if (error instanceof ScenarioError) return error.message;
    throw error;
  }
  return 'no problem';
};

describe('scenario field membership (the bootstrap configuration)', () => {
  it('is held only when the file sets it', () => {
    expect(parse({ membership: { initialVoters: 3 } }).membership).toEqual({ initialVoters: 3 });
    expect('membership' in parse({})).toBe(false);
  });

  it('refuses bad values with one line naming the field', () => {
    expect(problem({ membership: { initialVoters: 6 } })).toBe('membership.initialVoters: must be an integer from 1 to nodes (5), got 6');
    expect(problem({ membership: { initialVoters: 0 } })).toBe('membership.initialVoters: must be an integer from 1 to nodes (5), got 0');
    expect(problem({ membership: { initialVoter: 3 } })).toBe('membership.initialVoter: unknown field (did you mean initialVoters?)');
    expect(problem({ membership: {} })).toMatch(/^membership\.initialVoters: missing/);
    expect(problem({ membership: 3 })).toMatch(/^membership: must be an object like/);
  });

  it('checks the membership fault actions like any other', () => {
    const at = (action: Record<string, unknown>) => problem({ faults: { schedule: [{ atMs: 100, ...action }] } });
    expect(at({ kind: 'promote', node: 'n7' })).toBe('faults.schedule[0].node: n7, but the cluster has 5 nodes (n1 to n5)');
    expect(at({ kind: 'add-learner', node: 'leader' })).toMatch(/^faults\.schedule\[0\]\.node: must be a node id, n1 to n9; got "leader"/);
    expect(at({ kind: 'remove', node: 'leader' })).toBe('no problem');
    expect(at({ kind: 'remove' })).toBe('no problem');
    expect(at({ kind: 'remove', to: 'n2' })).toMatch(/^faults\.schedule\[0\]\.to: unknown field/);
  });
});

/** 4 nodes, n1..n3 the bootstrap voters; n4 starts outside. */
const four = tinyScenario({ nodes: 4, membership: { initialVoters: 3 } });
const SEED = 7;
const changes = (run: ReturnType<typeof runWorld>) => records(run, 'config-change').map((r) => `${r.t} ${r.change}: ${r.result}`);

describe('swarm testing', () => {
  it('draws the membership kinds a scenario opts into, and only those', () => {
    const scenario = parse({ membership: { initialVoters: 3 }, faults: { meanIntervalMs: 300, kinds: { 'add-learner': 2, remove: 1, crash: 1 } } });
    const drawn = Array.from({ length: 20 }, (_, i) => swarmScenario(scenario, new Prng(`swarm/${i}`)));
    expect(drawn.some((s) => (s.faults.kinds['add-learner'] ?? 0) > 0)).toBe(true);
    expect(drawn.some((s) => (s.faults.kinds.remove ?? 0) > 0)).toBe(true);
    expect(drawn.every((s) => s.faults.kinds.promote === undefined && s.membership?.initialVoters === 3)).toBe(true);
    expect(parse({}).faults.kinds).toEqual({});
  });

  it('the nemesis draws membership changes in a stream of their own: replace-leader is add, promote, then remove the leader', () => {
    const scenario = parse({ membership: { initialVoters: 3 }, faults: { meanIntervalMs: 1000, kinds: { 'replace-leader': 1 } } });
    const kinds = drawFaultSchedule(scenario, new Prng('1')).map((a) => `${a.kind}${'node' in a && a.node !== undefined ? ` ${a.node}` : ''}`);
    expect(kinds.length).toBeGreaterThanOrEqual(3);
    expect(kinds.slice(0, 3)).toEqual(['add-learner', 'promote', 'remove leader']);
  });
});

describe('membership fault actions, asked of the leader of the time', () => {
  it('a non-member never campaigns nor leads; added and promoted, it counts', () => {
    const run = runWorld(four, SEED, [
      { atMs: 1000, kind: 'add-learner', node: 4 },
      { atMs: 1500, kind: 'promote' },
    ]);
    const log = changes(run);
    expect(log[0]).toMatch(/^1000 add-learner n4: appended at \d+: voters=\[1,2,3\] learners=\[4\]$/);
    expect(log[1]).toMatch(/^1500 promote n4: appended at \d+: voters=\[1,2,3,4\] learners=\[\]$/);
    expect(records(run, 'role', (r) => r.node === 4 && Number(r.t) < 1000 && r.role !== 'follower')).toEqual([]);
    const host4 = run.world.host(4);
    expect(host4.raft.configuration).toEqual({ voters: [1, 2, 3, 4], learners: [] });
    expect(run.world.monitor.latestCommittedConfig).toEqual({ voters: [1, 2, 3, 4], learners: [] });
  });

  it('refusals are traced and skipped: no leader yet, a change pending, nothing to change', () => {
    const run = runWorld(four, SEED, [
      { atMs: 1, kind: 'add-learner' },
      { atMs: 1000, kind: 'add-learner' },
      { atMs: 1000, kind: 'promote', node: 4 },
      { atMs: 1200, kind: 'add-learner' },
      { atMs: 1300, kind: 'promote', node: 2 },
    ]);
    const log = changes(run);
    expect(log[0]).toBe('1 add-learner: refused: no-leader');
    expect(log[1]).toMatch(/^1000 add-learner n4: appended at/);
    expect(log[2]).toBe('1000 promote n4: refused: change-pending');
    expect(log[3]).toBe('1200 add-learner: refused: no-candidate');
    expect(log[4]).toBe('1300 promote n2: refused: no-such-change');
    expect(run.world.monitor.violation).toBeNull();
  });

  it('remove the leader: it leads until its removal commits, then steps down and never leads again', () => {
    const quiet = runWorld(four, SEED, []);
    const leader = leaderAt(quiet, 1000)!;
    const run = runWorld(four, SEED, [{ atMs: 1000, kind: 'remove', node: 'leader' }]);
    expect(changes(run)[0]).toMatch(new RegExp(`^1000 remove n${leader}: appended at`));
    const after = records(run, 'role', (r) => Number(r.t) > 1000);
    expect(after.find((r) => r.node === leader)).toMatchObject({ role: 'follower' });
    expect(after.filter((r) => r.node === leader && r.role === 'leader')).toEqual([]);
    const next = leaderAt(run, 2500);
    expect(next).not.toBeNull();
    expect(next).not.toBe(leader);
    expect(run.world.monitor.latestCommittedConfig.voters).not.toContain(leader);
  });
});

describe('the config-one-server-at-a-time monitor', () => {
  it('fires in a real run on a node that promotes two learners at once (catalog bug two-voters-at-once)', async () => {
    const scenario = tinyScenario({ nodes: 5, membership: { initialVoters: 3 }, faults: { schedule: [
      { atMs: 800, kind: 'add-learner', node: 'n4' }, { atMs: 1100, kind: 'add-learner', node: 'n5' }, { atMs: 1400, kind: 'promote', node: 'n4' },
    ] } });
    const result = await runScenario(scenario, { seed: SEED, factories: findMutant('two-voters-at-once')! });
    expect(result.violation).toMatchObject({ kind: 'safety', invariant: 'config-one-server-at-a-time' });
    expect(result.violation!.message).toMatch(/durable log changes voters \[1,2,3\] to \[1,2,3,4,5\] at index \d+: n4, n5 at once/);
    // The correct build takes the same schedule one server at a time.
    expect((await runScenario(scenario, { seed: SEED })).violation).toBeNull();
  });

  const entry = (index: number, config?: { voters: number[]; learners: number[] }): LogEntry =>
    ({ index, term: 1, command: null, ...(config ? { config } : {}) });
  const write = (entries: LogEntry[]): PersistRequest => ({ id: 1, hardState: { term: 1, votedFor: null }, snapshot: null, entries });

  it('judges each entry against the configuration before it in the same durable log (the bootstrap one first)', () => {
    const monitor = new SafetyMonitor(5, [1, 2, 3]);
    monitor.onDurable(1, write([entry(1), entry(2, { voters: [1, 2, 3], learners: [4, 5] }), entry(3, { voters: [1, 2, 3, 4], learners: [5] })]));
    monitor.onDurable(1, write([entry(4, { voters: [2, 3, 4], learners: [5] })]));
    expect(monitor.violation).toBeNull();
    monitor.onDurable(2, write([entry(1), entry(2, { voters: [1, 2, 3, 4, 5], learners: [] })]));
    expect(monitor.violation).toMatchObject({ invariant: 'config-one-server-at-a-time', nodes: [2], index: 2 });
  });

  it('a swap of one voter for another is two voters at once', () => {
    const monitor = new SafetyMonitor(4, [1, 2, 3]);
    monitor.onDurable(1, write([entry(1, { voters: [1, 2, 4], learners: [] })]));
    expect(monitor.violation?.message).toMatch(/n3, n4 at once/);
  });
});

describe('acknowledged writes kept, by the latest committed configuration', () => {
  const fake = { id: 1, term: 1, lastIndex: 3, firstIndex: 1, termAt: () => 1 } as unknown as RaftNodeApi;
  const durable = (index: number): PersistRequest => ({
    id: 1, hardState: { term: 1, votedFor: null }, snapshot: null,
    entries: Array.from({ length: index }, (_, i) => ({ index: i + 1, term: 1, command: `c${i + 1}` })),
  });

  /** Five nodes, bootstrap voters n1..n3, a write acknowledged at index 2, and a later committed configuration of voters n3..n5. */
  function shrunk(holders: number[]): SafetyMonitor {
    const monitor = new SafetyMonitor(5, [1, 2, 3]);
    monitor.onCommitIndex(fake, 3, 0, 0);
    monitor.onAcknowledgedWrite(1, 2, 1, 'client 1 seq 1 put k0');
    monitor.onConfigCommitted(3, { voters: [3, 4, 5], learners: [] });
    for (const node of holders) monitor.onDurable(node, durable(3));
    const config = monitor.latestCommittedConfig;
    monitor.checkAcknowledgedWritesKept(config.voters, majority(config.voters.length));
    return monitor;
  }

  it('fires when three nodes of five hold it but only one current voter does (a fixed 3-of-5 count would miss it)', () => {
    expect(shrunk([1, 2, 3]).violation).toMatchObject({ invariant: 'acknowledged-write-lost', nodes: [3] });
  });

  it('passes when a majority of the current voters holds it, though the removed nodes do not (a count over all would false-alarm on 3 voters of 3)', () => {
    expect(shrunk([4, 5]).violation).toBeNull();
  });

  it('a configuration committed earlier than the one known never replaces it', () => {
    const monitor = new SafetyMonitor(5, [1, 2, 3]);
    monitor.onConfigCommitted(7, { voters: [1, 2, 3, 4], learners: [] });
    monitor.onConfigCommitted(5, { voters: [1, 2, 3], learners: [4] });
    expect(monitor.latestCommittedConfig).toEqual({ voters: [1, 2, 3, 4], learners: [] });
  });
});
