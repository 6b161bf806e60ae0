/**
 * The clients: closed loops over HTTP (runtime/HttpKvClient: leader hints, retries with the same
 * client id and seq, so a retry is applied at most once), each drawing a random mix of get, put,
 * append, delete and cas from its own seeded generator and recording every operation.
 *
 * How outcomes are recorded:
 * - an answer: `call` before sending, `return` when the answer came, the output;
 * - unknown (time-outs, 503/504 outcome-unknown, until the client gave up): `output: null` and
 *   `return: null`. The operation may still take effect after the client gave up (it can sit in a
 *   log until a later leader commits it), so it must be free to linearize at any point after its
 *   call, or nowhere at all; our checker treats exactly `return: null, output: null` that way. A
 *   `return` of the give-up time would force it to take effect before then, which is wrong. The
 *   give-up time is kept in `gaveUp`, for people. Like a crashed process in Jepsen, the history
 *   process then ends: the client goes on under a new process number (the HTTP client id stays,
 *   with the next seq), so that no process has two operations outstanding at once;
 * - certainly not applied (no server ever took it: refused connections, redirects, 503 no-leader):
 *   dropped. Such an operation has no effect and no output, and leaving it out of the history
 *   changes nothing that can be observed; the count is reported;
 * - refused (4xx): a bug in the client or the server; counted, and it fails the run.
 *
 * While a partition of the `clients: 'minority'` kind lasts, the odd-numbered clients send their
 * requests only to the nodes on the minority side (ClientRoutes): they cannot follow a leader
 * hint to the majority. Between two operations such a client swaps its HttpKvClient for one with
 * the same client id, going on with the next seq, so at-most-once still holds across the swap.
 */
import seedrandom from 'seedrandom';
import type { KvOperation } from '../kv/types.js';
import type { Address } from '../runtime/addresses.js';
import { HttpKvClient } from '../runtime/httpKvClient.js';
import { sleep, type TestClock } from './clock.js';
import type { JepsenOperation } from './types.js';

/** Keys every operation kind is used on. */
export function generalKeys(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `k${i}`);
}

/** Keys that only see appends and gets: every acknowledged append must be in the final value. */
export function appendKeys(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `a${i}`);
}

export interface ClientTiming {
  /** Per HTTP attempt (a little above the server's request time-out). */
  readonly attemptTimeoutMs: number;
  /** The client gives up on an operation after this long: its outcome is then unknown. */
  readonly deadlineMs: number;
  readonly thinkMsMax: number;
}

export interface WorkloadStats {
  ok: number;
  unknown: number;
  notApplied: number;
  rejected: string[];
}

/** Draws operations: unique values, and cas expecting what this client last saw. */
export class OperationGenerator {
  private readonly random: () => number;
  private counter = 0;
  private readonly lastSeen = new Map<string, string | null>();

  constructor(seed: number, private readonly worker: number, private readonly keys: readonly string[], private readonly logKeys: readonly string[]) {
    this.random = seedrandom.alea(`jepsen-client-${seed}-${worker}`);
  }

  next(): KvOperation {
    const all = [...this.keys, ...this.logKeys];
    const key = all[Math.floor(this.random() * all.length)]!;
    // Brackets make every value findable inside a concatenation without ambiguity.
    const value = `[${this.worker}.${++this.counter}]`;
    const r = this.random();
    if (this.logKeys.includes(key)) return r < 0.75 ? { f: 'append', key, value } : { f: 'get', key };
    if (r < 0.3) return { f: 'get', key };
    if (r < 0.5) return { f: 'put', key, value };
    if (r < 0.7) return { f: 'append', key, value };
    if (r < 0.8) return { f: 'delete', key };
    return { f: 'cas', key, expected: this.lastSeen.get(key) ?? null, value };
  }

  /** What this client learnt of a key, for its next cas. */
  saw(op: KvOperation, output: { value?: string | null; ok?: boolean }): void {
    if (op.f === 'get') this.lastSeen.set(op.key, output.value ?? null);
    else if (op.f === 'put' || (op.f === 'cas' && output.ok === true)) this.lastSeen.set(op.key, op.value);
    else if (op.f === 'delete') this.lastSeen.set(op.key, null);
    else if (op.f === 'append') this.lastSeen.delete(op.key);
  }
}

interface InFlight {
  readonly process: number;
  readonly call: number;
  readonly input: KvOperation;
}

/** Which servers each client may talk to right now (see the top of this file). */
export class ClientRoutes {
  private minority: readonly Address[] | null = null;

  constructor(readonly all: readonly Address[]) {}

  /** null: every client talks to every node again. */
  confine(minority: readonly Address[] | null): void {
    this.minority = minority === null || minority.length === 0 ? null : [...minority];
  }

