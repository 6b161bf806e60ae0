/**
 * Coverage counters (src/sim/coverage.ts): on small explicit runs, each counter moves when its path
 * is taken and stays at 0 when it is not; counting never changes a run (the pinned trace hashes
 * hold); the scope tells fault kinds a scenario cannot fire from paths it never took.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenarios.js';
import type { StorageModel } from '../../src/sim/scenario.js';
import { KvClient } from '../../src/kv/client.js';
import { KvStateMachine } from '../../src/kv/stateMachine.js';
import { findMutant } from '../../src/mutants/index.js';
import { Coverage } from '../../src/sim/coverage.js';
import { COVERAGE_NAMES, FAULT_KINDS, faultCounter } from '../../src/sim/coverageCounters.js';
import { coverageOutOfScope } from '../../src/sim/coverageScope.js';
import { FAULT_KINDS as PARSED_FAULT_KINDS, parseFaultAction } from '../../src/sim/faults.js';
import type { NodeHost } from '../../src/sim/host.js';
import { runScenario } from '../../src/sim/run.js';
import type { RunOptions } from '../../src/sim/run.js';
import { parseScenario } from '../../src/sim/scenario.js';

/** On the model disk: these counts were pinned to its fsyncs (test/sim/engine covers the engine's). */
const BASE = {
  disk: { storage: 'model' },
  nodes: 3, workload: { clients: 3, opsPerClient: 300, keys: 5 }, durationMs: 6000,
  liveness: { leaderWithinMs: 3000, opsCompleteWithinMs: 10_000 },
};

type Raw = Record<string, unknown>;
const scenario = (raw: Raw) => parseScenario({ ...BASE, ...raw }, 'coverage-test');
const coverageOf = async (raw: Raw, seed = 1, options: Partial<RunOptions> = {}) => (await runScenario(scenario(raw), { seed, ...options })).coverage;
/** Sums a counter over seeds 1..n, for paths a single seed may or may not take. */
const sumOver = async (raw: Raw, name: string, seeds = 3) =>
  (await Promise.all(Array.from({ length: seeds }, async (_, i) => await coverageOf(raw, i + 1)))).map((c) => c[name]!).reduce((a, b) => a + b, 0);

const ISOLATE_LEADER = { faults: { schedule: [{ atMs: 2000, kind: 'isolate', node: 'leader' }, { atMs: 4000, kind: 'heal' }] } };
const ISOLATE_FOLLOWER = { faults: { schedule: [{ atMs: 1000, kind: 'isolate', node: 3 }, { atMs: 4000, kind: 'heal' }] } };

