/**
 * One Jepsen-style run against a real cluster: start the nodes, run the clients while the nemesis
 * injects the seeded faults, heal everything, let the clients run a little longer, stop them
 * (bounded), read every key once through the leader, and check: linearizability of the history
 * (the final reads included, so that a lost acknowledged write makes it non-linearizable), the
 * lost-write check on the final values, and that no node died by itself. Every process started
 * here is killed before this returns or throws.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkOperations, formatExplanation, raftsimKvModel, type CheckResult } from '../checker/index.js';
import type { KvOperation } from '../kv/types.js';
import type { Address } from '../runtime/addresses.js';
import { HttpKvClient } from '../runtime/httpKvClient.js';
import { sleep, TestClock, withTimeout } from './clock.js';
import { Nemesis } from './nemesis.js';
import { findLeader } from './nodeApi.js';
import { NodeProcesses } from './processes.js';
import { RolePoller } from './roles.js';
import { describePlanned, planFaults, type PlannedFault } from './schedule.js';
import type { FaultKind, FaultRecord, JepsenOperation, RoleRecord } from './types.js';
import { findLostWrites, type LostWriteReport } from './verify.js';
import { appendKeys, ClientRoutes, generalKeys, Worker, type ClientTiming, type WorkloadStats } from './workload.js';

export interface JepsenOptions {
  readonly nodes: number;
  readonly clients: number;
  readonly durationMs: number;
  readonly faults: readonly FaultKind[];
  readonly seed: number;
  readonly basePort: number;
  /** [main.js, 'serve']: how to start a node. */
  readonly serveCommand: readonly string[];
  /** Node logs go to `${logDir}/nK.log`. */
  readonly logDir: string;
  readonly checkTimeoutMs: number;
  /** Clients keep running this long after the heal, before they stop. */
  readonly recoveryMs?: number;
  readonly keys?: number;
  readonly appendKeys?: number;
  /** Called with the complete, sorted history just before the check (which may take long). */
  readonly onHistory?: (history: readonly JepsenOperation[]) => void;
  /** Progress lines for people (faults as they begin and end, phases). */
  readonly log: (line: string) => void;
}

export type Verdict = 'ok' | 'fail' | 'unknown';

export interface Problem {
  /** not-linearizable, lost-write, node-exited, rejected, no-leader, final-read, check-timeout. */
  readonly kind: string;
  readonly message: string;
}

export interface JepsenResult {
  readonly options: JepsenOptions;
  readonly plan: readonly PlannedFault[];
  /** Planned faults the run did not get to (the phase was over before their turn). */
  readonly skipped: readonly PlannedFault[];
  readonly history: JepsenOperation[];
  readonly faults: readonly FaultRecord[];
  readonly roles: readonly RoleRecord[];
  readonly stats: WorkloadStats;
  readonly check: CheckResult | null;
  readonly explanation: string[];
  readonly finalValues: Map<string, string | null> | null;
  readonly lostWrites: LostWriteReport;
  readonly problems: Problem[];
  readonly verdict: Verdict;
  readonly healTime: number | null;
  /** When the faults phase began (the plan's times are relative to it); null: it never began. */
  readonly faultsPhaseStart: number | null;
  readonly endTime: number;
}

/** The server answers 504 after this; the client's attempts wait a little longer. */
const SERVER_REQUEST_TIMEOUT_MS = 2_000;
/** The client gives up on an operation after `deadlineMs`: long pauses are planned to outlast it. */
export const TIMING: ClientTiming = { attemptTimeoutMs: 2_500, deadlineMs: 6_000, thinkMsMax: 10 };

/** A console line, stamped in ms since the run started (the base of faults.json and the node logs). */
export function stamped(t: number, text: string): string {
  return `${String(t).padStart(7)} ms  ${text}`;
}
const LEADER_WAIT_MS = 15_000;
/** The plan may fall behind by at least this much (or by the planned phase, if longer) before faults are skipped. */
const MIN_MAX_LAG_MS = 60_000;

