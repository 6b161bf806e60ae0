/**
 * The deterministic world: one virtual clock, one event queue, the network, the machines, the
 * clients, the nemesis and the monitors. `run()` pops events in (time, insertion) order until the
 * run is over; nothing in here reads real time or real randomness.
 */
import { KvClient } from '../kv/client.js';
import type { KvOperation } from '../kv/types.js';
import type { KvBugs } from '../kv/bugs.js';
import type { KvCommand, KvRequest, KvResponse } from '../kv/types.js';
import type { RaftBugs } from '../raft/config.js';
import type { Message } from '../raft/messages.js';
import type { Ready } from '../raft/ready.js';
import { describeMessage } from '../raft/describe.js';
import { Coverage } from './coverage.js';
import { EventQueue } from './eventQueue.js';
import type { SimEvent, SimEventBody } from './events.js';
import { MessageCode, TraceCode } from './events.js';
import { describeFault } from './faults.js';
import { HistoryRecorder } from './history.js';
import { NodeHost } from './host.js';
import { LivenessTracker } from './liveness.js';
import { SafetyMonitor } from './monitors.js';
import { Network } from './network.js';
import { applyFault } from './nemesisActions.js';
import { Prng } from './prng.js';
import type { Scenario } from './scenario.js';
import { Trace } from './trace.js';
import type { WorkloadSource } from './workload.js';

export interface WorldOptions {
  readonly scenario: Scenario;
  readonly seed: string;
  readonly workload: WorkloadSource;
  readonly clients: number;
  readonly keepTrace: boolean;
  readonly raftBugs?: RaftBugs;
  readonly kvBugs?: KvBugs;
  /** A hard bound on events, so that no run can loop forever. */
  readonly maxEvents: number;
}

interface ClientState {
  readonly id: number;
  readonly kv: KvClient;
  /** Position of the client's next operation in its list. */
  next: number;
  /** History position of the outstanding operation, or -1. */
  position: number;
  attempt: number;
  done: boolean;
}

export class World {
  readonly queue = new EventQueue<SimEvent>();
  readonly trace: Trace;
  readonly history = new HistoryRecorder();
  readonly monitor: SafetyMonitor;
  readonly coverage: Coverage;
  readonly network: Network<Message<KvCommand>>;
  readonly hosts: NodeHost[] = [];
  readonly clients: ClientState[] = [];
  readonly prng: Prng;
  private readonly fsyncPrng: Prng;
  private readonly clientNetPrng: Prng;
  now = 0;
  /** Events popped from the queue and dispatched. */
  dispatched = 0;
  healed = false;
  readonly liveness = new LivenessTracker();
  crashError: Error | null = null;
  /** Set by a crash-next-leader fault: the next new leader crashes this long after its election. */
  armedLeaderCrash: { afterMs: number; forMs: number | undefined } | null = null;

  constructor(readonly options: WorldOptions) {
    const { scenario, seed } = options;
    this.prng = new Prng(seed);
    this.monitor = new SafetyMonitor(scenario.nodes);
    this.coverage = new Coverage(scenario.nodes);
    this.trace = new Trace(options.keepTrace);
    this.fsyncPrng = this.prng.child('disk');
    this.clientNetPrng = this.prng.child('client-network');
    const t = scenario.timing;
    this.network = new Network({ nodes: scenario.nodes, ...t, ...scenario.network }, this.prng.child('network'));
    const peers = Array.from({ length: scenario.nodes }, (_, i) => i + 1);
    for (const id of peers) {
      const random = this.prng.child(`raft/${id}`);
      const config = {
        id, peers, electionTicksMin: t.electionTicksMin, electionTicksMax: t.electionTicksMax,
        heartbeatTicks: t.heartbeatTicks, maxEntriesPerAppend: scenario.raft.maxEntriesPerAppend,
        maxInflightAppends: scenario.raft.maxInflightAppends, random, bugs: options.raftBugs,
      };
      const host = new NodeHost(id, config, scenario.raft.snapshotEveryEntries, options.kvBugs);
      host.disk.onDurable = (request) => this.monitor.onDurable(id, request);
      this.hosts.push(host);
    }
    const tickPhase = this.prng.child('tick-phase');
    for (const host of this.hosts) {
      this.schedule({ kind: 'tick', node: host.id, incarnation: 0 }, 1 + tickPhase.int(t.tickMs));
    }
    for (let id = 1; id <= options.clients; id++) {
      const first = options.workload.get(id, 0);
      this.clients.push({
        id, kv: new KvClient({ clientId: id, servers: peers, firstServer: peers[(id - 1) % peers.length] }),
        next: 0, position: -1, attempt: 0, done: first === null,
      });
      if (first) this.schedule({ kind: 'client-call', client: id }, first.thinkMs);
    }
  }

