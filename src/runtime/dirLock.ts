/**
 * One process (and one open storage) per data directory. Node has no flock, so the lock is a file,
 * DIR/LOCK, holding the owner's pid. It is written whole to a temporary file first and then
 * hard-linked into place: link() fails if LOCK exists (like O_EXCL), and a LOCK that exists is
 * never empty or half-written.
 *
 * A LOCK left by a process that is gone (a crash, SIGKILL) is stale: its pid no longer names a
 * live process (kill(pid, 0) says ESRCH), or it names this very process while this process holds
 * no lock on the directory (a restarted container reuses pid 1). A stale LOCK is taken over with
 * one line logged. A pid reused by an unrelated live process makes a false refusal that names the
 * pid and the file: refusing is the safe mistake. Two processes taking over the same stale lock at
 * the same instant could both succeed (unlink, then link, is not atomic); that needs a crash and
 * two simultaneous starts on one directory.
 */
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DirLock } from '../storage/storageEnv.js';
import { DataDirInUseError, LOCK_NAME, LockFileUnreadableError } from '../storage/lockErrors.js';

/** Directories this process holds locks on (resolved paths). */
const heldHere = new Set<string>();

/** Takes the lock on `dir` (which must exist), taking over a stale one; `log` gets one line when it does. */
export async function lockDataDir(dir: string, log: (line: string) => void): Promise<DirLock> {
  const key = resolve(dir);
  const path = join(dir, LOCK_NAME);
  const mine = `${process.pid}\n`;
  // Not *.tmp: recovery deletes those, and another process may be recovering meanwhile.
  const temp = join(dir, `${LOCK_NAME}.${process.pid}.new`);
  await writeFile(temp, mine);
  try {
    // Two rounds: a stale lock is removed in the first and ours linked in the second.
    for (let round = 0; round < 2; round++) {
      try {
        await link(temp, path);
        heldHere.add(key);
        return { release: () => release(key, path, mine) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = await lockOwner(path);
      if (owner === null) continue; // removed meanwhile: try again
      if (isAlive(owner) && (owner !== process.pid || heldHere.has(key))) throw inUse(dir, owner);
      log(`data directory ${dir}: taking over the lock of pid ${owner}, which is no longer running`);
      await unlink(path).catch(ignoreMissing);
    }
    throw inUse(dir, (await lockOwner(path)) ?? 0);
  } finally {
    await unlink(temp).catch(ignoreMissing);
  }
}

async function release(key: string, path: string, mine: string): Promise<void> {
  if (!heldHere.delete(key)) return;
  // Only our own lock: never remove one a later owner took over after a stale-lock mistake.
  const content = await readFile(path, 'utf8').catch(() => null);
  if (content === mine) await unlink(path).catch(ignoreMissing);
}

/** The pid in LOCK; null if LOCK is gone. A LOCK that names no pid is refused, not guessed at. */
async function lockOwner(path: string): Promise<number | null> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const pid = /^(\d{1,10})\n$/.exec(content);
  if (!pid || !Number.isSafeInteger(Number(pid[1])) || Number(pid[1]) < 1) {
    throw new LockFileUnreadableError(path);
  }
  return Number(pid[1]);
}

function inUse(dir: string, pid: number): DataDirInUseError {
  return new DataDirInUseError(dir, pid, pid === process.pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
