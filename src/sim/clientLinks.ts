/**
 * The clients and the links between them and the nodes. Requests and answers travel on their own
 * network (`scenario.clientNetwork`: drop, duplicate, latency), with its own child generators, so
 * client traffic shifts no draw of the node network. `clients-reach` cuts the clients off from
 * every node but some (both ways, checked at send and at delivery, as a cut cable would); a heal
 * ends that; the final heal also ends drops and duplicates.
 */
import { KvClient } from '../kv/client.js';
import type { KvOperation, KvRequest, KvResponse } from '../kv/types.js';
import { TraceCode } from './events.js';
import type { NodeHost } from './host.js';
import { keepForPaused } from './pauses.js';
import type { Prng } from './prng.js';
import type { World } from './world.js';

interface ClientState {
  readonly id: number;
  readonly kv: KvClient;
  /** Position of the client's next operation in its list. */
  next: number;
  /** History position of the outstanding operation, or -1. */
  position: number;
  attempt: number;
  done: boolean;
  /** Sessions this client has had: its session id is id + generation × SESSION_ID_STRIDE. */
  generation: number;
  /** True when the client network delivered a copy of the outstanding request twice. */
  duplicated: boolean;
}

/** Session ids of one client are its number plus multiples of this (clients are at most 1000). */
const SESSION_ID_STRIDE = 1000;

/** The client (1…1000) a session id belongs to. */
export function clientOfSession(sessionId: number): number {
  return ((sessionId - 1) % SESSION_ID_STRIDE) + 1;
}

export class ClientLinks {
  private readonly clientStates: ClientState[] = [];
  private readonly dropPrng: Prng;
  private readonly duplicatePrng: Prng;
  private readonly latencyPrng: Prng;
  private dropRatio: number;
  private duplicateRatio: number;
  /** reach[node] = 1 when clients can reach it; null: every node. */
  private reach: Uint8Array | null = null;

  constructor(private readonly world: World, clients: number, peers: readonly number[], prng: Prng) {
    // 'client-network' is the label client drops always used.
    this.dropPrng = prng.child('client-network');
    this.duplicatePrng = prng.child('client-duplicate');
    this.latencyPrng = prng.child('client-latency');
    const net = world.options.scenario.clientNetwork;
    this.dropRatio = net.dropRatio;
    this.duplicateRatio = net.duplicateRatio;
    for (let id = 1; id <= clients; id++) {
      const first = world.options.workload.get(id, 0);
      this.clientStates.push({
        id, kv: new KvClient({ clientId: id, servers: peers, firstServer: peers[(id - 1) % peers.length],
          // With follower reads each client reads from its own node, spreading gets over followers.
          ...(world.options.scenario.raft.followerReads === true ? { readServer: peers[(id - 1) % peers.length] } : {}) }),
        next: 0, position: -1, attempt: 0, done: first === null, generation: 0, duplicated: false,
      });
      if (first) world.schedule({ kind: 'client-call', client: id }, first.thinkMs);
    }
  }

  /** Clients reach only these nodes, until a heal. */
  reachOnly(nodes: readonly number[]): void {
    this.reach = new Uint8Array(this.world.hosts.length + 1);
    for (const node of nodes) this.reach[node] = 1;
    const list = [...new Set(nodes)].sort((a, b) => a - b);
    this.world.trace.note(() => ({ t: this.world.now, ev: 'clients-reach', nodes: list.join(',') }),
      TraceCode.clientsReach, this.world.now, list.reduce((bits, node) => bits | (1 << node), 0));
  }

  /** A heal: clients reach every node again. */
  healReach(): void {
    if (this.reach === null) return;
    this.reach = null;
    this.world.trace.note(() => ({ t: this.world.now, ev: 'clients-reach', nodes: 'all' }),
      TraceCode.clientsReach, this.world.now, -1);
  }

  /** The clients, read-only (coverage reads their counters). */
  get clients(): readonly ClientState[] {
    return this.clientStates;
  }

