/**
 * A data directory the file system refuses (read-only, no permission, no space, not a directory)
 * is one line naming the path and what to do; `raftsim serve` exits 2 with it, as it does for a
 * locked directory or a WAL with durable records missing.
 *
 * ENOTDIR and EEXIST (a path through or onto a file) are real refusals for every user. EROFS,
 * ENOSPC and EACCES are checked on the error mapping itself: CI runs as root, for whom permission
 * bits do not apply, and a test that skips there would pass by skipping.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { KvCommand } from '../../../src/kv/types.js';
import { isStorageRefusal, openStorage, StorageAccessError } from '../../../src/runtime/diskStorage.js';
import { explainFsError } from '../../../src/storage/storageErrors.js';
import { cliEntry, raftsimAsync } from '../../support/cli.js';
import { freePorts } from '../../support/ports.js';
import { scaled } from '../../support/timeFactor.js';
import { waitFor } from '../../support/wait.js';
import { tempDir } from './helpers.js';

const TEST_MS = scaled(60_000);

async function accessError(dir: string): Promise<StorageAccessError> {
  const error = await openStorage<KvCommand>(dir, { fsync: false }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StorageAccessError);
  expect(isStorageRefusal(error)).toBe(true);
  expect((error as Error).message).not.toContain('\n');
  return error as StorageAccessError;
}

function serveArgs(dir: string, port: number): string[] {
  // A single node has no peers: no secret to prove.
  return ['serve', '--id', 'n1', '--data', dir, '--listen', `127.0.0.1:${port}`, '--insecure-peers'];
}

describe('file system refusals', () => {
  it('a data path through a file (ENOTDIR)', async () => {
    const file = join(tempDir(), 'file');
    writeFileSync(file, 'x');
    const error = await accessError(join(file, 'node-1'));
    expect(error.code).toBe('ENOTDIR');
    expect(error.message).toMatch(new RegExp(`^cannot use data directory ${join(file, 'node-1')}: .*${file}.*: a part of the path is not a directory`));
  });

  it('a data path that is a file (EEXIST)', async () => {
    const file = join(tempDir(), 'file');
    writeFileSync(file, 'x');
    const error = await accessError(file);
    expect(error.code).toBe('EEXIST');
    expect(error.message).toContain('exists and is not a directory');
  });

  it('EROFS, ENOSPC and EACCES are explained with the path; other errors pass through', () => {
    for (const [code, words] of [['EROFS', 'read-only'], ['ENOSPC', 'no space left'], ['EACCES', 'permission denied']] as const) {
      const raw = Object.assign(new Error(`${code}: raw`), { code, path: '/data/n1/wal-0000000001.log' });
      const explained = explainFsError(raw, '/data/n1');
      expect(explained).toBeInstanceOf(StorageAccessError);
      expect((explained as Error).message).toMatch(new RegExp(`^cannot use data directory /data/n1: /data/n1/wal-0000000001\\.log: [^\\n]+ \\(${code}\\)$`));
      expect((explained as Error).message).toContain(words);
    }
    const other = Object.assign(new Error('odd'), { code: 'EWHATEVER' });
    expect(explainFsError(other, '/d')).toBe(other);
  });
});

describe('raftsim serve on a data directory it cannot use exits 2 with one line', () => {
  it('a path through a file', async () => {
    const file = join(tempDir(), 'file');
    writeFileSync(file, 'x');
    const [port] = await freePorts(1);
    const run = await raftsimAsync(serveArgs(join(file, 'n1'), port!), 30_000);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^raftsim: n1: cannot use data directory .*not a directory/)]);
  }, TEST_MS);

  it('a directory another serve process holds: refused with its pid', async () => {
    const dir = tempDir();
    const [port, other] = await freePorts(2);
    const first = spawn(process.execPath, [cliEntry(), ...serveArgs(dir, port!)], { stdio: ['ignore', 'pipe', 'pipe'] });
    onTestFinished(() => {
      first.kill('SIGKILL');
    });
    let log = '';
    first.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    first.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    await waitFor('the first serve to listen', () => ({ log, exited: first.exitCode }), (s) => s.log.includes('listening on') || s.exited !== null);
    expect(log).toContain('listening on');
    const second = await raftsimAsync(serveArgs(dir, other!), 30_000);
    expect(second.code).toBe(2);
    expect(second.stderr.trim().split('\n')).toEqual([`raftsim: n1: data directory ${dir} in use by pid ${first.pid} (if no raftsim process uses it, remove ${join(dir, 'LOCK')})`]);
    expect(first.exitCode, 'the first node runs on, untouched').toBeNull();
  }, TEST_MS);
});
