/**
 * What `raftsim cluster` tells and tidies when nodes go away: the exact command that restarts a
 * node that died (runnable as printed, in a shell), and the removal of the temporary data
 * directory it made for itself — never one the user named, and not while a node the user
 * restarted by hand still runs from it.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { basename, delimiter, dirname, join, sep } from 'node:path';
import { LOCK_NAME } from '../storage/lockErrors.js';

/**
 * How to run this CLI again from a shell: `raftsim` when it was started through a `raftsim` on the
 * PATH, the script's path when it is an executable without one, `node SCRIPT` otherwise (with
 * node's full path when `node` on the PATH is not this one).
 */
export function cliInvocation(script: string, execPath: string, pathVariable: string): string[] {
  const onPath = new Set(pathVariable.split(delimiter).filter((d) => d !== ''));
  if (!/\.[cm]?js$/.test(script)) {
    // npx puts node_modules/.bin on the PATH of the process only, not of the user's shell.
    const shellFindsIt = onPath.has(dirname(script)) && !dirname(script).endsWith(`node_modules${sep}.bin`);
    return [shellFindsIt ? basename(script) : script];
  }
  const node = basename(execPath) === 'node' && onPath.has(dirname(execPath)) ? 'node' : execPath;
  return [node, script];
}

/** `arg` as one shell word: bare when it is plainly safe, in single quotes otherwise. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}

export type Cleanup = { readonly removed: string } | { readonly kept: string; readonly why: string };

/**
 * Removes `dir`, which this process created, unless a live process holds the lock of one of
 * `nodeDirs` (a node restarted by hand from the printed command, running on its own).
 */
export function removeCreatedDataDir(dir: string, nodeDirs: readonly string[]): Cleanup {
  const holders = nodeDirs.flatMap((nodeDir) => {
    const pid = lockHolder(join(nodeDir, LOCK_NAME));
    return pid !== null && isAlive(pid) ? [`${basename(nodeDir)} (pid ${pid})`] : [];
  });
  if (holders.length > 0) return { kept: dir, why: `${holders.join(', ')} still running from it` };
  rmSync(dir, { recursive: true, force: true });
  return existsSync(dir) ? { kept: dir, why: 'it could not be removed' } : { removed: dir };
}

function lockHolder(path: string): number | null {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
