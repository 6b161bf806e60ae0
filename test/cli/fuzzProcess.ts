/**
 * `raftsim fuzz` as a child process of the built CLI (dist/, which `npm ci` builds), without color.
 * Unless a test sets its own, the check has no real-time budget (`--check-timeout none`): the
 * search is deterministic, so a loaded machine makes a run slower, never `unknown`.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const WORKER = join(CLI, '..', 'fuzz', 'worker.js');

export interface FuzzProcessResult { code: number | null; stdout: string; stderr: string }

export function fuzzProcess(givenArgs: readonly string[], env: Record<string, string> = {}): Promise<FuzzProcessResult> {
  if (!existsSync(CLI) || !existsSync(WORKER)) throw new Error(`the built CLI (${CLI}, ${WORKER}) is missing: run "npm run build" (npm ci does it)`);
  const args = givenArgs.includes('--check-timeout') ? givenArgs : [...givenArgs, '--check-timeout', 'none'];
  return new Promise((resolve) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...env };
    delete childEnv.FORCE_COLOR;
    execFile(process.execPath, [CLI, 'fuzz', ...args], { encoding: 'utf8', env: childEnv, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}
