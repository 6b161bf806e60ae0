/**
 * The built CLI, for tests that run `raftsim` as a user would. A test fails plainly when it has
 * not been built (npm ci builds it). RAFTSIM_CLI points at another built entry file. Time budgets
 * are base values, multiplied by RAFTSIM_TEST_TIME_FACTOR (see timeFactor.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scaled } from './timeFactor.js';

const MAIN = process.env.RAFTSIM_CLI ?? fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

/**
 * Without colour, and without fuzz's restart of itself under --single-threaded-gc (a second Node
 * start per campaign, about half of a short campaign's time in CI); the restart is a speed matter
 * only, and test/cli/pty.test.ts runs fuzz with it, as a user's terminal does.
 */
function cliEnv(): NodeJS.ProcessEnv {
  return { ...process.env, NO_COLOR: '1', RAFTSIM_GC_FLAGS: process.env.RAFTSIM_GC_FLAGS ?? 'keep' };
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True when the test's budget ran out and the process was killed for it. */
  readonly timedOut?: boolean;
}

export function cliEntry(): string {
  if (!existsSync(MAIN)) throw new Error(`the built CLI ${MAIN} is missing: run "npm run build" (npm ci does it)`);
  return MAIN;
}

/** Runs the CLI to the end (killed after `timeoutMs` × factor), without color. */
export function raftsimSync(args: readonly string[], timeoutMs = 120_000): CliResult {
  const run = spawnSync(process.execPath, [cliEntry(), ...args], { encoding: 'utf8', timeout: scaled(timeoutMs), env: cliEnv() });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, timedOut: run.error !== undefined && (run.error as NodeJS.ErrnoException).code === 'ETIMEDOUT' };
}

/** Runs the CLI without blocking the test's event loop; sends `signal` after `timeoutMs` × factor. */
export function raftsimAsync(args: readonly string[], timeoutMs = 20_000, signal: NodeJS.Signals = 'SIGKILL'): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliEntry(), ...args], { env: cliEnv() });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill(signal);
    }, scaled(timeoutMs));
    // 'close', not 'exit': by then every byte the child wrote has been read.
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}
