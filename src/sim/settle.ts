/**
 * The one place the simulator waits for Node's event loop. The storage engine that runs in the
 * simulator is asynchronous (it awaits its file system), so after an event that touched it, the
 * world lets every promise continuation that event started run to its end before it pops the next
 * event: a setImmediate callback runs only once the microtask queue is empty. No time is read and
 * nothing outside the world can run in between that could change it, so the order stays the
 * seed's. test/architecture.test.ts allows setImmediate here and nowhere else in src/sim.
 */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