export async function runJepsen(options: JepsenOptions): Promise<JepsenResult> {
  const clock = new TestClock();
  const dataDir = mkdtempSync(join(tmpdir(), 'raftsim-jepsen-'));
  const procs = new NodeProcesses({
    serveCommand: options.serveCommand, nodes: options.nodes, basePort: options.basePort, dataDir, logDir: options.logDir,
    extraArgs: ['--test-admin', '--request-timeout-ms', String(SERVER_REQUEST_TIMEOUT_MS)], clock,
  });
  const poller = new RolePoller(procs.nodes, clock);
  const routes = new ClientRoutes(procs.nodes.map((n) => n.address));
  const nemesis = new Nemesis(procs, clock, (fault, phase) => {
    const t = phase === 'begin' ? fault.start : fault.end!;
    options.log(stamped(t, `${phase === 'begin' ? 'begin' : 'end  '} ${fault.description}${fault.error ? ` (problem: ${fault.error})` : ''}`));
  }, (minority) => routes.confine(minority === null ? null : minority.map((name) => procs.node(name).address)));
  const plan = planFaults({
    seed: options.seed, nodes: procs.nodes.map((n) => n.name), kinds: options.faults, durationMs: options.durationMs, clientDeadlineMs: TIMING.deadlineMs,
  });
  const history: JepsenOperation[] = [];
  const stats: WorkloadStats = { ok: 0, unknown: 0, notApplied: 0, rejected: [] };
  const problems: Problem[] = [];
  const keys = generalKeys(options.keys ?? 4);
  const logKeys = appendKeys(options.appendKeys ?? 2);
  let healTime: number | null = null;
  let faultsPhaseStart: number | null = null;
  let finalValues: Map<string, string | null> | null = null;
  const abort = new AbortController();
  try {
    procs.startAll();
    poller.start();
    const first = await waitForLeader(procs);
    if (first === null) {
      problems.push({ kind: 'no-leader', message: `no leader within ${LEADER_WAIT_MS / 1000} s of starting the cluster` });
    } else {
      const servers = procs.nodes.map((n) => n.address);
      const workers = Array.from({ length: options.clients }, (_, i) =>
        new Worker(i + 1, options.clients, routes, options.seed, keys, logKeys, TIMING, clock, history, stats));
      let stopClients = false;
      const running = workers.map((w) => w.run(() => stopClients));
      const phaseStart = clock.call();
      faultsPhaseStart = phaseStart;
      options.log(stamped(phaseStart, `leader ${first}; ${options.clients} clients start; the faults phase begins (${plan.length} faults over ${options.durationMs / 1000} s)`));
      // Listed now, in the one time base (ms since the test started), not relative to the phase.
      for (const fault of plan) options.log(`${' '.repeat(12)}planned ${describePlanned(fault, phaseStart)}`);
      const lag = await nemesis.run(plan, phaseStart, Math.max(MIN_MAX_LAG_MS, options.durationMs), abort.signal);
      await sleep(phaseStart + options.durationMs + lag - clock.call());
      if (lag > 0) options.log(stamped(clock.call(), `the faults phase ran ${lag} ms longer than planned (restarts and leader waits took real time; the plan was shifted, not cut)`));
      healTime = clock.call();
      for (const problem of await nemesis.healAll()) problems.push({ kind: 'heal', message: problem });
      options.log(stamped(healTime, 'heal: every partition healed, every node resumed and running')
        + (nemesis.skipped.length > 0 ? `; ${nemesis.skipped.length} planned faults skipped (their turn came too late)` : ''));
      await sleep(options.recoveryMs ?? 2_000);
      stopClients = true;
      const stopped = await withTimeout(Promise.all(running).then(() => true), TIMING.deadlineMs + 3_000, false);
      if (!stopped) for (const worker of workers) worker.abandon(clock.ret());
      const leader = await waitForLeader(procs);
      if (leader === null) {
        problems.push({ kind: 'no-leader', message: `no leader within ${LEADER_WAIT_MS / 1000} s after the heal` });
      } else {
        const firstProcess = Math.max(...workers.map((w) => w.nextProcess)) + 1;
        finalValues = await finalReads([...keys, ...logKeys], servers, options.clients + 1, firstProcess, clock, history);
        if (finalValues.size < keys.length + logKeys.length) {
          problems.push({ kind: 'final-read', message: `the final read of ${keys.length + logKeys.length - finalValues.size} keys got no answer after the heal` });
        }
        options.log(stamped(clock.call(), `final reads through ${leader}: ${finalValues.size} keys`));
      }
    }
  } finally {
    abort.abort();
    poller.stop();
    await procs.stopAll();
  }
  const endTime = clock.ret();
  for (const exit of procs.unexpectedExits) {
    problems.push({ kind: 'node-exited', message: `${exit.node} exited by itself (${exit.signal ?? `code ${exit.code}`}); see its log` });
  }
  for (const rejected of stats.rejected) problems.push({ kind: 'rejected', message: `a server refused a well-formed request: ${rejected}` });
  history.sort((a, b) => a.call - b.call || a.client - b.client);
  options.onHistory?.(history);
  // The lost-write check is quick: its answer is known before the (possibly long) linearizability check.
  const lostWrites = findLostWrites(history, finalValues ?? new Map());
  options.log(stamped(clock.call(), `acknowledged writes: ${lostWrites.verified} verified against the final values, ${lostWrites.lost.length} lost; ` +
    `checking ${history.length} operations (${stats.unknown} with an unknown outcome) for linearizability`));

  let check: CheckResult | null = null;
  let explanation: string[] = [];
  if (history.length > 0) {
    check = checkOperations(raftsimKvModel, history as never, { timeoutMs: options.checkTimeoutMs, now: () => performance.now() });
    if (check.result === 'not-linearizable') {
      explanation = formatExplanation(raftsimKvModel, history as never, check);
      problems.unshift({ kind: 'not-linearizable', message: `the history is not linearizable (${check.parts.filter((p) => p.result === 'not-linearizable').map((p) => p.label).join(', ')})` });
    }
  }
  for (const lost of lostWrites.lost) problems.push({ kind: 'lost-write', message: lost.message });
  if (check?.result === 'unknown') problems.push({ kind: 'check-timeout', message: `the linearizability check ran out of its ${options.checkTimeoutMs / 1000} s` });
  const failed = problems.some((p) => p.kind !== 'check-timeout');
  const verdict: Verdict = failed ? 'fail' : check?.result === 'unknown' ? 'unknown' : 'ok';
  // Keep the data directories of a failed run, to look at; the path goes into a log line.
  if (verdict === 'ok') rmSync(dataDir, { recursive: true, force: true });
  else options.log(`node data kept in ${dataDir}`);
  return {
    options, plan, skipped: nemesis.skipped, history, faults: nemesis.faults, roles: poller.changes, stats, check, explanation, finalValues, lostWrites, problems, verdict, healTime, faultsPhaseStart, endTime,
  };
}