  /** The final heal: links are whole again, and no client starts a new operation. */
  heal(): void {
    this.healReach();
    this.dropRatio = 0;
    this.duplicateRatio = 0;
    for (const client of this.clientStates) if (client.position < 0) client.done = true;
  }

  /** True when no client has an operation outstanding or left to call. */
  finished(): boolean {
    for (const client of this.clientStates) if (!client.done || client.position >= 0) return false;
    return true;
  }

  private reaches(node: number): boolean {
    return this.reach === null || this.reach[node] === 1;
  }

  private latency(): number {
    const net = this.world.options.scenario.clientNetwork;
    return net.latencyMsMin + this.latencyPrng.exponential(net.latencyMsMean - net.latencyMsMin, net.latencyMsMax - net.latencyMsMin);
  }

  onCall(id: number): void {
    const world = this.world;
    const client = this.clientStates[id - 1]!;
    const planned = world.healed ? null : world.options.workload.get(id, client.next);
    if (!planned) {
      client.done = true;
      return;
    }
    client.next++;
    const { to, request } = client.kv.begin(planned.op);
    client.duplicated = false;
    client.position = world.history.call(id, world.now, planned.op);
    world.trace.note(() => ({ t: world.now, ev: 'call', client: id, seq: request.seq, node: to, op: describeOp(planned.op) }),
      TraceCode.clientCall, world.now, id, request.seq);
    this.sendRequest(client, to, request);
  }

  private sendRequest(client: ClientState, to: number, request: KvRequest): void {
    client.attempt++;
    this.world.schedule({ kind: 'client-timeout', client: client.id, attempt: client.attempt }, this.world.options.scenario.workload.clientTimeoutMs);
    if (!this.reaches(to) || this.dropPrng.chance(this.dropRatio)) return;
    this.world.schedule({ kind: 'request', node: to, client: client.id, request }, this.latency());
    if (this.duplicatePrng.chance(this.duplicateRatio)) {
      client.duplicated = true;
      this.traceDuplicate('request', to, client.id, request.seq);
      this.world.schedule({ kind: 'request', node: to, client: client.id, request }, this.latency());
    }
  }

  private traceDuplicate(what: 'request' | 'response', node: number, client: number, seq: number): void {
    this.world.trace.note(() => ({ t: this.world.now, ev: 'client-duplicate', what, node, client, seq }),
      TraceCode.clientDuplicate, this.world.now, node, client, what === 'request' ? seq : -seq);
  }

  onRequest(node: number, clientId: number, request: KvRequest): void {
    const world = this.world;
    const host = world.host(node);
    world.trace.mix(TraceCode.request, world.now, node, clientId, request.seq);
    if (!host.alive || !this.reaches(node)) return;
    if (host.paused) return keepForPaused(world, host, { kind: 'request', client: clientId, request });
    this.serve(host, clientId, request);
  }

  /** The node handles a request that reached it (now, or queued during a pause). */
  serve(host: NodeHost, clientId: number, request: KvRequest): void {
    this.world.driver(host).input(() => {
      const response = host.kv.handleRequest(request);
      if (response) this.respond(host.id, clientId, response);
    });
  }

  /** `clientId` may be a client's number or one of its session ids: the answer goes to the client. */
  respond(node: number, clientId: number, response: KvResponse): void {
    clientId = clientOfSession(clientId);
    if (!this.reaches(node) || this.dropPrng.chance(this.dropRatio)) return;
    this.world.schedule({ kind: 'response', node, client: clientId, response }, this.latency());
    if (this.duplicatePrng.chance(this.duplicateRatio)) {
      this.traceDuplicate('response', node, clientId, response.seq);
      this.world.schedule({ kind: 'response', node, client: clientId, response }, this.latency());
    }
  }

  /** Answers a node's KV server gave: each goes back to its client. */
  respondAll(node: number, responses: readonly KvResponse[]): void {
    for (const response of responses) this.respond(node, response.clientId, response);
  }

