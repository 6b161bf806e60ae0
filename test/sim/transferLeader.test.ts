/**
 * The transfer-leader fault action (thesis §3.10): the leader of the moment hands over to the
 * named node, which leads the next term within a few message delays; a transfer to a node that is
 * down is aborted after an election timeout and the old leader goes on in its own term.
 */
import { describe, expect, it } from 'vitest';
import { leaderAt, records, runWorld, tinyScenario } from './faultRuns.js';

const SEED = 7;
const scenario = tinyScenario();
const quiet = runWorld(scenario, SEED, []);
const leader = leaderAt(quiet, 1000)!;
const target = leader === 1 ? 2 : 1;
const termOf = (run: ReturnType<typeof runWorld>, node: number, t: number) =>
  Number(records(run, 'role', (r) => r.node === node && Number(r.t) <= t).at(-1)?.term);

describe('transfer-leader', () => {
  it('elects the target in the next term, at once, without a pre-vote', () => {
    const run = runWorld(scenario, SEED, [{ atMs: 1000, kind: 'transfer-leader', to: target }]);
    const before = termOf(quiet, leader, 1000);
    expect(records(run, 'send', (r) => String(r.msg) === `n${leader}->n${target} TimeoutNow t${before}`).length).toBeGreaterThan(0);
    const won = records(run, 'role', (r) => r.node === target && r.role === 'leader' && Number(r.t) >= 1000);
    expect(won[0]).toMatchObject({ term: before + 1 });
    expect(Number(won[0]!.t)).toBeLessThan(1100);
    expect(records(run, 'role', (r) => r.role === 'pre-candidate' && Number(r.t) >= 1000 && Number(r.t) <= Number(won[0]!.t))).toEqual([]);
  });

  it('to a node that is down: aborted, and the leader keeps its term', () => {
    const run = runWorld(scenario, SEED, [
      { atMs: 900, kind: 'crash', node: target },
      { atMs: 1000, kind: 'transfer-leader', to: target },
    ]);
    expect(leaderAt(run, 2500)).toBe(leader);
    const term = termOf(quiet, leader, 1000);
    expect(term).toBeGreaterThan(0);
    expect(termOf(run, leader, 2500)).toBe(term);
  });
});
