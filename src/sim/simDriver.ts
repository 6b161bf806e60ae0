/**
 * The simulator's side of the NodeDriver (src/driver): each host's node is driven by one, whose
 * ports are the simulated disk (a write schedules its fsync event; the world calls `persisted`
 * when it fires), the simulated network, the host's KV server and the client links; its observer
 * is the monitor feed. A restart starts a new node, so a host gets a new driver per incarnation.
 */
import { NodeDriver } from '../driver/nodeDriver.js';
import type { KvCommand, KvResponse } from '../kv/types.js';
import type { PersistRequest } from '../raft/ready.js';
import type { NodeHost } from './host.js';
import type { World } from './world.js';

export type SimNodeDriver = NodeDriver<KvCommand, KvResponse>;

export class SimDrivers {
  /** By node id: the driver of that host's current node. */
  private readonly drivers: (SimNodeDriver | undefined)[] = [];

  constructor(private readonly world: World) {}

  /** The driver of the host's current node (a new one after a restart). */
  of(host: NodeHost): SimNodeDriver {
    const current = this.drivers[host.id];
    if (current !== undefined && current.node === host.raft) return current;
    const made = this.make(host);
    this.drivers[host.id] = made;
    return made;
  }

  /** The host crashed: its node takes no more input, and the Ready it was carrying out stops. */
  halt(host: NodeHost): void {
    this.drivers[host.id]?.halt();
  }

  private make(host: NodeHost): SimNodeDriver {
    const world = this.world;
    return new NodeDriver<KvCommand, KvResponse>(host.raft, {
      storage: world.engines
        ? { startPersist: (request) => world.engines!.startWrite(host, request), noteCommitted: (index) => world.engines!.noteCommitted(host, index) }
        : { startPersist: (request) => this.startWrite(host, request) },
      transport: { send: (message) => world.send(message) },
      stateMachine: host.kv,
      answers: { answer: (responses) => world.clientLinks.respondAll(host.id, responses) },
      observer: world.feed.observerFor(host),
    });
  }

  /** The disk takes the write now and reports it durable at the fsync event. */
  private startWrite(host: NodeHost, request: PersistRequest<KvCommand>): void {
    const world = this.world;
    const fsyncMs = world.disks.fsyncMs(host.id, world.now, host.disk.serviceStart(world.now));
    const doneAt = host.disk.write(request, world.now, fsyncMs);
    world.schedule({ kind: 'fsync', node: host.id, incarnation: host.incarnation }, doneAt - world.now);
  }
}