  serversFor(clientIndex: number): readonly Address[] {
    return this.minority !== null && clientIndex % 2 === 1 ? this.minority : this.all;
  }
}

/** One closed-loop client. */
export class Worker {
  private process: number;
  private inFlight: InFlight | null = null;
  /** Set by `abandon`: an answer arriving later is not recorded twice. */
  private abandoned = false;
  private client: HttpKvClient;
  private servers: readonly Address[];
  /** The wire seq of the next operation: HttpKvClient uses one seq per call, whatever its outcome. */
  private nextSeq = 1;
  /** Sessions this client started again after the cluster said it had none (see `renewSession`). */
  private renewals = 0;
  /** When this client's last operation was recorded as returning (see `one`). */
  private lastReturn = 0;
  private readonly generator: OperationGenerator;

  constructor(
    private readonly index: number,
    private readonly stride: number,
    private readonly routes: ClientRoutes,
    seed: number,
    keys: readonly string[],
    logKeys: readonly string[],
    private readonly timing: ClientTiming,
    private readonly clock: TestClock,
    private readonly history: JepsenOperation[],
    private readonly stats: WorkloadStats,
  ) {
    this.process = index;
    this.servers = routes.serversFor(index);
    this.client = this.newClient();
    this.generator = new OperationGenerator(seed, index, keys, logKeys);
  }

  /** Runs until `stop` says so; the operation under way then finishes (bounded by the deadline). */
  async run(stop: () => boolean): Promise<void> {
    const random = seedrandom.alea(`jepsen-think-${this.index}`);
    while (!stop() && !this.abandoned) {
      await this.one(this.generator.next());
      await sleep(random() * this.timing.thinkMsMax);
    }
  }

  private newClient(): HttpKvClient {
    // Every run starts from empty data directories, so small ids cannot meet an old session.
    return new HttpKvClient({
      servers: this.servers, clientId: this.clientId, firstSeq: this.nextSeq, attemptTimeoutMs: this.timing.attemptTimeoutMs, deadlineMs: this.timing.deadlineMs,
    });
  }

  /** Unique across the run's clients (at most 64, so ids step by 1000 per renewal). */
  private get clientId(): number {
    return this.index + 1000 * this.renewals;
  }

  /**
   * The cluster has no session for this client: its seq 1 never reached the log (its outcome was
   * unknown, and it was lost). Sessions last an hour, far longer than a run, so the refused request
   * was not applied; start a new session (a new id, seq 1) as the 409 asks.
   */
  private renewSession(): void {
    this.renewals++;
    this.nextSeq = 1;
    this.client = this.newClient();
  }

  private async one(input: KvOperation): Promise<void> {
    const servers = this.routes.serversFor(this.index);
    if (servers !== this.servers) {
      this.servers = servers;
      this.client = this.newClient();
    }
    // A call time rounds down and a return up, so within one ms the next call could be recorded
    // before the last return, as if the process had two operations at once; it really came after
    // it, and an equal time still counts as concurrent, so starting at that return is exact enough.
    const call = Math.max(this.clock.call(), this.lastReturn);
    this.inFlight = { process: this.process, call, input };
    this.nextSeq++;
    const result = await this.client.call(input);
    const now = this.clock.ret();
    this.lastReturn = now;
    if (this.abandoned) return;
    this.inFlight = null;
    switch (result.kind) {
      case 'ok':
        if (result.seq !== this.nextSeq - 1) throw new Error(`client ${this.index}: seq ${result.seq}, expected ${this.nextSeq - 1}`);
        this.stats.ok++;
        this.generator.saw(input, result.output as { value?: string | null; ok?: boolean });
        this.history.push({ client: this.process, call, return: now, input, output: result.output });
        return;
      case 'unknown':
        this.stats.unknown++;
        this.history.push({ client: this.process, call, return: null, input, output: null, gaveUp: now, reason: result.reason });
        this.process += this.stride;
        return;
      case 'failed':
        this.stats.notApplied++;
        return;
      case 'rejected':
        if (result.error === 'session-expired') {
          this.stats.notApplied++;
          this.renewSession();
          return;
        }
        this.stats.rejected.push(`${input.f} ${input.key}: HTTP ${result.status} ${result.error}: ${result.message}`);
        return;
    }
  }

  /** An operation still under way when we stopped waiting: its outcome is unknown. */
  abandon(now: number): void {
    this.abandoned = true;
    if (this.inFlight === null) return;
    const { process, call, input } = this.inFlight;
    this.history.push({ client: process, call, return: null, input, output: null, gaveUp: now, reason: 'still under way when the test stopped waiting' });
    this.stats.unknown++;
    this.inFlight = null;
  }

  get nextProcess(): number {
    return this.process;
  }
}
