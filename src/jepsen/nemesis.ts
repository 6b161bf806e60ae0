/**
 * Carries out the fault schedule on the real processes and records each fault as it really
 * happened: SIGKILL then restart, SIGSTOP then SIGCONT, and partitions through each node's test-only
 * admin endpoint (every node on one side drops the other side; a heal on every node ends it).
 * Faults may overlap, as planned: each runs as its own task, which waits for its time and for the
 * faults that the plan ends before it. A restart waits (bounded) until the node listens, and then
 * tells it the partition in force, so that the next fault finds it whole. A membership fault
 * removes a voter through the leader and, when it ends, adds it back as a learner and promotes it
 * (membership.ts). What could not be done
 * is recorded in the fault's `error`. `healAll` puts everything right at the end, whatever state
 * an abort left it in.
 */
import { sleep, type TestClock } from './clock.js';
import { removeMember, restoreMember } from './membership.js';
import { findLeader } from './nodeApi.js';
import { PartitionTable } from './partitions.js';
import type { NodeHandle, NodeProcesses } from './processes.js';
import type { PlannedFault } from './schedule.js';
import type { FaultRecord } from './types.js';

/** A restarted node must answer /status within this (WAL replay on a loaded machine included). */
const RESTART_LISTEN_MS = 30_000;
/** A fault aimed at the leader waits this long for one to be known, then picks a node. */
const LEADER_WAIT_MS = 3_000;

/** Where the odd-numbered clients send their requests (null: to every node). */
export type ClientRouting = (minority: readonly string[] | null) => void;

interface Undo {
  (): Promise<string[]>;
}

export class Nemesis {
  readonly faults: FaultRecord[] = [];
  /** Planned faults not carried out (their turn came more than the allowed lag late, or the run was aborted). */
  readonly skipped: PlannedFault[] = [];
  private readonly partitions = new PartitionTable();
  /** Nodes a kill or pause holds right now: another fault picks someone else. */
  private readonly busy = new Set<string>();
  /** How far behind the plan the faults are (ms): it only grows. */
  private lag = 0;
  /** A membership fault began: the heal must see every node a voter again. */
  private membershipChanged = false;

  constructor(
    private readonly procs: NodeProcesses,
    private readonly clock: TestClock,
    private readonly log: (fault: FaultRecord, phase: 'begin' | 'end') => void,
    private readonly routeClients: ClientRouting = () => undefined,
  ) {}

  /**
   * Runs `plan` (times relative to `phaseStart`). Carrying out a fault takes real time (finding
   * the leader, waiting for a killed process to go and a restarted one to listen), more so on a
   * loaded machine: rather than squeeze or drop what comes next, the rest of the plan is shifted
   * by the time lost (`lag`), so every fault keeps its planned length and gaps. The lag is bounded
   * by `maxLagMs`: a fault whose turn comes later than that is skipped (and listed). On abort,
   * undoes the faults in force and stops. Returns the final lag.
   */
  async run(plan: readonly PlannedFault[], phaseStart: number, maxLagMs: number, signal: AbortSignal): Promise<number> {
    const done: Promise<void>[] = [];
    let previousBegun: Promise<void> = Promise.resolve();
    plan.forEach((fault) => {
      // The faults that the plan ends before this one begins must really be over first, and the
      // one before it must have begun (a late begin must not turn an overlap into two faults apart).
      const before = done.filter((_, j) => plan[j]!.atMs + plan[j]!.durationMs <= fault.atMs);
      let begun!: () => void;
      const thisBegun = new Promise<void>((resolve) => { begun = resolve; });
      done.push(Promise.all([...before, previousBegun]).then(() => this.runOne(fault, phaseStart, maxLagMs, signal, begun)));
      previousBegun = thisBegun;
    });
    await Promise.all(done);
    return this.lag;
  }

  private async runOne(fault: PlannedFault, phaseStart: number, maxLagMs: number, signal: AbortSignal, begun: () => void): Promise<void> {
    try {
      await this.carryOut(fault, phaseStart, maxLagMs, signal, begun);
    } finally {
      begun();
    }
  }

