/**
 * Three real RaftNodes under three KvServers and one KvClient, wired by an in-test loop:
 * persistence is instant, messages are delivered in FIFO order unless a node is isolated.
 * Not the simulator: just enough to show the KV layer and the Raft core fit together.
 */
import { describe, expect, it } from 'vitest';
import { KvClient, type KvSend } from '../../src/kv/client.js';
import { KvServer } from '../../src/kv/server.js';
import type { KvCommand, KvOperation, KvOutput, KvResponse } from '../../src/kv/types.js';
import { RaftNode } from '../../src/raft/raft.js';
import type { Message } from '../../src/raft/messages.js';
import type { NodeId, RandomSource } from '../../src/raft/types.js';

const IDS: readonly NodeId[] = [1, 2, 3];
const CLIENT_TIMEOUT_TICKS = 40;
const TICKS_MAX = 2_000;

/** Node n always draws min + 3·(n−1): node 1 times out first, and no two nodes tie. */
function fixedRandom(id: NodeId): RandomSource {
  return { rangeInclusive: (min, max) => Math.min(max, min + 3 * (id - 1)) };
}

class TestCluster {
  readonly servers = new Map<NodeId, KvServer>();
  readonly client = new KvClient({ clientId: 1, servers: IDS });
  /** Cut off from everyone, clients included. */
  isolated: NodeId | null = null;
  /** Hears nothing, but what it sends still arrives. */
  deaf: NodeId | null = null;
  private messages: Message<KvCommand>[] = [];
  private inbox: { from: NodeId; response: KvResponse }[] = [];

  constructor(snapshotEveryEntries: number) {
    for (const id of IDS) {
      const node = new RaftNode<KvCommand>({
        id, peers: IDS, electionTicksMin: 10, electionTicksMax: 20, heartbeatTicks: 2,
        maxEntriesPerAppend: 8, maxInflightAppends: 4, random: fixedRandom(id),
      });
      this.servers.set(id, new KvServer({ node, snapshotEveryEntries, clockMs: () => 0 }));
    }
  }

  server(id: NodeId): KvServer {
    const server = this.servers.get(id);
    if (server === undefined) throw new Error(`no server ${id}`);
    return server;
  }

  /** Carries out every Ready, then delivers messages until none are left. */
  settle(): void {
    for (let round = 0; round < 10_000; round++) {
      for (const id of IDS) this.drain(id);
      const batch = this.messages;
      if (batch.length === 0) return;
      this.messages = [];
      for (const message of batch) {
        if (message.from === this.isolated || message.to === this.isolated) continue;
        if (message.to === this.deaf) continue;
        const server = this.server(message.to);
        server.node.step(message);
        this.reply(message.to, server.checkLeadership());
      }
    }
    throw new Error('cluster never settles');
  }

  tick(): void {
    for (const id of IDS) {
      const server = this.server(id);
      server.node.tick();
      this.reply(id, server.checkLeadership());
    }
    this.settle();
  }

  send({ to, request }: KvSend): void {
    if (to === this.isolated) return;
    const response = this.server(to).handleRequest(request);
    if (response !== null) this.inbox.push({ from: to, response });
  }

  takeResponses(): { from: NodeId; response: KvResponse }[] {
    const responses = this.inbox;
    this.inbox = [];
    return responses;
  }

  private drain(id: NodeId): void {
    const server = this.server(id);
    while (server.node.hasReady()) {
      const ready = server.node.ready();
      this.messages.push(...ready.messages);
      this.reply(id, server.applyReady(ready));
      // Instant persistence; this may release held-back messages and commit.
      if (ready.persist !== null) server.node.persisted(ready.persist.id);
      this.reply(id, server.checkLeadership());
    }
  }

  private reply(from: NodeId, responses: readonly KvResponse[]): void {
    // A server cut off from the network cannot reach the client either.
    if (from === this.isolated) return;
    for (const response of responses) this.inbox.push({ from, response });
  }
}

