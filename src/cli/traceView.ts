/**
 * `replay --verbose`: the event trace as a story, one event a line, colored by node and kind,
 * filtered by node and virtual time window.
 */
import chalk from 'chalk';
import type { ChalkInstance } from 'chalk';
import { nodeName } from '../sim/faults.js';
import type { TraceRecord } from '../sim/trace.js';

export interface TraceFilter {
  readonly node?: number;
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
  for (const record of records) {
    const t = record.t as number;
    if (filter.fromMs !== undefined && t < filter.fromMs) continue;
    if (filter.toMs !== undefined && t > filter.toMs) continue;
    const global = record.ev === 'fault' || record.ev === 'heal-all';
    if (filter.node !== undefined && !global && !concerns(record, filter.node)) continue;
    lines.push(formatRecord(record));
  }
  return lines;
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
      return `client ${record.client} times out and retries`;
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
