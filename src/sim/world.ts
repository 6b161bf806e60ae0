/**
 * The deterministic world: one virtual clock, one event queue, the network, the machines, the
 * clients, the nemesis and the monitors. `runUntil` pops events in (time, insertion) order until
 * the run is over; nothing in here reads real time or real randomness. What each node hands back
 * is carried out by its NodeDriver (simDriver.ts), watched by the monitor feed (monitorFeed.ts);
 * the clients live in clientLinks.ts, the encoding of events for the trace in traceCodec.ts.
 */
import type { KvCommand } from '../kv/types.js';
import type { Message } from '../raft/messages.js';
import { Coverage } from './coverage.js';
import { ClientLinks } from './clientLinks.js';
import { Clocks } from './clocks.js';
import { DiskFaults } from './diskFaults.js';
import { EventQueue } from './eventQueue.js';
import type { SimEvent, SimEventBody } from './events.js';
import { TraceCode } from './events.js';
import { HistoryRecorder } from './history.js';
import { NodeHost } from './host.js';
import type { NodeFactories, NodeMutant } from './host.js';
import { LivenessTracker } from './liveness.js';
import { MonitorFeed } from './monitorFeed.js';
import { SafetyMonitor } from './monitors.js';
import { Network } from './network.js';

import { healTimingFaults, sendDelayed } from './faultMechanics.js';
import { applyFault } from './nemesisActions.js';
import { keepForPaused, onResume } from './pauses.js';
import { EngineHosts } from './engineHosts.js';
import { Prng } from './prng.js';
import { bootstrapVoters } from './scenarioMembership.js';
import { settle } from './settle.js';
import type { Scenario } from './scenario.js';
import type { DurableState } from '../raft/types.js';
import { SimDrivers } from './simDriver.js';
import type { SimNodeDriver } from './simDriver.js';
import { Trace } from './trace.js';
import { traceBoot, traceCrash, traceEngineCrash, traceFault, traceFsync, traceHeal, traceMessage, traceRestart } from './traceCodec.js';
import { Traps } from './traps.js';
import type { WorkloadSource } from './workload.js';

/**
 * Past this many events in the queue, a message sent between nodes is refused (lost, and counted
 * in messagesRefused) instead of scheduled: a bound on memory that a real network's buffers give
 * too. Far above any scenario's load (a handful of messages per node per tick), so runs never
 * reach it; well below EVENT_QUEUE_MAX, so timers and fsyncs always fit.
 */
export const MESSAGE_EVENTS_MAX = 1_000_000;

export interface WorldOptions {
  readonly scenario: Scenario;
  readonly seed: string;
  readonly workload: WorkloadSource;
  readonly clients: number;
  readonly keepTrace: boolean;
  /** How hosts build their node and server (see NodeFactories); the core classes when absent. */
  readonly factories?: NodeFactories;
  /** Test-only: a node broken on purpose (see NodeMutant). */
  readonly mutant?: NodeMutant;
  /** A hard bound on events, so that no run can loop forever. */
  readonly maxEvents: number;
}

export class World {
  readonly queue = new EventQueue<SimEvent>();
  /** Messages dropped because a held link or the event queue was full (see MESSAGE_EVENTS_MAX, HELD_PER_LINK_MAX). */
  messagesRefused = 0;
  readonly trace: Trace;
  readonly history = new HistoryRecorder();
  readonly monitor: SafetyMonitor;
  readonly coverage: Coverage;
  readonly network: Network<Message<KvCommand>>;
  readonly hosts: NodeHost[] = [];
  readonly clientLinks: ClientLinks;
  readonly prng: Prng;
  readonly clocks: Clocks;
  readonly disks: DiskFaults;
  readonly traps = new Traps();
  readonly feed = new MonitorFeed(this);
  private readonly drivers = new SimDrivers(this);
  now = 0;
  /** Events popped from the queue and dispatched. */
  dispatched = 0;
  healed = false;
  readonly liveness = new LivenessTracker();
  crashError: Error | null = null;
  /** The storage engine of every machine, when the scenario runs it (disk.storage "engine"); else null. */
  readonly engines: EngineHosts | null;

