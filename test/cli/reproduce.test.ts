/**
 * One command that reproduces (issue 12): a fuzz failure with swarm and a bug names its run in
 * history.json's `source` and report.html's header, in failure.json's `replay` and in the --json
 * summary's `replay`; each command, run as printed through the built CLI, fails the same way with
 * the same trace hash.
 * (history.json used to say `raftsim run <scenario> --seed N`, without --swarm and --bug: it passed.)
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { raftsim } from './helpers.js';

/** A catalog bug its scenario catches at seed 1 with swarm on, in a fraction of a virtual second. */
const BUG = 'grant-every-vote';
const SCENARIO = 'split-vote';

/** Runs a printed command as a user would, with --json added for the verdict. */
function runPrinted(command: string) {
  // Printed commands here need no shell: plain words only (a quoted path would show here).
  expect(command).toMatch(/^raftsim [\w./ -]+$/);
  const result = raftsim(...command.split(' ').slice(1), '--json');
  expect(result.stderr).toBe('');
  return { code: result.code, verdict: JSON.parse(result.stdout) };
}

describe('the command a run is named by reproduces it', () => {
  it('history source, failure.json and --json replay all rerun the failing fuzz run, same violation, same trace hash', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'raftsim-reproduce-')), 'failures');
    const fuzz = raftsim('fuzz', SCENARIO, '--seeds', '1', '--bug', BUG, '--out', out, '--json');
    expect(fuzz.code).toBe(1);
    const summary = JSON.parse(fuzz.stdout);
    expect(summary.campaign).toEqual(expect.objectContaining({ swarm: true, bug: BUG }));
    const [failure] = summary.failures;
    const folder = join(out, `${SCENARIO}-seed-1`);
    const failureFile = JSON.parse(readFileSync(join(folder, 'failure.json'), 'utf8'));
    const history = JSON.parse(readFileSync(join(folder, 'history.json'), 'utf8'));

    expect(failure.replay).toBe(`raftsim replay ${join(folder, 'failure.json')}`);
    expect(failureFile.replay).toBe(failure.replay);
    expect(history.source).toBe(`raftsim replay ${SCENARIO} --seed 1 --swarm --bug ${BUG}`);
    // report.html, beside failure.json in its folder, names it by the failure file's command.
    const report = readFileSync(join(folder, 'report.html'), 'utf8');
    expect(/<code id="replay">([^<]*)<\/code>/.exec(report)?.[1]).toBe(failure.replay);

    for (const command of [history.source, failure.replay]) {
      const { code, verdict } = runPrinted(command);
      expect(code, command).toBe(1);
      expect(verdict.traceHash, command).toBe(failure.traceHash);
      expect(verdict.violation, command).toEqual(failure.violation);
      // The rerun names its run by a command that reproduces it too.
      expect(verdict.replay).toBe(command);
    }
  });
});
