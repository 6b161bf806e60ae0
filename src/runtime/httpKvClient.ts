/**
 * A KV client over the HTTP API, for `raftsim client` and tests. The retry logic is the core's
 * KvClient (the one the simulator's clients use): follow leader hints, round-robin on silence,
 * and resend the same seq every time so that a retry is applied at most once. This file only
 * turns HTTP answers into KvResponses and decides when to give up.
 */
import { randomInt } from 'node:crypto';
import { KvClient } from '../kv/client.js';
import type { KvOperation, KvOutput, KvRequest, KvResponse } from '../kv/types.js';
import { formatAddress, httpUrl, type Address } from './addresses.js';

export interface HttpKvClientOptions {
  readonly servers: readonly Address[];
  /** Below 2^48 (the server's one-shot ids live above); random when absent. */
  readonly clientId?: number;
  /** The seq of the first operation (default 1); a script retrying an unknown outcome passes it. */
  readonly firstSeq?: number;
  /** Per HTTP attempt; a little above the server's own request timeout. */
  readonly attemptTimeoutMs?: number;
  /** Give up on an operation after this long. */
  readonly deadlineMs?: number;
}

export type ClientResult =
  | { readonly kind: 'ok'; readonly output: KvOutput; readonly server: string; readonly clientId: number; readonly seq: number; readonly attempts: number }
  /** It may or may not have been applied; retrying with the same clientId and seq is safe. */
  | { readonly kind: 'unknown'; readonly reason: string; readonly clientId: number; readonly seq: number; readonly attempts: number }
  /** Certainly not applied: no server accepted it. */
  | { readonly kind: 'failed'; readonly reason: string; readonly attempts: number }
  /** A server refused the request itself (4xx): retrying the same would not help. */
  | { readonly kind: 'rejected'; readonly status: number; readonly error: string; readonly message: string };

/** What one HTTP attempt came to. */
type Attempt =
  | { readonly kind: 'ok'; readonly body: Record<string, unknown> }
  | { readonly kind: 'redirect'; readonly leader: string | null }
  | { readonly kind: 'no-leader' }
  /** 503 overloaded: the node did not take the request (not applied); try again after a pause. */
  | { readonly kind: 'overloaded' }
  | { readonly kind: 'unknown'; readonly why: string }
  | { readonly kind: 'unreachable'; readonly why: string }
  | { readonly kind: 'rejected'; readonly status: number; readonly error: string; readonly message: string };

export class HttpKvClient {
  readonly clientId: number;
  private readonly servers: readonly Address[];
  private kv: KvClient;
  /** Wire seq = KvClient's seq + seqBase (the core client always counts from 1). */
  private seqBase: number;
  private readonly attemptTimeoutMs: number;
  private readonly deadlineMs: number;

  constructor(options: HttpKvClientOptions) {
    if (options.servers.length === 0) throw new Error('a client needs at least one server');
    this.servers = [...options.servers];
    this.clientId = options.clientId ?? randomInt(1, 2 ** 47);
    this.seqBase = (options.firstSeq ?? 1) - 1;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 7_000;
    this.deadlineMs = options.deadlineMs ?? 20_000;
    this.kv = this.freshCore();
  }

  async call(op: KvOperation): Promise<ClientResult> {
    const deadline = Date.now() + this.deadlineMs;
    let send = this.kv.begin(op);
    const seq = send.request.seq + this.seqBase;
    let attempts = 0;
    let maybeApplied = false;
    let lastWhy = 'no server answered';
    let quiet = 0; // attempts in a row that found no leader
    while (Date.now() < deadline) {
      attempts++;
      const attempt = await this.attempt(send.to, send.request, seq, deadline);
      let response: KvResponse | null = null;
      const base = { clientId: this.clientId, seq: send.request.seq };
      switch (attempt.kind) {
        case 'ok': {
          this.kv.onResponse(send.to, { ...base, status: 'ok', output: outputOf(op, attempt.body) });
          return { kind: 'ok', output: outputOf(op, attempt.body), server: formatAddress(this.servers[send.to - 1]!), clientId: this.clientId, seq, attempts };
        }
        case 'rejected':
          this.abandon(seq);
          return { kind: 'rejected', status: attempt.status, error: attempt.error, message: attempt.message };
        case 'redirect':
          response = { ...base, status: 'not-leader', leaderHint: this.serverIdOf(attempt.leader) };
          lastWhy = 'redirected';
          break;
        case 'no-leader':
          response = { ...base, status: 'not-leader', leaderHint: null };
          lastWhy = 'no leader';
          break;
        case 'overloaded':
          // Not applied: the outcome stays known; the core client moves on as after a time-out.
          response = { ...base, status: 'overloaded' };
          lastWhy = 'overloaded';
          break;
        case 'unknown':
          maybeApplied = true;
          lastWhy = attempt.why;
          response = { ...base, status: 'retry' };
          break;
        case 'unreachable':
          lastWhy = attempt.why;
          break;
      }
      const step = response === null ? null : this.kv.onResponse(send.to, response);
      if (step !== null && step.kind === 'send') {
        send = step;
      } else {
        send = this.kv.onTimeout();
      }
      const knowsLeader = attempt.kind === 'redirect' && this.kv.knownLeader !== null;
      quiet = knowsLeader ? 0 : quiet + 1;
      // Back off once every server has been tried without finding a leader (an election is on).
      if (quiet >= this.servers.length) await sleep(Math.min(50 * 2 ** Math.min(quiet - this.servers.length, 4), Math.max(0, deadline - Date.now())));
    }
    this.abandon(seq);
    return maybeApplied
      ? { kind: 'unknown', reason: lastWhy, clientId: this.clientId, seq, attempts }
      : { kind: 'failed', reason: lastWhy, attempts };
  }