  schedule(event: SimEventBody, delayMs: number): void {
    const full = event as SimEvent;
    full.time = this.now + delayMs;
    full.seq = 0;
    this.queue.push(full);
  }

  host(id: number): NodeHost {
    return this.hosts[id - 1]!;
  }

  /** Runs events until `until` returns true, the queue empties, time passes `endMs` or a check fails. */
  runUntil(endMs: number, until: () => boolean): 'done' | 'deadline' | 'violation' | 'budget' {
    const queue = this.queue;
    while (queue.size > 0) {
      if (this.monitor.violation || this.crashError) return 'violation';
      if (until()) return 'done';
      const event = queue.peek()!;
      if (event.time > endMs) return 'deadline';
      if (this.trace.events >= this.options.maxEvents) return 'budget';
      queue.pop();
      this.dispatched++;
      this.now = event.time;
      this.monitor.now = event.time;
      try {
        this.dispatch(event);
      } catch (error) {
        // An exception or failed assertion inside our code: a crash-class failure, never retried.
        this.crashError = error instanceof Error ? error : new Error(String(error));
      }
    }
    return until() ? 'done' : 'deadline';
  }

  private dispatch(event: SimEvent): void {
    switch (event.kind) {
      case 'tick': return this.onTick(event.node, event.incarnation);
      case 'deliver': return this.onDeliver(event.message);
      case 'fsync': return this.onFsync(event.node, event.incarnation);
      case 'request': return this.onRequest(event.node, event.client, event.request);
      case 'response': return this.onResponse(event.node, event.client, event.response);
      case 'client-call': return this.onClientCall(event.client);
      case 'client-timeout': return this.onClientTimeout(event.client, event.attempt);
      case 'fault':
        this.coverage.fault(event.action.kind);
        this.trace.mix(TraceCode.fault, this.now);
        this.trace.mixString(describeFault(event.action));
        this.trace.record({ t: this.now, ev: 'fault', what: describeFault(event.action) });
        return applyFault(this, event.action);
      case 'heal-all': return this.healAll();
    }
  }

  private onTick(node: number, incarnation: number): void {
    const host = this.host(node);
    if (!host.alive || host.incarnation !== incarnation) return;
    this.trace.mix(TraceCode.tick, this.now, node);
    host.raft.tick();
    this.afterInput(host);
    this.schedule({ kind: 'tick', node, incarnation }, this.options.scenario.timing.tickMs);
  }

  private onDeliver(message: Message<KvCommand>): void {
    const host = this.host(message.to);
    if (!host.alive || this.network.isBlocked(message.from, message.to)) {
      this.coverage.cut();
      this.traceMessage(TraceCode.drop, message);
      return;
    }
    this.traceMessage(TraceCode.deliver, message);
    host.raft.step(message);
    this.afterInput(host);
  }

  private onFsync(node: number, incarnation: number): void {
    const host = this.host(node);
    if (!host.alive || host.incarnation !== incarnation) return;
    const id = host.disk.completeOldest();
    this.trace.mix(TraceCode.fsync, this.now, node, id);
    this.trace.record({ t: this.now, ev: 'fsync', node, id });
    host.raft.persisted(id);
    this.afterInput(host);
  }

  /** Carries out everything the node handed back, then lets the monitors look. */
  afterInput(host: NodeHost): void {
    while (host.raft.hasReady()) this.carryOut(host, host.raft.ready());
    this.routeResponses(host, host.kv.checkLeadership());
    this.observe(host);
  }

