/**
 * `raftsim cluster` when a node dies: it prints the command that restarts the node, that command
 * (run as printed, through a shell) brings the node back into the cluster, and on SIGTERM the
 * cluster removes the temporary data directory it made, as it does when every node is down (a
 * one-node cluster, to stay cheap). Also, without processes: how the command
 * is spelled and quoted, and that a data directory a live node still uses is kept.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliInvocation, commandLine, removeCreatedDataDir, shellQuote } from '../../src/cli/clusterRestart.js';
import { cliEntry, freePortRange, http, PortTakenError, retryWhilePortTaken, saysPortTaken, scaled, waitFor } from './helpers.js';

const TEST_MS = scaled(90_000);

describe('the restart command and the data directory, without processes', () => {
  it('names the CLI as the shell finds it', () => {
    expect(cliInvocation('/usr/local/bin/raftsim', '/usr/bin/node', '/usr/local/bin:/usr/bin')).toEqual(['raftsim']);
    expect(cliInvocation('/opt/tools/raftsim', '/usr/bin/node', '/usr/bin')).toEqual(['/opt/tools/raftsim']);
    expect(cliInvocation('/p/node_modules/.bin/raftsim', '/usr/bin/node', '/p/node_modules/.bin:/usr/bin')).toEqual(['/p/node_modules/.bin/raftsim']);
    expect(cliInvocation('/p/dist/src/cli/main.js', '/usr/bin/node', '/usr/bin')).toEqual(['node', '/p/dist/src/cli/main.js']);
    expect(cliInvocation('/p/dist/src/cli/main.js', '/opt/node20/bin/node', '/usr/bin')).toEqual(['/opt/node20/bin/node', '/p/dist/src/cli/main.js']);
  });

  it('quotes only the words a shell would split or expand', () => {
    expect(shellQuote('n1=127.0.0.1:7001,n3=127.0.0.1:7003')).toBe('n1=127.0.0.1:7001,n3=127.0.0.1:7003');
    expect(shellQuote('/tmp/my data')).toBe("'/tmp/my data'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('$HOME')).toBe("'$HOME'");
    expect(commandLine(['raftsim', 'serve', '--data', '/a b'])).toBe("raftsim serve --data '/a b'");
  });

  it('removes the directory unless a live process holds a node lock in it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'raftsim-cluster-cleanup-test-'));
    try {
      const nodeDirs = ['n1', 'n2'].map((name) => join(dir, name));
      for (const nodeDir of nodeDirs) mkdirSync(nodeDir);
      // Ourselves: a live process, like a node restarted by hand.
      writeFileSync(join(nodeDirs[1]!, 'LOCK'), `${process.pid}\n`);
      expect(removeCreatedDataDir(dir, nodeDirs)).toEqual({ kept: dir, why: `n2 (pid ${process.pid}) still running from it` });
      expect(existsSync(dir)).toBe(true);
      // A process that has exited, like a node that was SIGKILLed.
      const gone = spawnSync(process.execPath, ['-e', '']).pid;
      writeFileSync(join(nodeDirs[1]!, 'LOCK'), `${gone}\n`);
      writeFileSync(join(nodeDirs[0]!, 'LOCK'), 'not a pid\n');
      expect(removeCreatedDataDir(dir, nodeDirs)).toEqual({ removed: dir });
      expect(existsSync(dir)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const started: ChildProcess[] = [];
let root: string | null = null;

afterEach(async () => {
  for (const child of started.splice(0)) await stop(child, 'SIGKILL');
  if (root !== null) rmSync(root, { recursive: true, force: true });
  root = null;
});

/** Sends `signal` (if it still runs) and waits until it has exited; its exit code. */
async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill(signal);
  return exited;
}

