/** A raw TCP exchange: write some bytes, then wait (bounded) for the other side to hang up. */
import net from 'node:net';
import { waitFor } from './wait.js';

/** What the server sent back before it closed the connection (fails if it never closes it). */
export async function answerBeforeClose(port: number, bytes: Buffer, what: string): Promise<string> {
  const seen = { connected: false, answer: '', closedByServer: false, error: null as string | null };
  const socket = net.connect(port, '127.0.0.1', () => {
    seen.connected = true;
    socket.write(bytes);
  });
  socket.on('data', (d: Buffer) => (seen.answer += d.toString('latin1')));
  socket.on('error', (e) => (seen.error = e.message));
  // Only the server ends it: this side never closes before the wait is over.
  socket.on('close', () => (seen.closedByServer = true));
  try {
    await waitFor(`the server to close the connection that sent ${what}`, () => ({ ...seen }), (s) => s.closedByServer);
    if (!seen.connected) throw new Error(`could not connect to port ${port} to send ${what}: ${seen.error}`);
    return seen.answer;
  } finally {
    socket.destroy();
  }
}