  private carryOut(host: NodeHost, ready: Ready<KvCommand>): void {
    this.coverage.ready(host, ready);
    const persist = ready.persist;
    if (persist) {
      if (persist.entries.length > 0) this.noteWrite(host, persist.entries[0]!.index);
      const t = this.options.scenario.timing;
      const fsyncMs = this.fsyncPrng.rangeInclusive(t.fsyncMsMin, t.fsyncMsMax);
      const doneAt = host.disk.write(persist, this.now, fsyncMs);
      this.schedule({ kind: 'fsync', node: host.id, incarnation: host.incarnation }, doneAt - this.now);
    }
    for (const message of ready.messages) {
      if (message.type === 'AppendEntriesResponse' && message.success) this.monitor.onAcknowledged(host.raft, message.term, message.matchIndex);
      this.send(message);
    }
    if (ready.snapshotToApply) {
      const snapshot = ready.snapshotToApply;
      this.monitor.onCommitReset(host.id, snapshot.lastIncludedIndex);
      this.trace.record({ t: this.now, ev: 'install-snapshot', node: host.id, index: snapshot.lastIncludedIndex, term: snapshot.lastIncludedTerm,
        keptEntries: host.raft.lastIndex - snapshot.lastIncludedIndex, previousLastIndex: host.writtenLastIndex });
      host.writtenLastIndex = host.raft.lastIndex;
    }
    // The monitor learns the new commit index before any acknowledgement it makes possible.
    if (ready.committed.length > 0) this.observeCommit(host);
    for (const entry of ready.committed) {
      this.trace.mix(TraceCode.apply, this.now, host.id, entry.index, entry.term);
      if (this.trace.records) {
        this.trace.record({ t: this.now, ev: 'apply', node: host.id, index: entry.index, term: entry.term,
          op: entry.command ? `client ${entry.command.clientId} seq ${entry.command.seq} ${describeOp(entry.command.op)}` : 'no-op' });
      }
      this.monitor.onApply(host.id, entry);
    }
    const responses = host.kv.applyReady(ready);
    if (responses.length > 0) this.acknowledge(host, ready, responses);
    this.routeResponses(host, responses);
  }

  /** A write of entries from `from` on: a truncation when the log already reached that far. */
  private noteWrite(host: NodeHost, from: number): void {
    const last = host.writtenLastIndex;
    if (from <= last) {
      this.trace.record({ t: this.now, ev: 'truncate', node: host.id, from, count: last - from + 1 });
      this.monitor.onTruncation(host.id, from, last);
    }
    host.writtenLastIndex = host.raft.lastIndex;
  }

  /** Tells the monitor about every write acknowledged from this batch of applied entries. */
  private acknowledge(host: NodeHost, ready: Ready<KvCommand>, responses: readonly KvResponse[]): void {
    for (const response of responses) {
      if (response.status !== 'ok') continue;
      const entry = ready.committed.find((e) => e.command?.clientId === response.clientId && e.command.seq === response.seq);
      if (!entry || entry.command === null || entry.command.op.f === 'get') continue;
      const command = entry.command;
      this.monitor.onAcknowledgedWrite(host.id, entry.index, entry.term, `client ${command.clientId} seq ${command.seq} ${command.op.f} ${command.op.key}`);
    }
  }

  /** After every input: the node's cheap getters, not status(), since this runs per event. */
  private observe(host: NodeHost): void {
    const raft = host.raft;
    const role = raft.role;
    const term = raft.term;
    if (role !== host.lastRole || term !== host.lastTerm) {
      this.coverage.roleChanged(host, role, term);
      host.lastRole = role;
      host.lastTerm = term;
      this.trace.mix(TraceCode.role, this.now, host.id, term, role === 'leader' ? 2 : role === 'candidate' ? 1 : 0);
      this.trace.record({ t: this.now, ev: 'role', node: host.id, role, term });
      if (role === 'candidate') this.liveness.onElection(this.now);
      if (role === 'leader') {
        this.monitor.onLeader(raft, term);
        this.springLeaderTrap(host.id);
      }
      this.noteCluster();
    }
    this.observeCommit(host);
  }

  private observeCommit(host: NodeHost): void {
    const raft = host.raft;
    if (!this.monitor.commitMoved(host.id, raft.commitIndex)) return;
    this.trace.record({ t: this.now, ev: 'commit', node: host.id, index: raft.commitIndex });
    const snapshot = raft.snapshot();
    this.monitor.onCommitIndex(raft, raft.commitIndex, snapshot?.lastIncludedIndex ?? 0, snapshot?.lastIncludedTerm ?? 0);
  }

