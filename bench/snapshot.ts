/**
 * `npm run bench:snapshot`: a KV snapshot over 1 GiB through the real code paths, with memory
 * watched. (1) The node's storage persists it (the streamed file write) and (2) reopens the
 * directory (recovery reads it back as a stream, rebuilding the state piece by piece); (3) the
 * rebuilt state goes leader to follower in chunks (SnapshotSender to SnapshotReceiver, in this
 * process) and arrives equal. For each phase: seconds, MB/s, and how far resident memory rose
 * above what the process held before the phase (sampled every 20 ms). Before streaming, step 1
 * failed outright: the file was one JSON string, and V8 caps a string near 512 MiB.
 *
 * SNAPSHOT_GIB (default 1.1) sets the size; BENCH_DIR the disk; `--json` prints one JSON line
 * (test/runtime/snapshots/bigSnapshot.test.ts reads it). Run with --expose-gc (the npm script does).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KvSnapshotData } from '../src/kv/types.js';
import type { InstallSnapshot } from '../src/raft/messages.js';
import type { Snapshot } from '../src/raft/types.js';
import { KV_SNAPSHOT_CODEC } from '../src/storage/kvSnapshotCodec.js';
import { SnapshotReceiver } from '../src/runtime/snapshotTransfer/snapshotReceiver.js';
import { SnapshotSender } from '../src/runtime/snapshotTransfer/snapshotSender.js';
import type { SnapshotAck, SnapshotChunk } from '../src/runtime/snapshotTransfer/chunkMessages.js';
import { openStorage } from '../src/runtime/diskStorage.js';

const VALUE_CHARS = 1_000_000; // what one HTTP put can carry (the body limit is 1 MiB)
const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

interface Phase { readonly seconds: number; readonly mbPerSecond: number; readonly rssRiseMiB: number }

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  process.stderr.write('bench:snapshot: run node with --expose-gc (npm run bench:snapshot does)\n');
  process.exit(2);
}

function buildState(bytes: number): KvSnapshotData {
  const entries: [string, string][] = [];
  for (let i = 0; i * VALUE_CHARS < bytes; i++) entries.push([`key-${String(i).padStart(6, '0')}`, randomBytes(VALUE_CHARS * 3 / 4).toString('base64')]);
  return { lastAppliedIndex: entries.length + 1, entries, sessions: [[1, entries.length, {}, 1_000]], clockMs: 1_000 };
}

/** Digest of a state: equal states, equal digests (keys and values in order, sessions). */
function digest(data: KvSnapshotData): string {
  const hash = createHash('sha256');
  for (const [k, v] of data.entries) hash.update(k).update('\0').update(v).update('\0');
  hash.update(JSON.stringify(data.sessions)).update(String(data.clockMs));
  return hash.digest('hex');
}

/** Runs `work` while sampling RSS; the rise is measured from a settled baseline just before. */
async function measure(bytes: number, work: () => Promise<void>): Promise<Phase> {
  gc!();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  const start = performance.now();
  await work();
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { seconds, mbPerSecond: bytes / MIB / seconds, rssRiseMiB: (peak - baseline) / MIB };
}

function transfer(snapshot: Snapshot): Promise<Snapshot> {
  return new Promise((resolve, reject) => {
    const install: InstallSnapshot = { type: 'InstallSnapshot', from: 1, to: 2, term: snapshot.lastIncludedTerm, snapshot };
    const receiver = new SnapshotReceiver({
      codec: KV_SNAPSHOT_CODEC,
      // Acks and chunks hop through the event loop, as they would through sockets.
      sendAck: (ack: SnapshotAck) => setImmediate(() => sender.onAck(ack)),
      deliver: (message) => resolve(message.snapshot),
      refuse: (detail) => reject(new Error(detail)),
    });
    const sender: SnapshotSender = new SnapshotSender({
      codec: KV_SNAPSHOT_CODEC, log: (line) => reject(new Error(line)),
      send: (chunk: SnapshotChunk) => setImmediate(() => receiver.onChunk(chunk)),
    });
    sender.offer(install);
  });
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const targetBytes = Math.round(Number(process.env.SNAPSHOT_GIB ?? 1.1) * GIB);
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'raftsim-bench-snapshot-'));
  try {
    let state: KvSnapshotData | null = buildState(targetBytes);
    const stateDigest = digest(state);
    const index = state.lastAppliedIndex;
    const storage = await openStorage(dir, { snapshotCodec: KV_SNAPSHOT_CODEC });
    const write = await measure(targetBytes, () => storage.persist({ id: 1, hardState: { term: 1, votedFor: null }, snapshot: { lastIncludedIndex: index, lastIncludedTerm: 1, data: state }, entries: [] }));
    await storage.close();
    const fileBytes = readdirSync(dir).filter((n) => n.startsWith('snapshot')).reduce((sum, n) => sum + statSync(join(dir, n)).size, 0);
    state = null; // what the node held; recovery starts from the disk alone

    let recovered: Snapshot | null = null;
    const read = await measure(fileBytes, async () => {
      const reopened = await openStorage(dir, { snapshotCodec: KV_SNAPSHOT_CODEC });
      recovered = reopened.recovered.snapshot;
      await reopened.close();
    });
    if (recovered === null || digest((recovered as Snapshot).data as KvSnapshotData) !== stateDigest) throw new Error('the snapshot read back differs from the one written');

    let arrived: Snapshot | null = null;
    const sent = await measure(fileBytes, async () => { arrived = await transfer(recovered!); });
    if (arrived === null || digest((arrived as Snapshot).data as KvSnapshotData) !== stateDigest) throw new Error('the snapshot sent in chunks differs from the one sent');

    const result = { fileBytes, stateBytes: targetBytes, write, read, transfer: sent };
    if (json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    const line = (what: string, p: Phase) => `${what.padEnd(30)} ${p.seconds.toFixed(1).padStart(6)} s ${p.mbPerSecond.toFixed(0).padStart(6)} MiB/s   RSS rose ${p.rssRiseMiB.toFixed(0).padStart(5)} MiB`;
    console.log(`snapshot of ${(fileBytes / GIB).toFixed(2)} GiB on disk (${(targetBytes / GIB).toFixed(2)} GiB of values, ${index - 1} keys), node ${process.version}`);
    console.log(line('write (storage persist)', write));
    console.log(line('read (recovery, rebuilds it)', read));
    console.log(line('send in chunks (and rebuild)', sent));
    console.log('write holds one piece at a time; read and send hold the rebuilt state (about its size) and one piece or window.');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:snapshot: ${(error as Error).message}\n`);
  process.exit(1);
});
