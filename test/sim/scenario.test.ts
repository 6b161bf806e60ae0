import { describe, expect, it } from 'vitest';
import { bundledScenarioNames, loadScenario, parseScenarioText } from '../../src/cli/scenarios.js';
import { UsageError } from '../../src/cli/errors.js';
import { drawFaultSchedule } from '../../src/sim/nemesis.js';
import { Prng } from '../../src/sim/prng.js';
import { drawWorkload } from '../../src/sim/workload.js';

const REQUIRED = ['no-faults', 'leader-crash', 'follower-rejoin', 'minority-partition', 'leader-isolated',
  'split-vote', 'full-restart', 'lossy-churn', 'figure8', 'snapshot-catchup'];

describe('bundled scenarios', () => {
  it('include every scenario the issue names', () => {
    expect(bundledScenarioNames()).toEqual(expect.arrayContaining(REQUIRED));
  });

  it.each(bundledScenarioNames())('%s still parses under every rule', (name) => {
    expect(() => loadScenario(name)).not.toThrow();
  });

  it.each(REQUIRED)('%s parses and has a description', (name) => {
    const scenario = loadScenario(name);
    expect(scenario.name).toBe(name);
    expect(scenario.description.length).toBeGreaterThan(10);
  });
});

describe('scenario validation', () => {
  const bad = (text: string) => () => parseScenarioText(text, 'mine.json', 'mine');

  it.each([
    ['{', /mine\.json: not valid JSON/],
    ['[]', /mine\.json: \(top level\): must be an object/],
    ['{"nodes": "three"}', /mine\.json: nodes: must be an integer/],
    ['{"nodes": 0}', /mine\.json: nodes: must be between 1 and 9/],
    ['{"nodez": 3}', /mine\.json: nodez: unknown field \(did you mean nodes\?\)/],
    ['{"network": {"dropRatio": 2}}', /network\.dropRatio: must be a number from 0 to 1/],
    ['{"timing": {"heartbeatTicks": 50}}', /timing\.heartbeatTicks: must be below timing\.electionTicksMin \(15\), got 50/],
    ['{"workload": {"mix": {"get": 0}}}', /workload\.mix: must give some operation a positive weight/],
    ['{"faults": {"kinds": {"meteor": 1}}}', /faults\.kinds\.meteor: unknown field \(known: crash, /],
    ['{"faults": {"schedule": [{"atMs": 5, "kind": "explode"}]}}', /faults\.schedule\[0\]\.kind: unknown action "explode" \(known: crash, /],
    ['{"nodes": 3, "faults": {"schedule": [{"atMs": 5, "kind": "crash", "node": 4}]}}', /faults\.schedule\[0\]\.node: n4, but the cluster has 3 nodes \(n1 to n3\)/],
  ])('rejects %s with one line naming the field', (text, message) => {
    expect(bad(text)).toThrow(UsageError);
    expect(bad(text)).toThrow(message);
    try {
      bad(text)();
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('names an unknown bundled scenario and lists the known ones', () => {
    expect(() => loadScenario('nope')).toThrow(/unknown scenario "nope" \(known: .*lossy-churn/);
  });
});

describe('drawn lists', () => {
  it('draw the same workload and fault schedule for the same seed', () => {
    const scenario = loadScenario('lossy-churn');
    const draw = (seed: string) => ({
      plans: drawWorkload(scenario, new Prng(seed).child('workload')),
      faults: drawFaultSchedule(scenario, new Prng(seed).child('nemesis')),
    });
    expect(draw('5')).toEqual(draw('5'));
    expect(draw('5')).not.toEqual(draw('6'));
    const { faults } = draw('5');
    expect(faults.length).toBeGreaterThan(10);
    expect(faults.every((a, i) => i === 0 || faults[i - 1]!.atMs <= a.atMs)).toBe(true);
  });
});
