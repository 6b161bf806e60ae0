/**
 * `replay --verbose`: the event trace as a story, one event a line, colored by node and kind,
 * filtered by node, client, key, event kind and virtual time window.
 */
import chalk from 'chalk';
import type { ChalkInstance } from 'chalk';
import { clientOfSession } from '../sim/clientLinks.js';
import { nodeName } from '../sim/faults.js';
import type { TraceRecord } from '../sim/trace.js';

export interface TraceFilter {
  readonly node?: number;
  /** A client's own events (call, return, time-out, give-up…) and the entries of its commands being applied. */
  readonly client?: number;
  /** The events of operations on this key: their calls, answers, time-outs and applies. */
  readonly key?: string;
  /** Event kinds (`ev`) to keep, e.g. call, return, timeout. */
  readonly kinds?: readonly string[];
  readonly fromMs?: number;
  readonly toMs?: number;
}

const NODE_COLORS: ChalkInstance[] = [chalk.cyan, chalk.magenta, chalk.yellow, chalk.blue, chalk.green, chalk.redBright, chalk.cyanBright, chalk.magentaBright, chalk.yellowBright];

const KIND_COLORS: Record<string, ChalkInstance> = {
  crash: chalk.red.bold, restart: chalk.green.bold, fault: chalk.red, 'heal-all': chalk.green,
  drop: chalk.gray, duplicate: chalk.gray, role: chalk.bold, call: chalk.white, return: chalk.white,
  timeout: chalk.yellow, apply: chalk.dim, fsync: chalk.dim, send: chalk.reset, deliver: chalk.reset,
};

/** Whether a record concerns the node: it happened on it, or a message it sent or received. */
function concerns(record: TraceRecord, node: number): boolean {
  if (record.node === node) return true;
  const msg = record.msg;
  return typeof msg === 'string' && (msg.startsWith(`${nodeName(node)}->`) || msg.includes(`->${nodeName(node)} `));
}

/** A trace record as written to a trace file (`--trace`, trace.jsonl): its node as a name, `"n2"`. */
export function traceRecordJson(record: TraceRecord): TraceRecord {
  return typeof record.node === 'number' ? { ...record, node: nodeName(record.node) } : record;
}

export function formatTrace(records: readonly TraceRecord[], filter: TraceFilter): string[] {
  const lines: string[] = [];
  const operations = new OperationKeys();
  for (const record of records) {
    const operation = operations.of(record);
    const t = record.t as number;
    if (filter.fromMs !== undefined && t < filter.fromMs) continue;
    if (filter.toMs !== undefined && t > filter.toMs) continue;
    if (filter.kinds !== undefined && !filter.kinds.includes(String(record.ev))) continue;
    // Faults and the heal shape everything, so they stay in a story narrowed to a node, client or key.
    const global = record.ev === 'fault' || record.ev === 'heal-all';
    if (filter.node !== undefined && !global && !concerns(record, filter.node)) continue;
    if (filter.client !== undefined && !global && operation?.client !== filter.client) continue;
    if (filter.key !== undefined && !global && operation?.key !== filter.key) continue;
    lines.push(formatRecord(record));
  }
  return lines;
}

/** The kinds of event (`ev`) in a trace, in order of first appearance: what --kind can name. */
export function traceKinds(records: readonly TraceRecord[]): string[] {
  return [...new Set(records.map((record) => String(record.ev)))];
}

/**
 * Which client operation a record belongs to. Calls and applies name the key (`get k1`); answers,
 * time-outs and give-ups carry only the client and seq, so the key comes from the call before.
 */
class OperationKeys {
  private readonly keys = new Map<string, string>();

  of(record: TraceRecord): { client: number; key: string | undefined } | null {
    if (record.ev === 'apply') {
      const match = /^client (\d+) seq (\d+) \S+ (\S+)/.exec(String(record.op));
      return match ? { client: clientOfSession(Number(match[1])), key: match[3] } : null;
    }
    if (typeof record.client !== 'number') return null;
    const id = `${record.client}:${String(record.seq)}`;
    if (record.ev === 'call') this.keys.set(id, String(record.op).split(' ')[1] ?? '');
    return { client: record.client, key: this.keys.get(id) };
  }
}

function formatRecord(record: TraceRecord): string {
  const ev = String(record.ev);
  const time = `${String(record.t).padStart(7)} ms`;
  const who = typeof record.node === 'number' ? nodeName(record.node) : typeof record.client === 'number' ? `c${record.client}` : '';
  const color = typeof record.node === 'number' ? NODE_COLORS[(record.node - 1) % NODE_COLORS.length]! : chalk.white;
  const kind = (KIND_COLORS[ev] ?? chalk.reset)(ev.padEnd(9));
  return `${chalk.dim(time)}  ${color(who.padEnd(4))} ${kind} ${describe(record)}`;
}

function describe(record: TraceRecord): string {
  switch (record.ev) {
    case 'send': case 'deliver': case 'drop': case 'duplicate':
      return String(record.msg);
    case 'role':
      return `becomes ${record.role} in term ${record.term}`;
    case 'fsync':
      return `write #${record.id} durable`;
    case 'apply':
      return `applies ${record.index}/${record.term} ${record.op}`;
    case 'crash':
      return `crashes (${record.lostWrites} unsynced writes lost)`;
    case 'restart':
      return 'restarts from its disk';
    case 'fault':
      return String(record.what);
    case 'heal-all':
      return 'faults stop: the network heals, crashed nodes restart';
    case 'call':
      return `client ${record.client} calls seq ${record.seq} at ${nodeName(record.node as number)}: ${record.op}`;
    case 'return':
      return `client ${record.client} seq ${record.seq} returns ${record.output} (from ${nodeName(record.node as number)})`;
    case 'timeout':
      return typeof record.seq === 'number'
        ? `client ${record.client} seq ${record.seq} times out waiting for ${nodeName(record.node as number)} and resends it`
        : `client ${record.client} times out and retries`;
    case 'give-up':
      return `client ${record.client} gives up seq ${record.seq}: its outcome is unknown`;
    case 'commit':
      return `commitIndex ${record.index}`;
    case 'truncate':
      return `truncates its log: ${record.count} entries from index ${record.from}`;
    case 'install-snapshot':
      return `installs its leader's snapshot through ${record.index}/${record.term}: keeps ${record.keptEntries} entries after it, its log reached ${record.previousLastIndex}`;
    case 'restore-snapshot':
      return `restores its own snapshot through ${record.index}/${record.term}`;
    default:
      return JSON.stringify(traceRecordJson(record));
  }
}
