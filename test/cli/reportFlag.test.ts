/**
 * `--report FILE` on run and replay (item 2 of issue 12): the run's report.html, with the command
 * that reruns the run in its header; a path whose folder does not exist is refused before the run.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { raftsim } from './helpers.js';

describe('--report', () => {
  it('run writes report.html for a failing run, naming the command that reruns it; replay writes the same run\'s page', () => {
    const dir = mkdtempSync(join(tmpdir(), 'raftsim-report-flag-'));
    const page = join(dir, 'run.html');
    const run = raftsim('run', 'split-vote', '--seed', '1', '--bug', 'grant-every-vote', '--report', page);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`wrote ${page}`);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('raftsim replay split-vote --seed 1 --no-swarm --bug grant-every-vote');
    expect(html).toContain('election-safety');
    const again = join(dir, 'replay.html');
    const replay = raftsim('replay', 'split-vote', '--seed', '1', '--bug', 'grant-every-vote', '--report', again);
    expect(replay.code).toBe(1);
    expect(readFileSync(again, 'utf8')).toContain('raftsim replay split-vote --seed 1 --no-swarm --bug grant-every-vote');
  });

  it('shrink writes the shrunk run\'s report.html, naming it by the shrunk failure file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'raftsim-report-shrink-'));
    expect(raftsim('fuzz', 'split-vote', '--seeds', '1', '--bug', 'grant-every-vote', '--out', dir).code).toBe(1);
    const failure = join(dir, 'split-vote-seed-1', 'failure.json');
    const page = join(dir, 'shrunk.html');
    const shrink = raftsim('shrink', failure, '--quiet', '--report', page);
    expect(shrink.code).toBe(0);
    expect(shrink.stdout).toContain('minimal (');
    const html = readFileSync(page, 'utf8');
    expect(html).toContain(`raftsim replay ${join(dir, 'split-vote-seed-1', 'failure.shrunk.json')}`);
    expect(html).toContain('election-safety');
  });

  it('refuses a report path in a folder that does not exist, before running (exit 2, one line)', () => {
    const missing = join(tmpdir(), 'raftsim-no-such-folder-7f3a', 'r.html');
    const { code, stdout, stderr } = raftsim('run', 'split-vote', '--seed', '1', '--report', missing);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('no such folder');
    expect(existsSync(missing)).toBe(false);
  });
});
