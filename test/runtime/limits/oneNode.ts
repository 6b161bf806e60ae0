/**
 * One raftsim node in this process (a single voter, so it leads itself), on a fresh loopback port
 * with its own temp dir and the HTTP limits a test chooses, stopped when the test ends; plus raw
 * sockets that record what the server sends and whether it hung up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { RaftByteLimits } from '../../../src/raft/config.js';
import type { HttpLimits } from '../../../src/runtime/http/limits.js';
import { startNode, type RunningNode } from '../../../src/runtime/nodeServer.js';
import { INSECURE_KEY } from '../../../src/runtime/peerAuth.js';
import type { RequestBounds } from '../../../src/runtime/raftHost.js';
import { freePorts, retryWhilePortTaken, PortTakenError } from '../../support/ports.js';

export async function oneNode(httpLimits: Partial<HttpLimits>, requestBounds?: RequestBounds, byteLimits?: RaftByteLimits): Promise<RunningNode> {
  const dir = mkdtempSync(join(tmpdir(), 'raftsim-limits-'));
  const node = await retryWhilePortTaken(async () => {
    const [port] = await freePorts(1);
    try {
      return await startNode({
        members: { self: 1, addresses: new Map([[1, { host: '127.0.0.1', port: port! }]]), peerAddresses: new Map([[1, { host: '127.0.0.1', port: port! }]]), voters: [1] },
        // A single voter has no peers to prove anything to.
        peerKey: INSECURE_KEY,
        dataDir: dir, fsync: false, timing: { tickMs: 10, electionTicksMin: 5, electionTicksMax: 10, heartbeatTicks: 2 },
        snapshotEveryEntries: 0, maxEntriesPerAppend: 64, maxInflightAppends: 4, requestTimeoutMs: 5_000, testAdmin: false,
        httpLimits, ...(requestBounds === undefined ? {} : { requestBounds }), ...(byteLimits === undefined ? {} : { byteLimits }),
        onFatal: (error) => process.stderr.write(`test node failed: ${error.stack ?? error.message}\n`),
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortTakenError(String(error));
      throw error;
    }
  });
  onTestFinished(async () => {
    await node.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return node;
}

/** A raw client connection: what came back, and whether the server closed it. */
export interface RawClient {
  readonly socket: net.Socket;
  readonly seen: { connected: boolean; closed: boolean; answer: string; error: string | null };
}

export function rawClient(port: number, onConnect: (socket: net.Socket) => void = () => undefined): RawClient {
  const seen = { connected: false, closed: false, answer: '', error: null as string | null };
  const socket = net.connect(port, '127.0.0.1', () => {
    seen.connected = true;
    onConnect(socket);
  });
  socket.on('data', (d: Buffer) => (seen.answer += d.toString('latin1')));
  socket.on('error', (e) => (seen.error = e.message));
  socket.on('close', () => (seen.closed = true));
  onTestFinished(() => {
    socket.destroy();
  });
  return { socket, seen };
}

/** Writes `text` one byte every `everyMs` until the socket closes (a slowloris client). */
export function dribble(socket: net.Socket, text: string, everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= text.length) {
      clearInterval(timer);
      return;
    }
    socket.write(text[i++]!);
  }, everyMs);
  onTestFinished(() => clearInterval(timer));
}
