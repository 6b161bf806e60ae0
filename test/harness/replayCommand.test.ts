/**
 * The one command that names a run (src/harness/failureFile.ts, replayCommand): every field of a
 * RunSpec that changes the run shows in it, and parsed back through the CLI's own flags and target
 * loading (src/cli/options.ts, src/cli/replay.ts) it gives the same spec. Issue 12: history.json
 * named `raftsim run lossy-churn --seed 3` for a swarm run with a bug, a command that passed.
 */
import yargs from 'yargs';
import { describe, expect, it } from 'vitest';
import type { CommandModule } from 'yargs';
import { checkTimeoutMs } from '../../src/cli/options.js';
import type { RunFlags } from '../../src/cli/options.js';
import { loadRunTarget, replayRunCommand } from '../../src/cli/replay.js';
import { loadScenario } from '../../src/cli/scenarios.js';
import { executeRun } from '../../src/harness/execute.js';
import type { RunSpec } from '../../src/harness/execute.js';
import { replayCommand } from '../../src/harness/failureFile.js';

const base: RunSpec = { scenario: loadScenario('split-vote'), scenarioRef: 'split-vote', seed: 1, swarm: true, bug: 'grant-every-vote' };

/**
 * A command's words after `raftsim`, parsed by `replay`'s own builder (strict: no flag it does not
 * know) and target loading; only the handler, which would run the simulation, is left out.
 */
function parseReplay(command: string) {
  const words = command.split(' ');
  expect(words[0]).toBe('raftsim');
  let parsed: { target: string } & RunFlags = { target: '', swarm: false, 'check-timeout': '' };
  const noRun = { ...replayRunCommand, handler: (args: typeof parsed) => void (parsed = args) } as unknown as CommandModule;
  yargs(words.slice(1)).command(noRun).strict().exitProcess(false).fail((message) => {
    throw new Error(`${command}: ${message}`);
  }).parseSync();
  return { loaded: loadRunTarget(parsed.target, parsed), checkTimeoutMs: checkTimeoutMs(parsed['check-timeout'], true) };
}

/**
 * Every field of RunSpec, and how a command carries it. Typed as a Record over keyof RunSpec, so a
 * new field fails the typecheck here until someone says how the command names it.
 */
const HOW_CARRIED: Record<keyof RunSpec, { vary: Partial<RunSpec>; carried: 'flag' | 'failure file' }> = {
  scenario: { vary: { scenario: loadScenario('lossy-churn'), scenarioRef: 'lossy-churn' }, carried: 'flag' },
  scenarioRef: { vary: { scenario: loadScenario('lossy-churn'), scenarioRef: 'lossy-churn' }, carried: 'flag' },
  seed: { vary: { seed: 2 }, carried: 'flag' },
  swarm: { vary: { swarm: false }, carried: 'flag' },
  bug: { vary: { bug: null }, carried: 'flag' },
  plans: { vary: { plans: [[{ thinkMs: 1, op: { f: 'get', key: 'k1' } }]] }, carried: 'failure file' },
  faults: { vary: { faults: [] }, carried: 'failure file' },
  overrides: { vary: { overrides: { durationMs: 500 } }, carried: 'failure file' },
};

describe('replayCommand: the one command that names a run', () => {
  it.each(Object.entries(HOW_CARRIED).map(([field, how]) => [field, how.carried, how.vary] as const))('carries %s (by %s)', (_field, carried, vary) => {
    const varied: RunSpec = { ...base, ...vary };
    expect(replayCommand(varied)).not.toBe(replayCommand(base));
    if (carried === 'flag') {
      const { loaded } = parseReplay(replayCommand(varied));
      expect(loaded.spec).toEqual(varied);
    } else {
      // No flag holds explicit lists or overrides: the command says so, and only the file replays it.
      expect(replayCommand(varied)).toMatch(/^raftsim replay <its failure\.json: no flag holds the run's .+>$/);
      expect(replayCommand(varied, 'out/failure.json')).toBe('raftsim replay out/failure.json');
    }
  });

  it.each([
    { swarm: true, bug: 'grant-every-vote', seed: 1 },
    { swarm: false, bug: 'grant-every-vote', seed: 0 },
    { swarm: true, bug: null, seed: 17 },
    { swarm: false, bug: null, seed: 123456789 },
  ])('parses back to the same spec through replay\'s flags: %j', (fields) => {
    const spec: RunSpec = { ...base, ...fields };
    const command = replayCommand(spec);
    // Swarm is always spelled out: fuzz defaults to on, run and replay to off.
    expect(command.split(' ')).toContain(spec.swarm ? '--swarm' : '--no-swarm');
    expect(parseReplay(command).loaded.spec).toEqual(spec);
  });

  it('names the checker\'s budget when asked (an unknown verdict depends on it), and parses back', () => {
    expect(replayCommand(base, undefined, { checkTimeoutMs: 10_000 })).toBe('raftsim replay split-vote --seed 1 --swarm --bug grant-every-vote --check-timeout 10');
    expect(parseReplay(replayCommand(base, undefined, { checkTimeoutMs: 2_500 })).checkTimeoutMs).toBe(2_500);
    expect(parseReplay(replayCommand(base, undefined, { checkTimeoutMs: Infinity })).checkTimeoutMs).toBe(Infinity);
    // fuzz --check-timeout 0 makes every verdict unknown; its replay command says 0, and replay takes it.
    expect(parseReplay(replayCommand(base, undefined, { checkTimeoutMs: 0 })).checkTimeoutMs).toBe(0);
    expect(replayCommand(base, 'f/failure.json', { checkTimeoutMs: 10_000 })).toBe('raftsim replay f/failure.json --check-timeout 10');
  });

  it('names everything a shrunk run has beyond flags', () => {
    expect(replayCommand({ ...base, faults: [], plans: [], overrides: { nodes: 3 } }))
      .toBe("raftsim replay <its failure.json: no flag holds the run's fault list, operation lists and overrides>");
  });

  it('quotes a path a shell would split', () => {
    expect(replayCommand({ ...base, scenarioRef: "my runs/it's.json" }, undefined)).toBe(`raftsim replay 'my runs/it'\\''s.json' --seed 1 --swarm --bug grant-every-vote`);
    expect(replayCommand(base, 'out dir/failure.json')).toBe(`raftsim replay 'out dir/failure.json'`);
  });

  it('is what a run\'s history names as its source, and swarm changes the run it names', async () => {
    const swarm = await executeRun(base);
    const plain = await executeRun({ ...base, swarm: false });
    expect(swarm.sim.history.source).toBe('raftsim replay split-vote --seed 1 --swarm --bug grant-every-vote');
    expect(plain.sim.history.source).toBe('raftsim replay split-vote --seed 1 --no-swarm --bug grant-every-vote');
    // Both fail, the same way, but they are different runs: a command without --swarm names the other one.
    expect(swarm.status).toBe('fail');
    expect(plain.status).toBe('fail');
    expect(swarm.sim.traceHash).not.toBe(plain.sim.traceHash);
  });
});