  private springLeaderTrap(node: number): void {
    const trap = this.armedLeaderCrash;
    if (!trap || this.healed) return;
    this.armedLeaderCrash = null;
    this.coverage.trapSprung();
    const action = { atMs: this.now + trap.afterMs, kind: 'crash' as const, node, ...(trap.forMs === undefined ? {} : { forMs: trap.forMs }) };
    this.schedule({ kind: 'fault', action }, trap.afterMs);
  }

  /** Tells the liveness tracker the highest term among live nodes and who leads it (rare: on changes only). */
  noteCluster(): void {
    let maxTerm = 0;
    let leader = 0;
    for (const host of this.hosts) {
      if (!host.alive) continue;
      const term = host.raft.term;
      if (term > maxTerm) {
        maxTerm = term;
        leader = 0;
      }
      if (term === maxTerm && host.raft.role === 'leader') leader = host.id;
    }
    this.liveness.onCluster(this.now, maxTerm, leader);
  }

  send(message: Message<KvCommand>): void {
    const network = this.network;
    if (network.isBlocked(message.from, message.to) || network.shouldDrop()) {
      this.coverage.dropped(network.isBlocked(message.from, message.to));
      this.traceMessage(TraceCode.drop, message);
      return;
    }
    if (network.isHeld(message.from, message.to)) {
      this.coverage.held();
      network.keep(message.from, message.to, message);
      return;
    }
    this.traceMessage(TraceCode.send, message);
    this.schedule({ kind: 'deliver', message }, network.latency());
    if (network.shouldDuplicate()) {
      this.coverage.duplicated();
      this.traceMessage(TraceCode.duplicate, message);
      this.schedule({ kind: 'deliver', message }, network.latency());
    }
  }

  private traceMessage(code: number, message: Message<KvCommand>): void {
    this.trace.mix(code, this.now, message.from * 16 + message.to, MessageCode[message.type] * 65536 + message.term, messageIndex(message));
    if (this.trace.records) {
      this.trace.record({ t: this.now, ev: TRACE_NAMES[code] ?? 'message', node: code === TraceCode.deliver ? message.to : message.from, msg: describeMessage(message) });
    }
  }

  // ---- clients ------------------------------------------------------------------------------

  private onClientCall(id: number): void {
    const client = this.clients[id - 1]!;
    const planned = this.healed ? null : this.options.workload.get(id, client.next);
    if (!planned) {
      client.done = true;
      return;
    }
    client.next++;
    const { to, request } = client.kv.begin(planned.op);
    client.position = this.history.call(id, this.now, planned.op);
    this.trace.mix(TraceCode.clientCall, this.now, id, request.seq);
    if (this.trace.records) this.trace.record({ t: this.now, ev: 'call', client: id, seq: request.seq, node: to, op: describeOp(planned.op) });
    this.sendRequest(client, to, request);
  }

  private sendRequest(client: ClientState, to: number, request: KvRequest): void {
    client.attempt++;
    this.schedule({ kind: 'client-timeout', client: client.id, attempt: client.attempt }, this.options.scenario.workload.clientTimeoutMs);
    if (this.clientNetPrng.chance(this.network.dropRatio)) return;
    this.schedule({ kind: 'request', node: to, client: client.id, request }, this.network.latency());
  }

  private onRequest(node: number, clientId: number, request: KvRequest): void {
    const host = this.host(node);
    this.trace.mix(TraceCode.request, this.now, node, clientId, request.seq);
    if (!host.alive) return;
    const response = host.kv.handleRequest(request);
    if (response) this.respond(node, clientId, response);
    this.afterInput(host);
  }

  private routeResponses(host: NodeHost, responses: readonly KvResponse[]): void {
    for (const response of responses) this.respond(host.id, response.clientId, response);
  }

  private respond(node: number, clientId: number, response: KvResponse): void {
    if (this.clientNetPrng.chance(this.network.dropRatio)) return;
    this.schedule({ kind: 'response', node, client: clientId, response }, this.network.latency());
  }

  private onResponse(node: number, id: number, response: KvResponse): void {
    const client = this.clients[id - 1];
    if (!client || client.position < 0) return;
    this.trace.mix(TraceCode.response, this.now, node, id, response.seq);
    const step = client.kv.onResponse(node, response);
    if (step.kind === 'ignore') return;
    if (step.kind === 'send') return this.sendRequest(client, step.to, step.request);
    this.history.complete(client.position, this.now, step.output);
    this.trace.mix(TraceCode.clientReturn, this.now, id, response.seq);
    if (this.trace.records) this.trace.record({ t: this.now, ev: 'return', client: id, seq: response.seq, node, output: JSON.stringify(step.output) });
    client.position = -1;
    client.attempt++;
    const next = this.healed ? null : this.options.workload.get(id, client.next);
    if (next) this.schedule({ kind: 'client-call', client: id }, next.thinkMs);
    else client.done = true;
  }

