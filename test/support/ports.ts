/**
 * Loopback ports for test processes. A port found free can be taken by someone else before our
 * child binds it, so picking is not enough: whoever starts processes on picked ports wraps the
 * start in `retryWhilePortTaken`, which picks again when a child reports its port in use.
 */
import net from 'node:net';

export { freePortRange } from '../../src/jepsen/ports.js';

/** `count` distinct ports the OS had free a moment ago (all bound at once, then released). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  })));
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** A child could not listen because its port was taken meanwhile: start again on other ports. */
export class PortTakenError extends Error {}

/** What `raftsim serve` (and `raftsim cluster` for its nodes) prints when its port is taken. */
export function saysPortTaken(output: string): boolean {
  return /is already in use|EADDRINUSE/.test(output);
}

/** Runs `start` (which picks its own ports) again while it throws PortTakenError, up to `attempts` times. */
export async function retryWhilePortTaken<T>(start: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= attempts) throw error;
    }
  }
}