  private async attempt(to: number, request: KvRequest, seq: number, deadline: number): Promise<Attempt> {
    const address = this.servers[to - 1]!;
    const { method, path, body } = httpShape(request.op);
    const timeout = Math.max(1, Math.min(this.attemptTimeoutMs, deadline - Date.now()));
    let res: Response;
    try {
      res = await fetch(httpUrl(address, path), {
        method, redirect: 'manual', signal: AbortSignal.timeout(timeout),
        headers: { 'X-Client-Id': String(this.clientId), 'X-Seq': String(seq), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        ...(body === undefined ? {} : { body }),
      });
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      // Refused: the request never left; anything else (reset, time-out) may have reached it.
      if (code === 'ECONNREFUSED') return { kind: 'unreachable', why: `${formatAddress(address)} refused the connection` };
      return { kind: 'unknown', why: `${formatAddress(address)}: ${(error as Error).name === 'TimeoutError' ? 'no answer in time' : (code ?? (error as Error).message)}` };
    }
    const json = await res.json().catch(() => ({})) as Record<string, unknown>;
    if (res.status === 200) return { kind: 'ok', body: json };
    if (res.status === 307) return { kind: 'redirect', leader: res.headers.get('location') };
    if (res.status === 503 && json.error === 'no-leader') return { kind: 'no-leader' };
    if (res.status === 503 && json.error === 'overloaded' && json.outcome === 'not-applied') return { kind: 'overloaded' };
    if (res.status === 503 || res.status === 504) return { kind: 'unknown', why: String(json.message ?? `HTTP ${res.status}`) };
    if (res.status >= 400 && res.status < 500) {
      return { kind: 'rejected', status: res.status, error: String(json.error ?? 'rejected'), message: String(json.message ?? `HTTP ${res.status}`) };
    }
    return { kind: 'unknown', why: `HTTP ${res.status} from ${formatAddress(address)}` };
  }

  /** The core client's id (1-based position) for the server a redirect names, or null. */
  private serverIdOf(location: string | null): number | null {
    if (location === null) return null;
    try {
      const url = new URL(location);
      const position = this.servers.findIndex((s) => s.port === Number(url.port) && (url.hostname === s.host || url.hostname === 'localhost'));
      return position < 0 ? null : position + 1;
    } catch {
      return null;
    }
  }

  /** Gives up on the outstanding operation; the next one takes the next seq. */
  private abandon(seq: number): void {
    this.seqBase = seq;
    this.kv = this.freshCore();
  }

  private freshCore(): KvClient {
    return new KvClient({ clientId: this.clientId, servers: this.servers.map((_, i) => i + 1) });
  }
}

function httpShape(op: KvOperation): { method: string; path: string; body?: string } {
  const key = `/kv/${encodeURIComponent(op.key)}`;
  switch (op.f) {
    case 'get': return { method: 'GET', path: key };
    case 'delete': return { method: 'DELETE', path: key };
    case 'put': return { method: 'PUT', path: key, body: JSON.stringify({ value: op.value }) };
    case 'append': return { method: 'POST', path: `${key}/append`, body: JSON.stringify({ value: op.value }) };
    case 'cas': return { method: 'POST', path: `${key}/cas`, body: JSON.stringify({ expected: op.expected, value: op.value }) };
  }
}

function outputOf(op: KvOperation, body: Record<string, unknown>): KvOutput {
  if (op.f === 'get') return { value: typeof body.value === 'string' ? body.value : null };
  if (op.f === 'cas') return { ok: body.ok === true };
  return {};
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
