/**
 * What each node should drop right now, and getting the nodes to agree. The admin endpoint keeps
 * a node's drop list in memory only, so a node that restarts (or one paused when the partition
 * began) must be told again: `sync` sends a node its current list. Calls to one node are made one
 * at a time, and each sends the list as it is when the call is made, so that a heal and a restart
 * racing each other cannot leave a stale partition behind.
 */
import { sleep } from './clock.js';
import { admin } from './nodeApi.js';
import type { NodeHandle } from './processes.js';

/** A node that is running may still be slow to answer under load: admin calls retry this long. */
const ADMIN_RETRY_MS = 5_000;

export class PartitionTable {
  private readonly drops = new Map<string, readonly string[]>();
  private readonly queues = new Map<string, Promise<void>>();

  set(drops: ReadonlyMap<string, readonly string[]>): void {
    this.drops.clear();
    for (const [node, list] of drops) if (list.length > 0) this.drops.set(node, [...list]);
  }

  clear(): void {
    this.drops.clear();
  }

  dropsOf(node: string): readonly string[] {
    return this.drops.get(node) ?? [];
  }

  /** Sends `node` its current list (a heal if it has none); rejects with why if it did not agree. */
  sync(node: NodeHandle): Promise<void> {
    const previous = this.queues.get(node.name) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => {
      const drop = this.dropsOf(node.name);
      return adminRetrying(node, drop.length === 0 ? 'heal' : 'partition', drop);
    });
    this.queues.set(node.name, next);
    return next;
  }
}

async function adminRetrying(node: NodeHandle, action: 'partition' | 'heal', drop: readonly string[]): Promise<void> {
  const deadline = performance.now() + ADMIN_RETRY_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return await admin(node.address, action, drop);
    } catch (error) {
      if (performance.now() + 100 > deadline || attempt > 50) throw new Error(`${node.name}: ${action}: ${(error as Error).message}`);
      await sleep(100);
    }
  }
}
