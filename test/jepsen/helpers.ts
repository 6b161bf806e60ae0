/** The built CLI for the jepsen tests; fails plainly when it has not been built. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// RAFTSIM_CLI points at another built entry (e.g. before a command is registered in main.ts).
const MAIN = process.env.RAFTSIM_CLI ?? fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

export function cliEntry(): string {
  if (!existsSync(MAIN)) throw new Error(`the built CLI ${MAIN} is missing: run "npm run build"`);
  return MAIN;
}

/** Runs the CLI; SIGKILLed after `timeoutMs` (its nodes then stop themselves: --stop-with-parent). */
export function raftsim(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliEntry(), ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
