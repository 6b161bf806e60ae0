/**
 * Process pauses (SIGSTOP, a long GC, a VM migrated): the node runs nothing for a while. Its
 * ticks stop; messages, client requests and fsync completions that reach it wait in its inbox
 * (the kernel's socket buffers and its view of the disk), and are handed to it in order when it
 * resumes, followed by one late tick (its timers fire once, late, as a woken process's do). The
 * disk keeps completing writes during the pause: they are durable, the node just does not know.
 * A crash ends the pause and loses the inbox; the final heal resumes every paused node.
 */
import type { KvCommand, KvRequest } from '../kv/types.js';
import type { Message } from '../raft/messages.js';
import { TraceCode } from './events.js';
import type { NodeHost } from './host.js';
import type { World } from './world.js';

/**
 * A paused node's inbox holds at most this many messages and client requests, as a full socket
 * buffer would; past it they are dropped (and the trace says so). Fsync completions are always
 * kept: there are at most as many as writes pending at the pause (the node issues none while
 * stopped), which is asserted.
 */
export const PAUSE_INBOX_MAX = 10_000;

export type InboxItem =
  | { readonly kind: 'deliver'; readonly message: Message<KvCommand> }
  | { readonly kind: 'request'; readonly client: number; readonly request: KvRequest }
  | { readonly kind: 'fsync'; readonly id: number };

export interface PauseState {
  /** When the pause ends; a later pause may only extend it. */
  until: number;
  readonly inbox: InboxItem[];
  /** Messages and requests in the inbox (bounded by PAUSE_INBOX_MAX). */
  queued: number;
  /** Fsync completions in the inbox, and their bound: the writes pending at the pause. */
  fsyncs: number;
  readonly maxFsyncs: number;
  /** Messages and requests dropped because the inbox was full. */
  refused: number;
  /** A tick came during the pause, so the tick chain stopped; it restarts at the resume. */
  tickStalled: boolean;
}

const ITEM_CODE = { deliver: 1, request: 2, fsync: 3 } as const;

/** Stops a live node for `forMs` (a paused node's pause is extended, never shortened). */
export function pauseNode(world: World, host: NodeHost, forMs: number): void {
  if (!host.alive) {
    world.trace.record({ t: world.now, ev: 'pause-skipped', node: host.id, why: 'down' });
    return;
  }
  const until = world.now + forMs;
  if (host.paused && until <= host.paused.until) return;
  if (host.paused) host.paused.until = until;
  else host.paused = { until, inbox: [], queued: 0, fsyncs: 0, maxFsyncs: host.pendingWrites, refused: 0, tickStalled: false };
  world.trace.note(() => ({ t: world.now, ev: 'pause', node: host.id, untilMs: until }),
    TraceCode.pause, world.now, host.id, forMs);
  world.schedule({ kind: 'resume', node: host.id, incarnation: host.incarnation, until }, forMs);
}

/** Keeps something that reached a paused node; refuses messages and requests past the bound. */
export function keepForPaused(world: World, host: NodeHost, item: InboxItem): void {
  const state = host.paused!;
  if (item.kind === 'fsync') {
    state.fsyncs++;
    if (state.fsyncs > state.maxFsyncs) throw new Error(`pause: n${host.id} saw more fsyncs than writes pending at its pause`);
  } else if (state.queued >= PAUSE_INBOX_MAX) {
    world.trace.mix(TraceCode.inboxFull, world.now, host.id, ITEM_CODE[item.kind]);
    // One record per pause: the resume record counts the rest.
    if (state.refused === 0) world.trace.record({ t: world.now, ev: 'inbox-full', node: host.id, limit: PAUSE_INBOX_MAX });
    state.refused++;
    return;
  } else {
    state.queued++;
  }
  world.trace.mix(TraceCode.queued, world.now, host.id, ITEM_CODE[item.kind]);
  state.inbox.push(item);
}

/** The resume event: wakes the node unless a crash or a longer pause overtook this one. */
export function onResume(world: World, node: number, incarnation: number, until: number): void {
  const host = world.host(node);
  if (!host.alive || host.incarnation !== incarnation || host.paused?.until !== until) return;
  wake(world, host);
}

/** The final heal: every paused node resumes now. */
export function resumeAll(world: World): void {
  for (const host of world.hosts) if (host.alive && host.paused) wake(world, host);
}

function wake(world: World, host: NodeHost): void {
  const state = host.paused!;
  host.paused = null;
  world.trace.note(() => ({ t: world.now, ev: 'resume', node: host.id, inbox: state.inbox.length, refused: state.refused }),
    TraceCode.resume, world.now, host.id, state.inbox.length, state.refused);
  for (const item of state.inbox) {
    // A trap may crash the node while it catches up: the rest of the inbox dies with it.
    if (!host.alive) return;
    if (item.kind === 'deliver') world.deliverNow(host, item.message);
    else if (item.kind === 'request') world.clientLinks.serve(host, item.client, item.request);
    else world.driver(host).persisted(item.id);
  }
  if (host.alive && state.tickStalled) world.resumeTicks(host);
}