describe('coverage counters', () => {
  it('has one counter per fault action kind, every name once, in table order', () => {
    // Every kind the parser accepts has its counter.
    expect([...FAULT_KINDS].sort()).toEqual([...PARSED_FAULT_KINDS].sort());
    expect(parseFaultAction({ kind: 'no-such-kind', atMs: 0 }, 'action')).toMatch(/kind/);
    for (const kind of FAULT_KINDS) expect(COVERAGE_NAMES[faultCounter(kind)]).toBe(`faults.${kind}`);
    expect(new Set(COVERAGE_NAMES).size).toBe(COVERAGE_NAMES.length);
  });

  it('gives every run every counter, by name, in order, as non-negative integers', async () => {
    const coverage = await coverageOf({});
    expect(Object.keys(coverage)).toEqual(COVERAGE_NAMES);
    for (const count of Object.values(coverage)) expect(Number.isInteger(count) && count >= 0).toBe(true);
  });

  it('counts a scheduled crash of the leader, its restart and a second election won; a clean run counts none', async () => {
    const crash = await coverageOf({ faults: { schedule: [{ atMs: 2000, kind: 'crash', node: 'leader', forMs: 1000 }] } });
    expect(crash['faults.crash']).toBe(1);
    expect(crash['faults.restart']).toBe(1);
    expect(crash['elections.won']).toBeGreaterThanOrEqual(2);
    expect(crash['faults.messages-cut']).toBeGreaterThan(0);
    const clean = await coverageOf({});
    expect(clean['faults.crash']).toBe(0);
    expect(clean['faults.restart']).toBe(0);
    expect(clean['faults.messages-cut']).toBe(0);
    expect(clean['elections.won']).toBe(1);
    expect(clean['elections.leaders-deposed']).toBe(0);
    expect(clean['replication.conflict-truncations']).toBe(0);
  });

  it('an isolated leader is deposed with work in flight, its uncommitted suffix is truncated, its old-term appends are refused', async () => {
    const c = await coverageOf(ISOLATE_LEADER);
    expect(c['faults.isolate']).toBe(1);
    expect(c['faults.heal']).toBe(1);
    expect(c['elections.leaders-deposed']).toBeGreaterThanOrEqual(1);
    expect(c['elections.deposed-with-work']).toBeGreaterThanOrEqual(1);
    expect(c['replication.conflict-truncations']).toBeGreaterThanOrEqual(1);
    expect(c['replication.fast-backups']).toBeGreaterThanOrEqual(1);
    expect(c['replication.appends-rejected']).toBeGreaterThanOrEqual(c['replication.fast-backups']!);
    // In these runs such refusals show up only without PreVote (none in seeds 1–6 with it, with or
    // without CheckQuorum), so this part runs without it.
    expect(await sumOver({ ...ISOLATE_LEADER, raft: { preVote: false } }, 'replication.stale-leader-appends')).toBeGreaterThan(0);
  });

  it('an isolated follower times out election after election; after the heal its stale log is refused votes', async () => {
    // Without PreVote: with it, the follower stays a pre-candidate and never starts an election.
    const c = await coverageOf({ ...ISOLATE_FOLLOWER, raft: { preVote: false } });
    expect(c['elections.timed-out']).toBeGreaterThanOrEqual(3);
    expect(c['elections.lost']).toBeGreaterThanOrEqual(1);
    expect(c['elections.votes-refused-stale-log']).toBeGreaterThanOrEqual(1);
    expect((await coverageOf({}))['elections.votes-refused-stale-log']).toBe(0);
  });

  it('counts split votes when candidates keep colliding (split-vote), and every election ends at most once', async () => {
    let splits = 0;
    for (const seed of [1, 2, 3]) {
      const c = (await runScenario(loadScenario('split-vote'), { seed })).coverage;
      splits += c['elections.split-votes']!;
      expect(c['elections.started']).toBeGreaterThanOrEqual(c['elections.won']! + c['elections.lost']! + c['elections.timed-out']!);
      expect(c['elections.split-votes']).toBeLessThanOrEqual(c['elections.timed-out']! + c['elections.lost']!);
    }
    expect(splits).toBeGreaterThan(0);
  });

  it('counts snapshots sent, installed and compactions only when the scenario compacts', async () => {
    const partitioned = { faults: { schedule: [{ atMs: 1000, kind: 'partition', groups: [[1, 2], [3]] }, { atMs: 4000, kind: 'heal' }] } };
    const on = await coverageOf({ ...partitioned, raft: { snapshotEveryEntries: 20 } });
    expect(on['faults.partition']).toBe(1);
    expect(on['replication.snapshots-sent']).toBeGreaterThanOrEqual(1);
    expect(on['replication.snapshots-installed']).toBeGreaterThanOrEqual(1);
    expect(on['replication.compactions']).toBeGreaterThanOrEqual(1);
    const off = await coverageOf(partitioned);
    expect([off['replication.snapshots-sent'], off['replication.snapshots-installed'], off['replication.compactions']]).toEqual([0, 0, 0]);
  });

  it('counts message faults apart: random loss, duplicates, cuts and holds', async () => {
    const lossy = await coverageOf({ network: { dropRatio: 0.05, duplicateRatio: 0.1 } });
    expect(lossy['faults.messages-dropped']).toBeGreaterThan(0);
    expect(lossy['faults.messages-duplicated']).toBeGreaterThan(0);
    expect(lossy['faults.messages-cut']).toBe(0);
    const held = await coverageOf({ faults: { schedule: [{ atMs: 2000, kind: 'hold', from: 1, to: 2 }, { atMs: 2500, kind: 'release', from: 1, to: 2 }] } });
    expect(held['faults.messages-held']).toBeGreaterThan(0);
    expect([held['faults.hold'], held['faults.release'], held['faults.messages-dropped']]).toEqual([1, 1, 0]);
  });

  it('counts a crash-next-leader trap when it springs', async () => {
    const c = await coverageOf({ faults: { schedule: [
      { atMs: 2000, kind: 'crash-next-leader', afterMs: 5, forMs: 500 }, { atMs: 2100, kind: 'crash', node: 'leader', forMs: 500 },
    ] } });
    expect(c['faults.crash-next-leader']).toBe(1);
    expect(c['faults.traps-sprung']).toBe(1);
    // The scheduled crash and the trap's own crash.
    expect(c['faults.crash']).toBe(2);
  });

  it('counts client timeouts, redirects and retries answered from the session table', async () => {
    const c = await coverageOf({ workload: { clients: 3, opsPerClient: 300, keys: 5, clientTimeoutMs: 8 } });
    expect(c['clients.timeouts']).toBeGreaterThan(0);
    expect(c['clients.session-hits']).toBeGreaterThan(0);
    expect(c['clients.retries']).toBe(c['clients.timeouts']! + c['clients.not-leader-redirects']! + c['clients.retry-answers']!);
    expect(c['clients.operations-ok']).toBe(900);
    expect(c['clients.unknown-outcomes']).toBe(0);
    expect((await coverageOf({}))['clients.session-hits']).toBe(0);
  });

  it('counts commands that reached the log twice, and none of them under the no-duplicate-detection bug', async () => {
    // Without PreVote the isolated follower deposes the leader at the heal, and clients retry what
    // it had in flight; with PreVote these runs never put a command in the log twice.
    const disrupting = { ...ISOLATE_FOLLOWER, raft: { preVote: false } };
    expect(await sumOver(disrupting, 'clients.log-duplicates', 8)).toBeGreaterThan(0);
    const buggy = await Promise.all([1, 2, 3].map(async (seed) => (await runScenario(scenario(disrupting), { seed, factories: findMutant('no-duplicate-detection')! })).coverage));
    expect(buggy.map((c) => c['clients.log-duplicates'])).toEqual([0, 0, 0]);
  });

  it('counts older-term entries a new leader commits through its own no-op', async () => {
    expect(await sumOver({ faults: { schedule: [{ atMs: 2000, kind: 'crash', node: 'leader', forMs: 1000 }] } }, 'replication.older-term-commits')).toBeGreaterThan(0);
    expect((await coverageOf({}))['replication.older-term-commits']).toBe(0);
  });
});

