/**
 * Records each node's role and term as /status reports them, polled every ~100 ms, for the
 * report's node lanes. A node that does not answer (killed or paused; the admin partition cuts only
 * peer traffic, not ours) records nothing: the fault log says why it was silent.
 */
import { fetchStatus } from './nodeApi.js';
import type { NodeHandle } from './processes.js';
import type { TestClock } from './clock.js';
import type { RoleRecord } from './types.js';

export class RolePoller {
  readonly changes: RoleRecord[] = [];
  private readonly last = new Map<string, string>();
  private readonly busy = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly nodes: readonly NodeHandle[], private readonly clock: TestClock, private readonly intervalMs = 100) {}

  start(): void {
    this.timer = setInterval(() => { for (const node of this.nodes) void this.poll(node); }, this.intervalMs);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** A node that was down comes back as whatever it says next, even if that equals its old role. */
  forget(node: string): void {
    this.last.delete(node);
  }

  private async poll(node: NodeHandle): Promise<void> {
    // One request per node at a time: a paused node must not pile them up.
    if (this.busy.has(node.name) || node.paused) return;
    this.busy.add(node.name);
    try {
      const status = await fetchStatus(node.address, 300);
      if (status === null || this.timer === null) return;
      const key = `${status.role}/${status.term}`;
      if (this.last.get(node.name) === key) return;
      this.last.set(node.name, key);
      this.changes.push({ node: node.name, t: this.clock.ret(), role: status.role, term: status.term });
    } finally {
      this.busy.delete(node.name);
    }
  }
}
