/**
 * Polls GET /status of every node and reports a one-line summary whenever a node's role, term or
 * leader changes (or it stops or starts answering). Used by `raftsim cluster`.
 */
import { formatAddress, httpUrl, type Address } from './addresses.js';

export interface PolledNode {
  readonly name: string;
  readonly address: Address;
}

export interface NodeSummary {
  readonly name: string;
  readonly up: boolean;
  readonly role?: string;
  readonly term?: number;
  readonly leader?: string | null;
  readonly commitIndex?: number;
}

export class StatusPoller {
  private readonly last = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private polling = false;

  constructor(
    private readonly nodes: readonly PolledNode[],
    private readonly onChange: (summary: NodeSummary) => void,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.pollOnce(), this.intervalMs);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  async pollOnce(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const summaries = await Promise.all(this.nodes.map((node) => fetchSummary(node, this.intervalMs * 2)));
      for (const summary of summaries) {
        const key = summary.up ? `${summary.role}/${summary.term}/${summary.leader}` : 'down';
        if (this.last.get(summary.name) === key) continue;
        // A node that was never up is still starting; do not report it as down.
        if (!summary.up && !this.last.has(summary.name)) continue;
        this.last.set(summary.name, key);
        if (this.timer !== null) this.onChange(summary);
      }
    } finally {
      this.polling = false;
    }
  }
}

async function fetchSummary(node: PolledNode, timeoutMs: number): Promise<NodeSummary> {
  try {
    const res = await fetch(httpUrl(node.address, '/status'), { signal: AbortSignal.timeout(timeoutMs) });
    const body = await res.json() as { role: string; term: number; leader: string | null; commitIndex: number };
    return { name: node.name, up: true, role: body.role, term: body.term, leader: body.leader, commitIndex: body.commitIndex };
  } catch {
    return { name: node.name, up: false };
  }
}

export function describeSummary(summary: NodeSummary, address: Address): string {
  if (!summary.up) return `${summary.name} ${formatAddress(address)} not answering`;
  return `${summary.name} ${formatAddress(address)} ${summary.role} term ${summary.term} leader ${summary.leader ?? '-'} commit ${summary.commitIndex}`;
}