describe('coverage hooks, one Ready at a time', () => {
  /** `writtenLastIndex`: the log's last index as of the node's previous write (the world keeps it). */
  const host = (id: number, lastIndex: number, role = 'follower', term = 2, writtenLastIndex = 0) =>
    ({ id, writtenLastIndex, raft: { lastIndex, term, role, termAt: () => term }, kv: { pendingCount: 0 } }) as unknown as NodeHost;
  const ready = (over: Record<string, unknown>) => ({ persist: null, messages: [], snapshotToApply: null, committed: [], ...over }) as never;
  const entry = (index: number, term = 2) => ({ index, term, command: null });
  const count = (coverage: Coverage, name: string) => coverage.counts[COVERAGE_NAMES.indexOf(name)];

  it('tells a conflict truncation from an append, and an install from a compaction', () => {
    const coverage = new Coverage(3);
    coverage.ready(host(2, 5, 'follower', 2, 0), ready({ persist: { id: 1, hardState: null, snapshot: null, entries: [entry(1), entry(5)] } }));
    coverage.ready(host(2, 7, 'follower', 2, 5), ready({ persist: { id: 2, hardState: null, snapshot: null, entries: [entry(6), entry(7)] } }));
    expect(count(coverage, 'replication.conflict-truncations')).toBe(0);
    coverage.ready(host(2, 7, 'follower', 2, 7), ready({ persist: { id: 3, hardState: null, snapshot: null, entries: [entry(7, 3)] } }));
    expect(count(coverage, 'replication.conflict-truncations')).toBe(1);
    const snapshot = { lastIncludedIndex: 20, lastIncludedTerm: 3, data: null };
    coverage.ready(host(2, 20), ready({ persist: { id: 4, hardState: null, snapshot, entries: [] }, snapshotToApply: snapshot }));
    coverage.ready(host(2, 20), ready({ persist: { id: 5, hardState: null, snapshot: { ...snapshot }, entries: [] } }));
    // A restart's restore: a snapshot to apply with no write of it.
    coverage.ready(host(3, 20), ready({ snapshotToApply: snapshot }));
    expect(count(coverage, 'replication.snapshots-installed')).toBe(1);
    expect(count(coverage, 'replication.compactions')).toBe(1);
  });

  it('tells a fast backup from a one-step rejection and from a stale-term refusal', () => {
    const coverage = new Coverage(3);
    const rejection = (rejectedIndex: number, conflictIndex: number) => ({
      type: 'AppendEntriesResponse', from: 2, to: 1, term: 2, success: false, matchIndex: 0, rejectedIndex, conflictTerm: 0, conflictIndex,
    });
    coverage.ready(host(2, 9), ready({ messages: [rejection(10, 10), rejection(10, 4), rejection(10, 0)] }));
    expect(count(coverage, 'replication.appends-rejected')).toBe(2);
    expect(count(coverage, 'replication.fast-backups')).toBe(1);
    expect(count(coverage, 'replication.stale-leader-appends')).toBe(1);
  });

  it('counts a deposed leader as having work in flight only with uncommitted entries or abandoned requests', () => {
    const coverage = new Coverage(3);
    const deposed = (lastIndex: number, commitIndex: number, pendingAbandoned: number) => {
      const leader = { id: 1, lastRole: 'leader', lastTerm: 2, raft: { lastIndex, commitIndex }, kv: { pendingCount: 0, pendingAbandoned } };
      coverage.roleChanged(leader as unknown as NodeHost, 'follower', 3);
    };
    deposed(10, 10, 0);
    expect([count(coverage, 'elections.leaders-deposed'), count(coverage, 'elections.deposed-with-work')]).toEqual([1, 0]);
    deposed(12, 10, 0);
    deposed(10, 10, 2);
    // The server's counter has not moved since the last look: nothing was abandoned this time.
    deposed(10, 10, 2);
    expect([count(coverage, 'elections.leaders-deposed'), count(coverage, 'elections.deposed-with-work')]).toEqual([4, 2]);
  });
});