  private onClientTimeout(id: number, attempt: number): void {
    const client = this.clients[id - 1]!;
    if (client.position < 0 || client.attempt !== attempt) return;
    this.trace.mix(TraceCode.clientTimeout, this.now, id);
    this.trace.record({ t: this.now, ev: 'timeout', client: id });
    const { to, request } = client.kv.onTimeout();
    this.sendRequest(client, to, request);
  }

  /** True when no client has an operation outstanding or left to call. */
  clientsFinished(): boolean {
    for (const client of this.clients) if (!client.done || client.position >= 0) return false;
    return true;
  }

  // ---- the end of the faults phase -----------------------------------------------------------

  /** Faults stop: the network heals, held messages are released, every crashed node restarts. */
  healAll(): void {
    this.healed = true;
    this.liveness.onHeal(this.now);
    this.trace.mix(TraceCode.heal, this.now);
    this.trace.record({ t: this.now, ev: 'heal-all' });
    this.armedLeaderCrash = null;
    this.network.heal();
    this.network.dropRatio = 0;
    this.network.duplicateRatio = 0;
    for (const [from, to] of this.network.heldLinkList()) {
      for (const message of this.network.release(from, to)) this.send(message);
    }
    for (const host of this.hosts) if (!host.alive) this.restartNode(host);
    for (const client of this.clients) if (client.position < 0) client.done = true;
  }

  crashNode(host: NodeHost): void {
    if (!host.alive) return;
    const lost = host.crash();
    this.coverage.crashed(host, lost);
    this.trace.mix(TraceCode.crash, this.now, host.id, lost);
    this.trace.record({ t: this.now, ev: 'crash', node: host.id, lostWrites: lost });
    this.monitor.onCrash(host.id);
    this.noteCluster();
  }

  restartNode(host: NodeHost): void {
    if (host.alive) return;
    host.restart();
    this.coverage.restarted(host);
    this.trace.mix(TraceCode.restart, this.now, host.id);
    this.trace.record({ t: this.now, ev: 'restart', node: host.id });
    this.monitor.onCommitReset(host.id, host.raft.status().commitIndex);
    this.schedule({ kind: 'tick', node: host.id, incarnation: host.incarnation }, this.options.scenario.timing.tickMs);
    this.afterInput(host);
    this.noteCluster();
  }

  /** The live leader with the highest term, if any. */
  currentLeader(): NodeHost | null {
    let best: NodeHost | null = null;
    let bestTerm = -1;
    for (const host of this.hosts) {
      if (!host.alive) continue;
      const status = host.raft.status();
      if (status.role === 'leader' && status.term > bestTerm) {
        best = host;
        bestTerm = status.term;
      }
    }
    return best;
  }
}

const TRACE_NAMES: Record<number, string> = {
  [TraceCode.send]: 'send', [TraceCode.deliver]: 'deliver', [TraceCode.drop]: 'drop', [TraceCode.duplicate]: 'duplicate',
};

/** The index a message is about, so that the hash tells apart messages of one type and term. */
function messageIndex(message: Message<KvCommand>): number {
  switch (message.type) {
    case 'RequestVote': return message.lastLogIndex;
    case 'RequestVoteResponse': return message.granted ? 1 : 0;
    case 'AppendEntries': return message.prevLogIndex * 1024 + message.entries.length;
    case 'AppendEntriesResponse': return message.success ? message.matchIndex : -message.rejectedIndex - 1;
    case 'InstallSnapshot': return message.snapshot.lastIncludedIndex;
    case 'InstallSnapshotResponse': return message.matchIndex;
  }
}

function describeOp(op: KvOperation): string {
  switch (op.f) {
    case 'get': case 'delete': return `${op.f} ${op.key}`;
    case 'put': case 'append': return `${op.f} ${op.key} ${JSON.stringify(op.value)}`;
    case 'cas': return `cas ${op.key} ${JSON.stringify(op.expected)}→${JSON.stringify(op.value)}`;
  }
}
