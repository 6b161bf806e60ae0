/**
 * The issue-8 faults on the timeline, read from the trace's own records for them (not from fault
 * descriptions): pauses as down intervals (cause "pause"), slow disks and stopped clocks as bands
 * on the node's lane, clock jumps and sprung traps as marks; delayed and replayed messages and
 * clients cut off from nodes on the network lane. Without a trace, what the fault plan tells.
 */
import type { FaultAction } from '../sim/faults.js';
import type { TraceRecord } from '../sim/trace.js';
import type { DownInterval, NetworkEvent, NodeEvent, NodeMark } from './types.js';

const name = (node: unknown): string => `n${String(node)}`;

/** Pauses, slow disks, clock jumps and traps, per node. */
export function faultNodeEventsFromTrace(trace: readonly TraceRecord[]): NodeEvent[] {
  const events: NodeEvent[] = [];
  const paused = new Map<string, { start: number; index: number }>();
  const close = (node: string, t: number, detail: string) => {
    const open = paused.get(node);
    if (!open) return;
    events[open.index] = pauseInterval(node, open.start, t, detail);
    paused.delete(node);
  };
  let healAt = Infinity;
  for (const r of trace) {
    const t = Number(r.t);
    const node = name(r.node);
    if (r.ev === 'pause') {
      const open = paused.get(node);
      const detail = `stopped until ${String(r.untilMs)}`;
      if (open) events[open.index] = pauseInterval(node, open.start, null, detail);
      else paused.set(node, { start: t, index: events.push(pauseInterval(node, t, null, detail)) - 1 });
    } else if (r.ev === 'resume') {
      const refused = Number(r.refused) > 0 ? `; ${String(r.refused)} refused (inbox full)` : '';
      close(node, t, `${String(r.inbox)} messages, requests and fsync completions waited for it${refused}`);
    } else if (r.ev === 'crash') {
      close(node, t, 'the pause ended in a crash');
    } else if (r.ev === 'slow-disk') {
      events.push(mark(node, 'slow-disk', t, Number(r.untilMs), `disk ${String(r.factor)}× slower`));
    } else if (r.ev === 'clock-jump') {
      events.push(clockJump(node, t, Number(r.ms), Number(r.ticks)));
    } else if (r.ev === 'trap') {
      events.push(mark(node, 'trap', t, t, String(r.what)));
    } else if (r.ev === 'heal-all') {
      healAt = t;
    }
  }
  // The final heal ends slow disks and stopped clocks.
  return events.map((e) => (e.kind === 'mark' && e.end !== null && e.end > healAt ? { ...e, end: healAt } : e));
}

/** Delayed messages (from send to arrival), replayed ones, and clients reaching only some nodes. */
export function messageEventsFromTrace(trace: readonly TraceRecord[]): NetworkEvent[] {
  const events: NetworkEvent[] = [];
  let clientsCut: number | null = null;
  let healAt = Infinity;
  for (const r of trace) {
    const t = Number(r.t);
    if (r.ev === 'delay') {
      const link = [name(r.node), name(r.to)];
      events.push({ kind: 'delay', description: `delayed ${shortMessage(r.msg)} +${String(r.forMs)} ms`, start: t, end: Number(r.dueMs), nodes: link });
    } else if (r.ev === 'replay') {
      events.push({ kind: 'replay', description: `replay ${shortMessage(r.msg)}`, start: t, end: t, nodes: [name(r.node), name(r.to)] });
    } else if (r.ev === 'clients-reach') {
      if (clientsCut !== null) events[clientsCut] = { ...events[clientsCut]!, end: t };
      clientsCut = null;
      if (r.nodes !== 'all') clientsCut = events.push(clientsReach(String(r.nodes).split(',').map(name), t)) - 1;
    } else if (r.ev === 'heal-all') {
      healAt = t;
    }
  }
  // The final heal hands delayed messages over at once.
  return events.map((e) => (e.kind === 'delay' && e.end !== null && e.end > healAt ? { ...e, end: healAt } : e));
}

/** Without a trace: pauses of named nodes, slow disks, clock jumps and client cuts, as planned. */
export function faultEventsFromPlan(faults: readonly FaultAction[], healAt: number, endMs: number): { nodes: NodeEvent[]; network: NetworkEvent[] } {
  const nodes: NodeEvent[] = [];
  const network: NetworkEvent[] = [];
  const until = (t: number) => Math.min(t, healAt);
  let clientsCut: number | null = null;
  const endCut = (t: number) => {
    if (clientsCut !== null) network[clientsCut] = { ...network[clientsCut]!, end: t };
    clientsCut = null;
  };
  for (const f of faults) {
    if (f.atMs > Math.min(endMs, healAt)) continue;
    if (f.kind === 'pause' && f.node !== 'leader') nodes.push(pauseInterval(name(f.node), f.atMs, until(f.atMs + f.forMs), 'as planned'));
    else if (f.kind === 'slow-disk') nodes.push(mark(name(f.node), 'slow-disk', f.atMs, until(f.atMs + f.forMs), `disk ${f.factor}× slower`));
    else if (f.kind === 'clock-jump') nodes.push({ ...clockJump(name(f.node), f.atMs, f.ms, null), ...(f.ms < 0 ? { end: until(f.atMs - f.ms) } : {}) });
    else if (f.kind === 'heal') endCut(f.atMs);
    else if (f.kind === 'clients-reach') {
      endCut(f.atMs);
      clientsCut = network.push(clientsReach(f.nodes.map(name), f.atMs)) - 1;
    }
  }
  if (healAt <= endMs) endCut(healAt);
  return { nodes, network };
}

function pauseInterval(node: string, start: number, end: number | null, detail: string): DownInterval {
  return { kind: 'down', node, start, end, cause: 'pause', detail };
}

function mark(node: string, what: string, start: number, end: number | null, detail: string): NodeMark {
  return { kind: 'mark', node, start, end, what, detail };
}

function clockJump(node: string, t: number, ms: number, ticks: number | null): NodeMark {
  if (ms < 0) return mark(node, 'clock-stopped', t, t - ms, `clock jumped ${-ms} ms back: no ticks until ${t - ms}`);
  return mark(node, 'clock-jump', t, t, `clock jumped ${ms} ms forward${ticks === null ? '' : `: ${ticks} ticks at once`}`);
}

function clientsReach(nodes: string[], t: number): NetworkEvent {
  return { kind: 'clients-reach', description: `clients reach ${nodes.join(',')} only`, start: t, end: null, nodes };
}

/** "n1->n2 AppendEntries t3" of a described message. */
function shortMessage(msg: unknown): string {
  return String(msg).split(' ').slice(0, 3).join(' ');
}
