/**
 * Client links: their own drop, duplicate and latency; `clients-reach` cuts the clients off from
 * every node but some until a heal.
 */
import { describe, expect, it } from 'vitest';
import { leaderAt, records, runWorld, tinyScenario } from './faultRuns.js';

const SEED = 7;
const scenario = tinyScenario();
const quiet = runWorld(scenario, SEED, []);
const leader = leaderAt(quiet, 1000)!;
const follower = leader === 1 ? 2 : 1;
const returnsBetween = (run: ReturnType<typeof runWorld>, from: number, to: number) =>
  records(run, 'return', (r) => Number(r.t) > from && Number(r.t) < to);

describe('clients-reach', () => {
  it('blocks requests to every other node until a heal: cut off with a follower, nothing completes', () => {
    const run = runWorld(scenario, SEED, [
      { atMs: 1000, kind: 'clients-reach', nodes: [follower] },
      { atMs: 2000, kind: 'heal' },
    ]);
    expect(records(run, 'clients-reach')).toEqual([
      { t: 1000, ev: 'clients-reach', nodes: String(follower) },
      { t: 2000, ev: 'clients-reach', nodes: 'all' },
    ]);
    expect(returnsBetween(quiet, 1010, 2000).length).toBeGreaterThan(10);
    expect(returnsBetween(run, 1010, 2000)).toEqual([]);
    expect(returnsBetween(run, 2000, 3000).length).toBeGreaterThan(10);
  });

  it('lets the clients work through the nodes they reach', () => {
    const run = runWorld(scenario, SEED, [{ atMs: 1000, kind: 'clients-reach', nodes: [leader] }]);
    const returns = returnsBetween(run, 1010, 3000);
    expect(returns.length).toBeGreaterThan(10);
    expect(returns.every((r) => r.node === leader)).toBe(true);
  });
});

describe('client network', () => {
  it('has its own latency', () => {
    const slow = tinyScenario({ clientNetwork: { latencyMsMin: 40, latencyMsMean: 40, latencyMsMax: 40 } });
    const run = runWorld(slow, SEED, []);
    const ops = run.world.history.operations.filter((op) => op.return !== null);
    expect(ops.length).toBeGreaterThan(5);
    for (const op of ops) expect(op.return! - op.call).toBeGreaterThanOrEqual(80);
    // The node network is as fast as before: the first election takes no longer.
    const firstLeader = (r: ReturnType<typeof runWorld>) => records(r, 'role', (x) => x.role === 'leader')[0]!.t;
    expect(firstLeader(run)).toBe(firstLeader(quiet));
  });

  it('drops requests and answers with its own ratio, until the final heal', () => {
    const lossy = tinyScenario({ clientNetwork: { dropRatio: 1 } });
    const run = runWorld(lossy, SEED, []);
    expect(returnsBetween(run, 0, 3000)).toEqual([]);
    // After the heal the outstanding operation's retry gets through.
    expect(returnsBetween(run, 3000, 5000).length).toBeGreaterThan(0);
    // The node network does not drop: the drop ratio applies to client links only.
    expect(records(run, 'drop')).toEqual([]);
  });

  it('duplicates requests and answers with its own ratio; duplicates are harmless', () => {
    const dup = tinyScenario({ clientNetwork: { duplicateRatio: 1 } });
    const run = runWorld(dup, SEED, []);
    const duplicates = records(run, 'client-duplicate');
    expect(duplicates.some((d) => d.what === 'request')).toBe(true);
    expect(duplicates.some((d) => d.what === 'response')).toBe(true);
    expect(returnsBetween(run, 0, 3000).length).toBeGreaterThan(10);
    expect(run.world.monitor.violation).toBeNull();
  });
});