function track(child: ChildProcess): { child: ChildProcess; output: () => string } {
  started.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

async function status(port: number): Promise<{ id?: string; leader?: string | null } | null> {
  return http('GET', `http://127.0.0.1:${port}/status`, { timeoutMs: 1_000 }).then((r) => (r.status === 200 ? r.json : null), () => null);
}

/** `raftsim cluster --nodes N` without --data, its temp directory under `tmp`, once a leader is known. */
async function startCluster(tmp: string, nodes = 3): Promise<{ child: ChildProcess; base: number; output: () => string }> {
  return retryWhilePortTaken(async () => {
    const base = await freePortRange(nodes);
    const run = track(spawn(process.execPath, [cliEntry(), 'cluster', '--nodes', String(nodes), '--base-port', String(base)],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp } }));
    const seen = await waitFor('raftsim cluster to report a leader (or a port in use)', run.output, (out) => saysPortTaken(out) || / leader term \d+/.test(out));
    if (saysPortTaken(seen)) {
      await stop(run.child, 'SIGKILL');
      throw new PortTakenError(seen);
    }
    return { ...run, base };
  });
}

describe('raftsim cluster, when a node dies', () => {
  it('prints the command that restarts it, which brings it back; on SIGTERM its temp data directory is removed', async () => {
    root = mkdtempSync(join(tmpdir(), 'raftsim-cluster-restart-test-'));
    const cluster = await startCluster(root);
    const dataDir = /data in (\S+)\n/.exec(cluster.output())![1]!;
    expect(dataDir.startsWith(join(root, 'raftsim-cluster-'))).toBe(true);
    expect(cluster.output()).toContain('Ctrl-C stops every node and removes the temporary data directory.');

    // n2's pid is in the lock of its data directory, once it has opened its storage and listens.
    await waitFor('n2 to answer /status', () => status(cluster.base + 1), (s) => s?.id === 'n2');
    const n2 = Number(readFileSync(join(dataDir, 'n2', 'LOCK'), 'utf8'));
    process.kill(n2, 'SIGKILL');
    const hint = await waitFor('the restart command', cluster.output, (out) => /restart it[^\n]*\n {4}\S[^\n]*\n/.test(out));
    const command = /n2 exited \(SIGKILL\)\n {2}restart it[^\n]*\n {4}(\S[^\n]*)\n/.exec(hint)![1]!;
    expect(command).toMatch(new RegExp(` serve --id n2 --data ${dataDir}/n2 --listen 127\\.0\\.0\\.1:${cluster.base + 1} --peers n1=127\\.0\\.0\\.1:${cluster.base},n3=127\\.0\\.0\\.1:${cluster.base + 2} --cluster-secret-file ${dataDir}/cluster-secret$`));
    expect(command).not.toContain('--stop-with-parent');

    // Run as printed, by a shell (exec: the shell's pid becomes the node's, so it can be stopped).
    const restarted = track(spawn('/bin/sh', ['-c', `exec ${command}`], { stdio: ['ignore', 'pipe', 'pipe'] }));
    const back = await waitFor('the restarted n2 to answer /status and know the leader', () => status(cluster.base + 1), (s) => s?.id === 'n2' && typeof s.leader === 'string');
    expect(back!.leader).toMatch(/^n[13]$/);
    expect(await stop(restarted.child, 'SIGTERM')).toBe(0);

    expect(await stop(cluster.child, 'SIGTERM')).toBe(0);
    expect(cluster.output()).toContain(`removed the temporary data directory ${dataDir}\n`);
    expect(existsSync(dataDir)).toBe(false);
  }, TEST_MS);

  it('exits 1 and removes its temp data directory when every node is down (no restart hint: the data is gone)', async () => {
    root = mkdtempSync(join(tmpdir(), 'raftsim-cluster-restart-test-'));
    const cluster = await startCluster(root, 1);
    const dataDir = /data in (\S+)\n/.exec(cluster.output())![1]!;
    const exited = new Promise<number | null>((resolve) => cluster.child.once('exit', (code) => resolve(code)));
    process.kill(Number(readFileSync(join(dataDir, 'n1', 'LOCK'), 'utf8')), 'SIGKILL');
    expect(await exited).toBe(1);
    expect(cluster.output()).toContain(`n1 exited (SIGKILL)\nevery node has exited\nremoved the temporary data directory ${dataDir}\n`);
    expect(cluster.output()).not.toContain('restart it');
    expect(existsSync(dataDir)).toBe(false);
  }, TEST_MS);
});
