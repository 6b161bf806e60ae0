/**
 * A 3-member etcd cluster on loopback for bench:cluster (Debian's etcd-server package: `etcd` on
 * the PATH). Data directories in a temp folder, fsync on (etcd's default), clients through its
 * HTTP/JSON gateway (`POST /v3/kv/put`). Every member is SIGKILLed by `stop`, and on process exit.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface EtcdMember {
  readonly name: string;
  readonly clientUrl: string;
  readonly peerUrl: string;
  child: ChildProcess | null;
}

/** The installed etcd's version line, or null if there is none. */
export function etcdVersion(): string | null {
  const run = spawnSync('etcd', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (run.error || run.status !== 0) return null;
  return run.stdout.split('\n')[0]?.trim() ?? 'etcd';
}

export class EtcdCluster {
  readonly members: EtcdMember[];
  readonly dir = mkdtempSync(join(tmpdir(), 'raftsim-bench-etcd-'));
  private readonly onExit = (): void => this.killNow();

  /** `basePort`: six free ports, 3 for clients then 3 for peers. */
  constructor(basePort: number) {
    this.members = [0, 1, 2].map((i) => ({
      name: `e${i + 1}`, clientUrl: `http://127.0.0.1:${basePort + i}`, peerUrl: `http://127.0.0.1:${basePort + 3 + i}`, child: null,
    }));
    process.on('exit', this.onExit);
  }

  start(): void {
    const initial = this.members.map((m) => `${m.name}=${m.peerUrl}`).join(',');
    for (const member of this.members) {
      const log = openSync(join(this.dir, `${member.name}.log`), 'a');
      member.child = spawn('etcd', [
        '--name', member.name, '--data-dir', join(this.dir, member.name),
        '--listen-client-urls', member.clientUrl, '--advertise-client-urls', member.clientUrl,
        '--listen-peer-urls', member.peerUrl, '--initial-advertise-peer-urls', member.peerUrl,
        '--initial-cluster', initial, '--initial-cluster-state', 'new', '--initial-cluster-token', 'raftsim-bench',
        '--log-level', 'warn',
      ], { stdio: ['ignore', log, log] });
      closeSync(log);
    }
  }

  /** The client URL of the leader, once one is elected (bounded wait); null if none in time. */
  async leaderUrl(timeoutMs = 20_000): Promise<string | null> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      for (const member of this.members) {
        try {
          const res = await fetch(`${member.clientUrl}/v3/maintenance/status`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(1_000) });
          const body = await res.json() as { header?: { member_id?: string }; leader?: string };
          if (body.leader !== undefined && body.leader !== '0' && body.header?.member_id === body.leader) return member.clientUrl;
        } catch {
          // not up yet
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return null;
  }

  async stop(): Promise<void> {
    const exits = this.members.map((m) => m.child).filter((c): c is ChildProcess => c !== null && c.exitCode === null && c.signalCode === null)
      .map((c) => new Promise<void>((resolve) => c.once('exit', () => resolve())));
    this.killNow();
    await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    process.off('exit', this.onExit);
    rmSync(this.dir, { recursive: true, force: true });
  }

  killNow(): void {
    for (const member of this.members) {
      const child = member.child;
      if (child !== null && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }
}