describe('coverage in the kv layer', () => {
  it('the state machine counts duplicates answered from the session table and stale ones dropped', () => {
    const machine = new KvStateMachine();
    const put = { f: 'put', key: 'k', value: 'v' } as const;
    machine.apply({ clientId: 1, seq: 1, op: put }, 1);
    machine.apply({ clientId: 1, seq: 2, op: put }, 2);
    machine.apply({ clientId: 1, seq: 2, op: put }, 3);
    machine.apply({ clientId: 1, seq: 1, op: put }, 4);
    expect([machine.duplicatesAnswered, machine.staleDuplicates]).toEqual([1, 1]);
  });

  it('the client counts its resends by cause', () => {
    const client = new KvClient({ clientId: 1, servers: [1, 2, 3] });
    client.begin({ f: 'get', key: 'k' });
    client.onResponse(1, { status: 'not-leader', clientId: 1, seq: 1, leaderHint: 2 });
    client.onResponse(2, { status: 'retry', clientId: 1, seq: 1 });
    client.onTimeout();
    expect(client.counters).toEqual({ resends: 3, redirects: 1, retryAnswers: 1, timeouts: 1, abandoned: 0 });
    // Giving up ends the operation: the next one has a new seq, and a late answer to the old one is ignored.
    client.abandon();
    expect(client.counters.abandoned).toBe(1);
    expect(client.begin({ f: 'get', key: 'k' }).request.seq).toBe(2);
    expect(client.onResponse(3, { status: 'ok', clientId: 1, seq: 1, output: { value: null } }).kind).toBe('ignore');
  });
});

describe('coverage and determinism', () => {
  it('leaves the pinned trace hashes unchanged', async () => {
    const pinned = JSON.parse(readFileSync(new URL('../fixtures/trace-hashes.json', import.meta.url), 'utf8')) as Record<string, string>;
    for (const [key, hash] of Object.entries(pinned)) {
      const [name, , seed, , storage] = key.split(' ');
      const scenario = loadScenario(name!);
      const run = storage === undefined ? scenario : { ...scenario, disk: { ...scenario.disk, storage: storage as StorageModel } };
      expect((await runScenario(run, { seed: Number(seed) })).traceHash, key).toBe(hash);
    }
  });

  it('gives the same counts for the same seed, with or without the trace kept', async () => {
    const scenario = loadScenario('lossy-churn');
    const a = await runScenario(scenario, { seed: 5 });
    const b = await runScenario(scenario, { seed: 5, keepTrace: true });
    expect(b.coverage).toEqual(a.coverage);
    expect(b.traceHash).toBe(a.traceHash);
  });
});

describe('coverage scope', () => {
  it('puts every fault kind and snapshot counter out of scope of a scenario without faults or compaction', () => {
    const off = coverageOutOfScope(loadScenario('no-faults'));
    for (const kind of FAULT_KINDS) expect(off).toContain(`faults.${kind}`);
    expect(off).toEqual(expect.arrayContaining(['faults.messages-dropped', 'replication.snapshots-sent', 'replication.compactions']));
    expect(off.some((name) => name.startsWith('elections.') || name.startsWith('clients.'))).toBe(false);
  });

  it('puts in scope what the schedule and the random kinds fire', () => {
    const catchup = coverageOutOfScope(loadScenario('snapshot-catchup'));
    for (const name of ['faults.crash', 'faults.restart', 'faults.isolate', 'faults.heal', 'replication.snapshots-sent']) {
      expect(catchup).not.toContain(name);
    }
    expect(catchup).toContain('faults.partition');
    const random = coverageOutOfScope(scenario({ faults: { meanIntervalMs: 500, kinds: { hold: 1, 'crash-new-leader': 1 } } }));
    for (const name of ['faults.hold', 'faults.release', 'faults.messages-held', 'faults.crash-next-leader', 'faults.traps-sprung', 'faults.restart']) {
      expect(random).not.toContain(name);
    }
    expect(random).toContain('faults.isolate');
    // Kinds listed with weight 0 are off (a weight with no fault interval is refused by the parser).
    expect(coverageOutOfScope(scenario({ faults: { meanIntervalMs: 500, kinds: { hold: 0, crash: 1 } } }))).toContain('faults.hold');
  });
});