/** Runs one operation to completion: ticks, timeouts and retries as needed. */
function perform(cluster: TestCluster, op: KvOperation, afterSend?: () => void): KvOutput {
  cluster.send(cluster.client.begin(op));
  afterSend?.();
  let waited = 0;
  for (let tick = 0; tick < TICKS_MAX; tick++) {
    cluster.settle();
    for (const { from, response } of cluster.takeResponses()) {
      const step = cluster.client.onResponse(from, response);
      if (step.kind === 'done') return step.output;
      if (step.kind === 'send') {
        waited = 0;
        cluster.send(step);
      }
    }
    if (++waited >= CLIENT_TIMEOUT_TICKS) {
      waited = 0;
      cluster.send(cluster.client.onTimeout());
    }
    cluster.tick();
  }
  throw new Error(`operation ${JSON.stringify(op)} never completed`);
}

describe('KV over real RaftNodes', () => {
  it('completes every operation with the right output and compacts the logs', () => {
    const cluster = new TestCluster(4);
    const script: [KvOperation, KvOutput][] = [
      [{ f: 'get', key: 'a' }, { value: null }],
      [{ f: 'put', key: 'a', value: '1' }, {}],
      [{ f: 'append', key: 'a', value: '2' }, {}],
      [{ f: 'get', key: 'a' }, { value: '12' }],
      [{ f: 'cas', key: 'a', expected: '12', value: 'x' }, { ok: true }],
      [{ f: 'cas', key: 'a', expected: '12', value: 'y' }, { ok: false }],
      [{ f: 'cas', key: 'b', expected: null, value: '' }, { ok: true }],
      [{ f: 'get', key: 'b' }, { value: '' }],
      [{ f: 'delete', key: 'a' }, {}],
      [{ f: 'get', key: 'a' }, { value: null }],
      [{ f: 'append', key: 'b', value: 'z' }, {}],
      [{ f: 'get', key: 'b' }, { value: 'z' }],
    ];
    for (const [op, expected] of script) expect(perform(cluster, op)).toEqual(expected);
    // Heartbeats carry the commit index to the followers.
    for (let tick = 0; tick < 10; tick++) cluster.tick();
    const snapshots = IDS.map((id) => cluster.server(id).stateMachine.snapshot());
    expect(snapshots[1]).toEqual(snapshots[0]);
    expect(snapshots[2]).toEqual(snapshots[0]);
    expect(snapshots[0]?.entries).toEqual([['b', 'z']]);
    // A read's output is not kept (a retried read runs again): only its seq.
    expect(snapshots[0]?.sessions).toEqual([[1, 12, null, 0]]);
    for (const id of IDS) expect(cluster.server(id).node.firstIndex).toBeGreaterThan(1);
  });

  it('applies an append once when its leader is cut off after replicating it', () => {
    const cluster = new TestCluster(0);
    expect(perform(cluster, { f: 'put', key: 'k', value: '' })).toEqual({});
    const leader = cluster.client.knownLeader;
    expect(leader).not.toBeNull();
    // The followers get the entry, but the leader never hears back, so it never commits it; then
    // it is cut off. The client times out and retries the same seq elsewhere; the next leader
    // commits the replicated entry and the retry must not append a second time.
    const output = perform(cluster, { f: 'append', key: 'k', value: 'x' }, () => {
      cluster.deaf = leader;
      cluster.settle();
      expect(cluster.server(leader ?? 0).pendingCount).toBe(1);
      cluster.deaf = null;
      cluster.isolated = leader;
    });
    expect(output).toEqual({});
    cluster.isolated = null;
    for (let tick = 0; tick < 10; tick++) cluster.tick();
    // The old leader stepped down and answered its pending request retry (the client ignores it).
    expect(cluster.server(leader ?? 0).pendingCount).toBe(0);
    expect(perform(cluster, { f: 'get', key: 'k' })).toEqual({ value: 'x' });
    expect(cluster.client.knownLeader).not.toBe(leader);
  });
});