  onResponse(node: number, id: number, response: KvResponse): void {
    const world = this.world;
    const client = this.clientStates[id - 1];
    if (!client || client.position < 0 || !this.reaches(node)) return;
    world.trace.mix(TraceCode.response, world.now, node, id, response.seq);
    const step = client.kv.onResponse(node, response);
    if (step.kind === 'ignore') return;
    if (step.kind === 'send') return this.sendRequest(client, step.to, step.request);
    if (step.kind === 'session-expired') return this.sessionExpired(client, node, response.seq, step.mayHaveApplied);
    world.history.complete(client.position, world.now, step.output);
    world.trace.note(() => ({ t: world.now, ev: 'return', client: id, seq: response.seq, node, output: JSON.stringify(step.output) }),
      TraceCode.clientReturn, world.now, id, response.seq);
    this.next(client);
  }

  onTimeout(id: number, attempt: number): void {
    const world = this.world;
    const client = this.clientStates[id - 1]!;
    if (client.position < 0 || client.attempt !== attempt) return;
    // The record names the seq and the node it waited on; the hash mixes only what it always has.
    const waited = client.kv.outstanding;
    world.trace.note(() => ({ t: world.now, ev: 'timeout', client: id, ...(waited ? { seq: waited.seq, node: waited.to } : {}) }), TraceCode.clientTimeout, world.now, id);
    const giveUp = world.options.scenario.workload.giveUpAfterMs;
    if (giveUp !== null && world.now - world.history.operations[client.position]!.call >= giveUp) return this.abandon(client);
    const { to, request } = client.kv.onTimeout();
    this.sendRequest(client, to, request);
  }

  /** The client stops waiting: the operation stays indeterminate (it may still take effect), and the client moves on. */
  private abandon(client: ClientState): void {
    const world = this.world;
    const seq = client.kv.outstanding!.seq;
    client.kv.abandon();
    world.history.complete(client.position, world.now, null);
    world.trace.note(() => ({ t: world.now, ev: 'give-up', client: client.id, seq }),
      TraceCode.clientReturn, world.now, client.id, -seq);
    // Seq 1 may never have reached the log: a later seq would find no session to continue.
    if (!client.kv.sessionConfirmed) this.renewSession(client);
    this.next(client);
  }

  /**
   * The client's session was gone when this copy was applied: it was not applied. When no other
   * copy can have reached the log (no time-out, no unknown answer, no copy made by the network),
   * the operation certainly did not happen (a definite failure, left out of the history);
   * otherwise an earlier copy may have been applied before the session expired: indeterminate.
   * Either way the client goes on in a new session.
   */
  private sessionExpired(client: ClientState, node: number, seq: number, mayHaveApplied: boolean): void {
    const world = this.world;
    const certain = !mayHaveApplied && !client.duplicated;
    if (certain) {
      world.history.remove(client.position);
      for (const other of this.clientStates) if (other.position > client.position) other.position--;
    } else {
      world.history.complete(client.position, world.now, null);
    }
    world.trace.note(() => ({ t: world.now, ev: 'session-expired', client: client.id, seq, node, outcome: certain ? 'not-applied' : 'unknown' }),
      TraceCode.clientReturn, world.now, client.id, certain ? -2 * seq : -3 * seq);
    this.renewSession(client);
    this.next(client);
  }

  private renewSession(client: ClientState): void {
    client.generation++;
    client.kv.renewSession(client.id + client.generation * SESSION_ID_STRIDE);
  }

  /** After an operation ends: the client's next call, or done. */
  private next(client: ClientState): void {
    const world = this.world;
    client.position = -1;
    client.attempt++;
    const next = world.healed ? null : world.options.workload.get(client.id, client.next);
    if (next) world.schedule({ kind: 'client-call', client: client.id }, next.thinkMs);
    else client.done = true;
  }
}

export function describeOp(op: KvOperation): string {
  switch (op.f) {
    case 'get': case 'delete': return `${op.f} ${op.key}`;
    case 'put': case 'append': return `${op.f} ${op.key} ${JSON.stringify(op.value)}`;
    case 'cas': return `cas ${op.key} ${JSON.stringify(op.expected)}→${JSON.stringify(op.value)}`;
  }
}