  private async carryOut(fault: PlannedFault, phaseStart: number, maxLagMs: number, signal: AbortSignal, begun: () => void): Promise<void> {
    for (let wait = phaseStart + fault.atMs + this.lag - this.clock.call(); wait > 0 && !signal.aborted; wait = phaseStart + fault.atMs + this.lag - this.clock.call()) {
      await sleep(wait, signal);
    }
    if (signal.aborted || this.clock.call() - (phaseStart + fault.atMs) > maxLagMs) {
      this.skipped.push(fault);
      return;
    }
    const { record, undo } = await this.begin(fault);
    this.faults.push(record);
    this.log(record, 'begin');
    begun();
    await sleep(fault.durationMs, signal);
    const problems = await undo();
    if (problems.length > 0) record.error = [record.error, `undo: ${problems.join('; ')}`].filter((e) => e !== undefined).join('; ');
    record.end = this.clock.ret();
    this.lag = Math.max(this.lag, record.end - (phaseStart + fault.atMs + fault.durationMs));
    this.log(record, 'end');
  }

  /** Heals every partition, resumes every paused node and restarts every killed one. */
  async healAll(): Promise<string[]> {
    this.routeClients(null);
    this.partitions.clear();
    for (const node of this.procs.nodes) this.procs.resume(node);
    const problems = await this.restart(this.procs.nodes.filter((n) => !this.procs.isRunning(n)));
    await Promise.all(this.procs.nodes.map((node) => this.partitions.sync(node).catch((error: Error) => problems.push(error.message))));
    // Every node a voter again, whatever an abort or a failed undo left out.
    if (this.membershipChanged) {
      for (const node of this.procs.nodes) {
        const problem = await restoreMember(() => this.reachable(), node.name);
        if (problem !== null) problems.push(`${node.name} not back as a voter: ${problem}`);
      }
    }
    const now = this.clock.ret();
    for (const record of this.faults) if (record.end === null) record.end = now;
    return problems;
  }

  private async begin(fault: PlannedFault): Promise<{ record: FaultRecord; undo: Undo }> {
    const start = this.clock.call();
    const needsLeader = fault.kind === 'partition' ? fault.shape === 'isolate-leader' : fault.target === 'leader';
    const leader = await this.currentLeader(needsLeader ? LEADER_WAIT_MS : 0);
    if (fault.kind === 'partition') return this.beginPartition(fault, leader, start);
    if (fault.kind === 'member') return this.beginMember(fault, leader, start);
    const { names, note } = this.targets(fault, leader);
    const nodes = names.map((name) => this.procs.node(name));
    const isLeader = leader !== null && names.includes(leader);
    const who = fault.target === 'all' ? `every node (${names.join(',')})` : fault.target === 'majority' ? `a majority (${names.join(',')})` : names.join(',');
    const record: FaultRecord = {
      kind: fault.kind, nodes: names, leader: isLeader, start, end: null,
      description: `${fault.kind === 'kill' ? 'SIGKILL' : 'SIGSTOP'} ${who}${isLeader ? ` (leader ${leader})` : ''}${note}` +
        (fault.kind === 'pause' && fault.target === 'leader' ? ` for ${fault.durationMs} ms` : ''),
    };
    if (names.length === 0) {
      record.error = 'not applied: every node was already held by another fault';
      return { record, undo: async () => [] };
    }
    for (const name of names) this.busy.add(name);
    if (fault.kind === 'kill') {
      await Promise.all(nodes.map((node) => this.procs.kill(node)));
      return { record, undo: async () => this.restart(nodes) };
    }
    for (const node of nodes) this.procs.pause(node);
    return {
      record,
      undo: async () => {
        const problems: string[] = [];
        for (const node of nodes) {
          this.procs.resume(node);
          this.busy.delete(node.name);
        }
        // A partition that began or ended while it was stopped reaches it only now.
        await Promise.all(nodes.map((node) => this.partitions.sync(node).catch((error: Error) => problems.push(error.message))));
        return problems;
      },
    };
  }

  /**
   * The leader, as the running nodes say; a fault aimed at the leader waits up to `waitMs` for
   * one (after a kill of every node, the next fault comes while the cluster is still electing).
   */
  private async currentLeader(waitMs: number): Promise<string | null> {
    const deadline = performance.now() + waitMs;
    for (;;) {
      const running = this.procs.nodes.filter((n) => this.procs.isRunning(n) && !n.paused);
      const leader = await findLeader(running);
      if (leader !== null || performance.now() + 100 > deadline) return leader;
      await sleep(100);
    }
  }

  /** Resolves a kill or pause target to nodes no other fault holds. */
  private targets(fault: Extract<PlannedFault, { kind: 'kill' | 'pause' }>, leader: string | null): { names: string[]; note: string } {
    const free = this.procs.nodes.map((n) => n.name).filter((n) => !this.busy.has(n));
    if (fault.target === 'majority' || fault.target === 'all') return { names: (fault.nodes ?? []).filter((n) => free.includes(n)), note: '' };
    const wanted = fault.target === 'leader' ? leader : fault.target;
    if (wanted !== null && free.includes(wanted)) return { names: [wanted], note: '' };
    // With no leader known, or the target held by another fault, a node fixed by the schedule.
    const fallback = free.length === 0 ? [] : [free[fault.atMs % free.length]!];
    const why = wanted === null ? ' (no leader known)' : ` (${wanted} is held by another fault)`;
    return { names: fallback, note: why };
  }

