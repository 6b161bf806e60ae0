/** A base port whose next `count` loopback ports are all free right now (bounded tries). */
import net from 'node:net';

export async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const port = (server.address() as net.AddressInfo).port;
        server.close(() => resolve(port));
      });
    });
    if (base + count > 65535) continue;
    const held: net.Server[] = [];
    try {
      for (let i = 0; i < count; i++) {
        held.push(await new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer();
          server.once('error', reject);
          server.listen(base + i, '127.0.0.1', () => resolve(server));
        }));
      }
      return base;
    } catch {
      // one of them is taken: try another base
    } finally {
      await Promise.all(held.map((s) => new Promise((resolve) => s.close(resolve))));
    }
  }
  throw new Error(`found no ${count} consecutive free loopback ports`);
}
