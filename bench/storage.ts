/**
 * `npm run bench:storage`: the disk storage's throughput with real fsyncs. A fixed number of
 * writers each keep one persist outstanding (like Raft nodes pipelining appends), so group commit
 * batches whatever arrives while an fsync runs. Prints appends/s, fsyncs/s and entries per fsync,
 * for several concurrency levels. BENCH_DIR picks the disk (default: the OS temp dir).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PersistRequest } from '../src/raft/ready.js';
import { openStorage } from '../src/runtime/diskStorage.js';

const DURATION_MS = Number(process.env.BENCH_MS ?? 2000);
const VALUE = 'x'.repeat(Number(process.env.BENCH_VALUE_BYTES ?? 100));

async function measure(concurrency: number): Promise<void> {
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'raftsim-bench-storage-'));
  const storage = await openStorage<{ key: string; value: string }>(dir);
  const fsyncsBefore = storage.stats.fsyncs;
  let nextIndex = 1;
  let appends = 0;
  const start = performance.now();
  const deadline = start + DURATION_MS;
  // Requests are cut in order (as one node does), each appending one entry; `concurrency` of them
  // are outstanding at any time.
  const cut = (): PersistRequest<{ key: string; value: string }> => {
    const index = nextIndex++;
    return { id: index, hardState: null, snapshot: null, entries: [{ index, term: 1, command: { key: `k${index % 100}`, value: VALUE } }] };
  };
  const writer = async (): Promise<void> => {
    while (performance.now() < deadline) {
      await storage.persist(cut());
      appends++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, writer));
  const seconds = (performance.now() - start) / 1000;
  const fsyncs = storage.stats.fsyncs - fsyncsBefore;
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`concurrency ${String(concurrency).padStart(4)}: ${Math.round(appends / seconds).toString().padStart(8)} appends/s  ` +
    `${Math.round(fsyncs / seconds).toString().padStart(6)} fsyncs/s  ${(appends / Math.max(1, fsyncs)).toFixed(1).padStart(6)} appends/fsync`);
}

for (const concurrency of [1, 16, 256]) await measure(concurrency);
