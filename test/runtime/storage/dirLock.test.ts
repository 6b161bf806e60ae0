/**
 * One open storage per data directory: a second open (in this process or another) is refused
 * with the holder's pid; a lock whose process is gone is taken over, saying so; close releases it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { KvCommand } from '../../../src/kv/types.js';
import { DataDirInUseError, LockFileUnreadableError, openStorage, StorageCorruptError } from '../../../src/runtime/diskStorage.js';
import { waitFor } from '../../support/wait.js';
import { segmentFiles, simpleRequests, tempDir } from './helpers.js';

const LOCK = 'LOCK';

function quietly(lines: string[] = []): { fsync: false; log: (line: string) => void } {
  return { fsync: false, log: (line) => lines.push(line) };
}

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const run = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(run.stdout);
}

describe('the data directory lock', () => {
  it('refuses a second open in the same process, naming this pid, and is released on close', async () => {
    const dir = tempDir();
    const first = await openStorage<KvCommand>(dir, quietly());
    expect(readFileSync(join(dir, LOCK), 'utf8')).toBe(`${process.pid}\n`);
    const error = await openStorage<KvCommand>(dir, quietly()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataDirInUseError);
    expect((error as Error).message).toMatch(new RegExp(`^data directory ${dir} in use by pid ${process.pid}\\b`));
    // The refused open touched nothing: the first one still works.
    await first.persist(simpleRequests(1)[0]!);
    await first.close();
    expect(existsSync(join(dir, LOCK))).toBe(false);
    const again = await openStorage<KvCommand>(dir, quietly());
    expect(again.recovered.entries).toHaveLength(3);
    await again.close();
  });

  it('refuses while another live process holds it, and takes it over once that process is gone', async () => {
    const dir = tempDir();
    await (await openStorage<KvCommand>(dir, quietly())).close();
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => holder.once('exit', resolve));
    onTestFinished(() => {
      holder.kill('SIGKILL');
    });
    writeFileSync(join(dir, LOCK), `${holder.pid}\n`);
    const error = await openStorage<KvCommand>(dir, quietly()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataDirInUseError);
    expect((error as Error).message).toContain(`in use by pid ${holder.pid}`);
    holder.kill('SIGKILL');
    await exited;
    await waitFor(`pid ${holder.pid} to be gone`, () => {
      try {
        process.kill(holder.pid!, 0);
        return false;
      } catch {
        return true;
      }
    }, (gone) => gone);
    const lines: string[] = [];
    const storage = await openStorage<KvCommand>(dir, quietly(lines));
    expect(lines).toEqual([`data directory ${dir}: taking over the lock of pid ${holder.pid}, which is no longer running`]);
    expect(readFileSync(join(dir, LOCK), 'utf8')).toBe(`${process.pid}\n`);
    await storage.close();
  });

  it('takes over a stale lock (a crashed process), logging one line', async () => {
    const dir = tempDir();
    const pid = deadPid();
    writeFileSync(join(dir, LOCK), `${pid}\n`);
    const lines: string[] = [];
    const storage = await openStorage<KvCommand>(dir, quietly(lines));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`taking over the lock of pid ${pid}`);
    await storage.close();
  });

  it('takes over a lock naming this pid that this process does not hold (a restarted container reuses pids)', async () => {
    const dir = tempDir();
    const held = await openStorage<KvCommand>(dir, quietly());
    const image = tempDir();
    cpSync(dir, image, { recursive: true });
    const lines: string[] = [];
    const storage = await openStorage<KvCommand>(image, quietly(lines));
    expect(lines[0]).toContain(`taking over the lock of pid ${process.pid}`);
    await storage.close();
    await held.close();
  });

  it('refuses a lock file that names no pid, rather than guessing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK), 'garbage');
    const error = await openStorage<KvCommand>(dir, quietly()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockFileUnreadableError);
    expect((error as Error).message).toBe(`lock file ${join(dir, LOCK)} does not hold a pid: if no raftsim process uses the directory, remove it`);
  });

  it('an open that fails in recovery releases the lock', async () => {
    const dir = tempDir();
    const storage = await openStorage<KvCommand>(dir, { fsync: false, segmentBytes: 64 });
    for (const request of simpleRequests(4)) await storage.persist(request);
    await storage.close();
    writeFileSync(join(dir, segmentFiles(dir)[0]!), 'damaged');
    for (let attempt = 0; attempt < 2; attempt++) {
      await expect(openStorage<KvCommand>(dir, quietly())).rejects.toBeInstanceOf(StorageCorruptError);
      expect(existsSync(join(dir, LOCK))).toBe(false);
    }
  });
});