  constructor(readonly options: WorldOptions) {
    const { scenario, seed } = options;
    this.prng = new Prng(seed);
    this.monitor = new SafetyMonitor(scenario.nodes, bootstrapVoters(scenario));
    this.coverage = new Coverage(scenario.nodes);
    this.trace = new Trace(options.keepTrace);
    this.disks = new DiskFaults(scenario, this.prng, this.trace);
    const t = scenario.timing;
    this.clocks = new Clocks(scenario.nodes, t.tickMs, t.clockDriftMax, this.prng.child('clock-drift'));
    this.network = new Network({ nodes: scenario.nodes, ...t, ...scenario.network }, this.prng.child('network'));
    const peers = Array.from({ length: scenario.nodes }, (_, i) => i + 1);
    for (const id of peers) {
      const random = this.prng.child(`raft/${id}`);
      const config = {
        // Every host starts from the bootstrap configuration; nodes outside it start as non-members.
        id, peers: bootstrapVoters(scenario), electionTicksMin: t.electionTicksMin, electionTicksMax: t.electionTicksMax,
        heartbeatTicks: t.heartbeatTicks, maxEntriesPerAppend: scenario.raft.maxEntriesPerAppend,
        maxInflightAppends: scenario.raft.maxInflightAppends, maxBytesPerAppend: scenario.raft.maxBytesPerAppend,
        maxInflightBytes: scenario.raft.maxInflightBytes, maxUncommittedBytes: scenario.raft.maxUncommittedBytes, random,
        preVote: scenario.raft.preVote, checkQuorum: scenario.raft.checkQuorum,
        ...(scenario.raft.readMode === 'lease' ? { leaseReads: true, clockDriftBoundTicks: scenario.raft.clockDriftBoundTicks ?? 0 } : {}),
      };
      const { snapshotEveryEntries, sessionExpiryMs, maxSessions } = scenario.raft;
      const clockMs = (): number => this.clocks.localMs(id, this.now);
      const kv = { snapshotEveryEntries, sessionExpiryMs, maxSessions, clockMs, readMode: scenario.raft.readMode,
        ...(scenario.raft.followerReads === true ? { followerReads: true } : {}) };
      const host = new NodeHost(id, config, kv, options.mutant, options.factories);
      host.disk.onDurable = (request) => this.monitor.onDurable(id, request);
      this.hosts.push(host);
    }
    const tickPhase = this.prng.child('tick-phase');
    for (const host of this.hosts) {
      this.schedule({ kind: 'tick', node: host.id, incarnation: 0 }, 1 + tickPhase.int(t.tickMs));
    }
    this.clientLinks = new ClientLinks(this, options.clients, peers, this.prng);
    this.engines = scenario.disk.storage === 'engine' ? new EngineHosts(this) : null;
    if (this.engines) {
      // Machines boot by opening their (empty) storage, as after a restart.
      for (const host of this.hosts) host.alive = false;
      for (const host of this.hosts) this.engines.open(host, (recovered) => this.started(host, recovered, true));
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

  /** The driver that carries out what this host's current node hands back. */
  driver(host: NodeHost): SimNodeDriver {
    return this.drivers.of(host);
  }

  /** Runs events until `until` returns true, the queue empties, time passes `endMs` or a check fails. */
  async runUntil(endMs: number, until: () => boolean): Promise<'done' | 'deadline' | 'violation' | 'budget'> {
    const queue = this.queue;
    for (;;) {
      // What the last event started in a storage engine runs to its end before the next event.
      if (this.engines?.touched) {
        this.engines.touched = false;
        await settle();
      }
      if (queue.size === 0) break;
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
      case 'request': return this.clientLinks.onRequest(event.node, event.client, event.request);
      case 'response': return this.clientLinks.onResponse(event.node, event.client, event.response);
      case 'client-call': return this.clientLinks.onCall(event.client);
      case 'client-timeout': return this.clientLinks.onTimeout(event.client, event.attempt);
      case 'fault':
        this.coverage.fault(event.action.kind);
        traceFault(this.trace, this.now, event.action);
        return applyFault(this, event.action);
      case 'heal-all': return this.healAll();
      case 'delayed': {
        const message = this.network.takeDelayed(event.id);
        return message ? this.onDeliver(message) : undefined;
      }
      case 'resume': return onResume(this, event.node, event.incarnation, event.until);
      case 'wake': return this.engines!.onWake(event.node, event.incarnation, event.token);
      case 'disk-space': return this.engines!.onDiskSpace(event.node, event.until);
      case 'supervisor-restart': return this.engines!.onSupervisorRestart(event.node, event.incarnation);
    }
  }

  private onTick(node: number, incarnation: number): void {
    const host = this.host(node);
    if (!host.alive || host.incarnation !== incarnation) return;
    // A paused node's timers stop: the chain ends here and restarts when it resumes.
    if (host.paused) {
      host.paused.tickStalled = true;
      return;
    }
    if (!this.clocks.frozen(node, this.now)) this.tickOnce(host);
    this.schedule({ kind: 'tick', node, incarnation }, this.clocks.nextInterval(node));
  }

  tickOnce(host: NodeHost): void {
    this.trace.mix(TraceCode.tick, this.now, host.id);
    this.driver(host).tick();
    this.watchCutOffLeader(host);
  }

  /**
   * CheckQuorum's figure: how long a leader has gone without hearing from a majority, by its own
   * ticks, counting from its election until it first hears from one.
   */
  private watchCutOffLeader(host: NodeHost): void {
    if (host.raft.role !== 'leader') {
      host.ticksLeading = 0;
      return;
    }
    host.ticksLeading++;
    const ticks = host.raft.ticksSinceQuorumContact() ?? host.ticksLeading;
    this.liveness.onLeaderTick(Math.min(ticks, host.ticksLeading) * this.options.scenario.timing.tickMs);
  }

  /** A paused node wakes: one late tick, then its ticks go on. */
  resumeTicks(host: NodeHost): void {
    if (!this.clocks.frozen(host.id, this.now)) this.tickOnce(host);
    if (host.alive) this.schedule({ kind: 'tick', node: host.id, incarnation: host.incarnation }, this.clocks.nextInterval(host.id));
  }

  private onDeliver(message: Message<KvCommand>): void {
    const host = this.host(message.to);
    if (!host.alive || this.network.isBlocked(message.from, message.to)) {
      this.coverage.cut();
      this.traceMessage(TraceCode.drop, message);
      return;
    }
    if (host.paused) return keepForPaused(this, host, { kind: 'deliver', message });
    this.deliverNow(host, message);
  }

  deliverNow(host: NodeHost, message: Message<KvCommand>): void {
    this.traceMessage(TraceCode.deliver, message);
    this.driver(host).step(message);
  }

  private onFsync(node: number, incarnation: number): void {
    const host = this.host(node);
    if (!host.alive || host.incarnation !== incarnation) return;
    const id = host.disk.completeOldest();
    traceFsync(this.trace, this.now, node, id);
    // The write is durable now; a paused node learns so when it resumes.
    if (host.paused) return keepForPaused(this, host, { kind: 'fsync', id });
    this.driver(host).persisted(id);
  }

  /** Tells the liveness tracker who leads the highest term among live nodes (on changes only). */
  noteCluster(): void {
    this.feed.noteCluster();
  }

  send(message: Message<KvCommand>): void {
    const network = this.network;
    const { from, to } = message;
    if (this.queue.size >= MESSAGE_EVENTS_MAX) return this.refuse(TraceCode.queueFull, message, 'event queue full');
    if (network.isBlocked(from, to) || network.shouldDrop()) {
      this.coverage.dropped(network.isBlocked(from, to));
      this.traceMessage(TraceCode.drop, message);
      return;
    }
    if (network.isHeld(from, to)) {
      this.coverage.held();
      if (!network.keep(from, to, message)) this.refuse(TraceCode.heldFull, message, 'held link full');
      return;
    }
    network.remember(from, to, message);
    const delay = network.takeDelay(from, to);
    const latency = network.latency(from, to);
    if (delay === 0 || !sendDelayed(this, message, latency, delay)) {
      this.traceMessage(TraceCode.send, message);
      this.schedule({ kind: 'deliver', message }, latency);
    }
    if (network.shouldDuplicate()) {
      this.coverage.duplicated();
      this.traceMessage(TraceCode.duplicate, message);
      this.schedule({ kind: 'deliver', message }, network.latency(from, to));
    }
  }

  /** A message the simulator has no room for: lost, as on a real full buffer, and counted. */
  private refuse(code: number, message: Message<KvCommand>, why: string): void {
    this.messagesRefused++;
    // One full record per run; the hash sees every one.
    if (this.messagesRefused === 1) this.trace.record({ t: this.now, ev: 'message-refused', node: message.from, to: message.to, why });
    this.traceMessage(code, message);
  }

  private traceMessage(code: number, message: Message<KvCommand>): void {
    traceMessage(this.trace, this.now, code, message);
  }

  /** True when no client has an operation outstanding or left to call. */
  clientsFinished(): boolean {
    return this.clientLinks.finished();
  }

  // ---- the end of the faults phase -----------------------------------------------------------

  /**
   * Faults stop: the network and the client links heal, held and delayed messages go out, disks
   * and clocks are normal again, paused nodes resume, every crashed node restarts.
   */
  healAll(): void {
    this.healed = true;
    this.liveness.onHeal(this.now);
    traceHeal(this.trace, this.now);
    this.traps.clear();
    this.network.heal();
    this.network.dropRatio = 0;
    this.network.duplicateRatio = 0;
    this.clientLinks.heal();
    for (const [from, to] of this.network.heldLinkList()) {
      for (const message of this.network.release(from, to)) this.send(message);
    }
    healTimingFaults(this);
    this.engines?.heal();
    for (const host of this.hosts) if (!host.alive) this.restartNode(host);
  }

  /** The process dies; its disk keeps what was fsynced (and, with disk faults, maybe more). */
  crashNode(host: NodeHost): void {
    if (this.engines && host.opening) return this.engines.crashWhileOpening(host);
    if (!host.alive) return;
    let lost: number;
    if (this.engines) {
      const summary = this.engines.crash(host);
      lost = summary.opsLost;
      traceEngineCrash(this.trace, this.now, host.id, summary);
    } else {
      const outcome = host.crash(this.disks.crashChooser());
      lost = outcome.lost;
      traceCrash(this.trace, this.now, host.id, lost, outcome.kept, outcome.tornEntries);
    }
    // What the node was carrying out dies with the process.
    this.drivers.halt(host);
    this.coverage.crashed(host, lost);
    this.monitor.onCrash(host.id);
    this.noteCluster();
  }

  restartNode(host: NodeHost): void {
    if (host.alive) return;
    if (this.engines) {
      // The engine recovers in virtual time; a machine it refused for damage stays down.
      if (!host.opening && host.refused === null) this.engines.open(host, (recovered) => this.started(host, recovered));
      return;
    }
    this.started(host, host.disk.recover());
  }

  /** The machine's new incarnation starts from what its storage recovered (`boot`: its first start, not a restart). */
  private started(host: NodeHost, recovered: DurableState<KvCommand>, boot = false): void {
    host.restartFrom(recovered);
    this.coverage.restarted(host);
    if (boot) traceBoot(this.trace, this.now, host.id);
    else traceRestart(this.trace, this.now, host.id);
    this.monitor.onCommitReset(host.id, host.raft.status().commitIndex);
    this.schedule({ kind: 'tick', node: host.id, incarnation: host.incarnation }, this.clocks.nextInterval(host.id));
    // A restored snapshot comes out in the new node's first Ready.
    this.driver(host).drain();
    this.noteCluster();
  }
}
