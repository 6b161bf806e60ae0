/**
 * Carries out the fault schedule on the real processes and records each fault as it really
 * happened: SIGKILL then restart, SIGSTOP then SIGCONT, and partitions through each node's test-only
 * admin endpoint (every node on one side drops the other side; a heal on every node ends it).
 * `healAll` puts everything right at the end, whatever state an abort left it in.
 */
import { sleep, type TestClock } from './clock.js';
import { admin, findLeader } from './nodeApi.js';
import type { NodeHandle, NodeProcesses } from './processes.js';
import type { PlannedFault } from './schedule.js';
import type { FaultRecord } from './types.js';

/** Admin calls retry this long: a node restarted by the previous fault may still be starting. */
const ADMIN_RETRY_MS = 3_000;

export class Nemesis {
  readonly faults: FaultRecord[] = [];

  constructor(
    private readonly procs: NodeProcesses,
    private readonly clock: TestClock,
    private readonly log: (fault: FaultRecord, phase: 'begin' | 'end') => void,
  ) {}

  /**
   * Runs `plan` (times relative to `phaseStart`) within `phaseMs`: carrying out a fault takes real
   * time (finding the leader, waiting for a killed process to go), so the schedule can drift; no
   * fault outlasts the phase. On abort, undoes the current fault and stops.
   */
  async run(plan: readonly PlannedFault[], phaseStart: number, phaseMs: number, signal: AbortSignal): Promise<void> {
    const phaseEnd = phaseStart + phaseMs;
    for (const fault of plan) {
      await sleep(phaseStart + fault.atMs - this.clock.call(), signal);
      if (signal.aborted || this.clock.call() >= phaseEnd - 250) return;
      const { record, undo } = await this.begin(fault);
      this.faults.push(record);
      this.log(record, 'begin');
      await sleep(Math.min(fault.durationMs, phaseEnd - this.clock.call()), signal);
      try {
        await undo();
      } catch (error) {
        record.error = (error as Error).message;
      }
      record.end = this.clock.ret();
      this.log(record, 'end');
    }
  }

  /** Heals every partition, resumes every paused node and restarts every killed one. */
  async healAll(): Promise<string[]> {
    const problems: string[] = [];
    for (const node of this.procs.nodes) this.procs.resume(node);
    for (const node of this.procs.nodes) if (!this.procs.isRunning(node)) this.procs.start(node);
    await Promise.all(this.procs.nodes.map((node) => adminRetrying(node, 'heal', []).catch((error: Error) => problems.push(error.message))));
    const now = this.clock.ret();
    for (const record of this.faults) if (record.end === null) record.end = now;
    return problems;
  }

  private async begin(fault: PlannedFault): Promise<{ record: FaultRecord; undo: () => Promise<void> }> {
    const start = this.clock.call();
    const running = this.procs.nodes.filter((n) => this.procs.isRunning(n) && !n.paused);
    const leader = await findLeader(running);
    // With no leader known, "the leader" falls back to a node fixed by the schedule.
    const fallback = this.procs.nodes[fault.atMs % this.procs.nodes.length]!.name;
    if (fault.kind === 'kill' || fault.kind === 'pause') {
      const name = fault.target === 'leader' ? leader ?? fallback : fault.target;
      const node = this.procs.node(name);
      const isLeader = name === leader;
      const record: FaultRecord = {
        kind: fault.kind, nodes: [name], leader: isLeader, start, end: null,
        description: `${fault.kind === 'kill' ? 'SIGKILL' : 'SIGSTOP'} ${name}${isLeader ? ' (leader)' : ''}${fault.target === 'leader' && !isLeader ? ' (no leader known)' : ''}`,
      };
      if (fault.kind === 'kill') {
        await this.procs.kill(node);
        return { record, undo: async () => this.procs.start(node) };
      }
      this.procs.pause(node);
      return { record, undo: async () => this.procs.resume(node) };
    }
    const partition = fault as Extract<PlannedFault, { kind: 'partition' }>;
    const minority = partition.shape === 'isolate-leader' ? [leader ?? fallback] : [...partition.nodes];
    const majority = this.procs.nodes.map((n) => n.name).filter((n) => !minority.includes(n));
    const isLeader = leader !== null && minority.includes(leader);
    const description = partition.shape === 'split'
      ? `partition ${minority.join(',')} | ${majority.join(',')}${isLeader ? ` (leader ${leader} in the minority)` : ''}`
      : `isolate ${minority[0]}${isLeader ? ' (leader)' : ''}`;
    const record: FaultRecord = { kind: 'partition', shape: partition.shape, nodes: minority, leader: isLeader, description, start, end: null };
    const problems: string[] = [];
    await Promise.all(this.procs.nodes.map((node) => {
      const drop = minority.includes(node.name) ? majority : minority;
      return adminRetrying(node, 'partition', drop).catch((error: Error) => problems.push(error.message));
    }));
    if (problems.length > 0) record.error = problems.join('; ');
    return {
      record,
      undo: async () => {
        const failed: string[] = [];
        await Promise.all(this.procs.nodes.map((node) => adminRetrying(node, 'heal', []).catch((error: Error) => failed.push(error.message))));
        if (failed.length > 0) throw new Error(failed.join('; '));
      },
    };
  }
}

async function adminRetrying(node: NodeHandle, action: 'partition' | 'heal', drop: readonly string[]): Promise<void> {
  const deadline = performance.now() + ADMIN_RETRY_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return await admin(node.address, action, drop);
    } catch (error) {
      if (performance.now() + 100 > deadline || attempt > 50) throw error;
      await sleep(100);
    }
  }
}