async function waitForLeader(procs: NodeProcesses): Promise<string | null> {
  const deadline = performance.now() + LEADER_WAIT_MS;
  while (performance.now() < deadline) {
    const leader = await findLeader(procs.nodes);
    if (leader !== null) return leader;
    await sleep(100);
  }
  return null;
}

/**
 * One read of every key through the log (our gets are linearizable), recorded in the history like
 * any operation. Up to three tries per key; an unknown try is recorded as unknown, as always.
 */
async function finalReads(keys: readonly string[], servers: readonly Address[], clientId: number, firstProcess: number, clock: TestClock, history: JepsenOperation[]): Promise<Map<string, string | null>> {
  const client = new HttpKvClient({ servers, clientId, attemptTimeoutMs: TIMING.attemptTimeoutMs, deadlineMs: 10_000 });
  const values = new Map<string, string | null>();
  let process = firstProcess;
  let lastReturn = 0;
  for (const key of keys) {
    for (let attempt = 0; attempt < 3 && !values.has(key); attempt++) {
      const input: KvOperation = { f: 'get', key };
      // Never before the previous return (rounding; see Worker.one).
      const call = Math.max(clock.call(), lastReturn);
      const result = await client.call(input);
      const now = clock.ret();
      lastReturn = now;
      if (result.kind === 'ok') {
        const value = (result.output as { value: string | null }).value;
        values.set(key, value);
        history.push({ client: process, call, return: now, input, output: { value } });
      } else if (result.kind === 'unknown') {
        history.push({ client: process, call, return: null, input, output: null, gaveUp: now, reason: result.reason });
        process++;
      }
    }
  }
  return values;
}
