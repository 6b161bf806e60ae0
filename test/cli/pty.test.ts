/**
 * On a real terminal (a pseudo-terminal, through util-linux's `script`, as a person in tmux would
 * run it): fuzz draws its progress bar in place and colours its verdicts; with NO_COLOR it keeps
 * the bar but not the colours; in CI (CI=true) it draws no bar. Through a pipe, neither.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliEntry } from '../support/cli.js';
import { scaled } from '../support/timeFactor.js';

const CSI = '\x1b[';
const BAR = /\r\x1b\[2K\[[#-]+\] \d+\/\d+ seeds/;

function hasScript(): boolean {
  return spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** Runs the CLI under a pseudo-terminal of 100 columns; returns everything the terminal showed. */
function onTerminal(args: readonly string[], env: Record<string, string | undefined>): { code: number | null; screen: string } {
  if (!hasScript()) throw new Error('this test needs util-linux `script` to make a pseudo-terminal (apt-get install bsdutils)');
  const command = ['stty cols 100;', 'exec', process.execPath, cliEntry(), ...args].join(' ');
  const childEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, TERM: 'xterm-256color', FORCE_COLOR: undefined, ...env })) {
    if (value !== undefined) childEnv[key] = value;
  }
  const run = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', timeout: scaled(120_000), env: childEnv });
  return { code: run.status, screen: run.stdout };
}

const CAMPAIGN = ['fuzz', 'split-vote', '--seeds', '3', '--workers', '1', '--bug', 'grant-every-vote', '--keep-going'];

describe('raftsim on a terminal', () => {
  it('fuzz draws its progress bar in place and colours FAIL', () => {
    const { code, screen } = onTerminal(CAMPAIGN, { CI: undefined, NO_COLOR: undefined });
    expect(code).toBe(1);
    expect(screen).toMatch(BAR);
    expect(screen).toContain(`${CSI}31mFAIL`);
  });

  it('NO_COLOR keeps the bar but no colour; CI=true draws no bar', () => {
    const plain = onTerminal(CAMPAIGN, { CI: undefined, NO_COLOR: '1' });
    expect(plain.screen).toMatch(BAR);
    expect(plain.screen.replace(/\x1b\[2K/g, '')).not.toContain(CSI);
    const ci = onTerminal(CAMPAIGN, { CI: 'true', NO_COLOR: undefined });
    expect(ci.code).toBe(1);
    expect(ci.screen).not.toMatch(BAR);
    expect(ci.screen).toContain('FAIL split-vote seed 1');
  });

  it('through a pipe: no bar and no colour, even without NO_COLOR', () => {
    const env = { ...process.env };
    delete env.CI;
    delete env.NO_COLOR;
    delete env.FORCE_COLOR;
    const run = spawnSync(process.execPath, [cliEntry(), ...CAMPAIGN], { encoding: 'utf8', env });
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).not.toContain(CSI);
    expect(run.stdout).toContain('FAIL split-vote seed 1');
  });
});