  private async beginPartition(fault: Extract<PlannedFault, { kind: 'partition' }>, leader: string | null, start: number): Promise<{ record: FaultRecord; undo: Undo }> {
    const all = this.procs.nodes.map((n) => n.name);
    const minority = fault.shape === 'isolate-leader' ? [leader ?? all[fault.atMs % all.length]!] : [...fault.nodes];
    const majority = all.filter((n) => !minority.includes(n));
    const isLeader = leader !== null && minority.includes(leader);
    const clients = fault.clients === 'minority' ? '; odd clients talk only to the minority' : '';
    const description = (fault.shape === 'split'
      ? `partition ${minority.join(',')} | ${majority.join(',')}${isLeader ? ` (leader ${leader} in the minority)` : ''}`
      : `isolate ${minority[0]}${isLeader ? ' (leader)' : ''}${fault.shape === 'isolate-leader' && leader === null ? ' (no leader known)' : ''}`) + clients;
    const record: FaultRecord = {
      kind: 'partition', shape: fault.shape, nodes: minority, leader: isLeader, description, start, end: null, ...(fault.clients === 'minority' ? { clients: 'minority' as const } : {}),
    };
    this.partitions.set(new Map(all.map((n) => [n, minority.includes(n) ? majority : minority])));
    if (fault.clients === 'minority') this.routeClients(minority);
    const problems = await this.syncReachable();
    if (problems.length > 0) record.error = `not fully applied: ${problems.join('; ')}`;
    return {
      record,
      undo: async () => {
        if (fault.clients === 'minority') this.routeClients(null);
        this.partitions.clear();
        return this.syncReachable();
      },
    };
  }

  /**
   * Removes a voter (the leader, possibly) from the configuration; the undo adds it back as a
   * learner and promotes it. Its process runs on: a removed node just hears nothing more.
   */
  private async beginMember(fault: Extract<PlannedFault, { kind: 'member' }>, leader: string | null, start: number): Promise<{ record: FaultRecord; undo: Undo }> {
    const all = this.procs.nodes.map((n) => n.name);
    const wanted = fault.target === 'leader' ? leader : fault.target;
    const node = wanted ?? all[fault.atMs % all.length]!;
    const isLeader = node === leader;
    const record: FaultRecord = {
      kind: 'member', nodes: [node], leader: isLeader, start, end: null,
      description: `remove ${node}${isLeader ? ' (leader)' : ''}${wanted === null ? ' (no leader known)' : ''} from the configuration; at the end add it back as a learner and promote it`,
    };
    this.membershipChanged = true;
    const problem = await removeMember(() => this.reachable(), node);
    if (problem !== null) record.error = `not applied: ${problem}`;
    return {
      record,
      undo: async () => {
        const back = await restoreMember(() => this.reachable(), node);
        return back === null ? [] : [`${node} not back as a voter: ${back}`];
      },
    };
  }

  /** The nodes that can answer now (running, not paused). */
  private reachable(): NodeHandle[] {
    return this.procs.nodes.filter((n) => this.procs.isRunning(n) && !n.paused);
  }

  /**
   * Tells every node that no kill or pause holds its list. A held node is told when it is
   * restarted or resumed (after it is released, so that it cannot miss a change).
   */
  private async syncReachable(): Promise<string[]> {
    const problems: string[] = [];
    const reachable = this.procs.nodes.filter((n) => !this.busy.has(n.name));
    await Promise.all(reachable.map((node) => this.partitions.sync(node).catch((error: Error) => problems.push(error.message))));
    return problems;
  }

  /** Starts `nodes`, waits until each listens, releases it, and tells it the partition in force. */
  private async restart(nodes: readonly NodeHandle[]): Promise<string[]> {
    const problems: string[] = [];
    await Promise.all(nodes.map(async (node) => {
      this.procs.start(node);
      const listening = await this.procs.waitListening(node, RESTART_LISTEN_MS);
      this.busy.delete(node.name);
      if (!listening) {
        problems.push(`${node.name} did not listen within ${RESTART_LISTEN_MS / 1000} s of its restart`);
        return;
      }
      await this.partitions.sync(node).catch((error: Error) => problems.push(error.message));
    }));
    return problems;
  }
}
