/**
 * A crash of the process: nothing is closed, another handle opens the same directory. Everything
 * persisted (resolved) is there; what was in flight is either there in full or not at all.
 */
import { cpSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { KvCommand } from '../../../src/kv/types.js';
import { openStorage } from '../../../src/runtime/storage/index.js';
import { generateRequests, tempDir } from './helpers.js';

function copyWhileRunning(dir: string): string {
  for (;;) {
    const image = tempDir('raftsim-storage-image-');
    try {
      cpSync(dir, image, { recursive: true });
      return image;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

describe('crash without close', () => {
  it('another handle recovers everything that was persisted', async () => {
    const dir = tempDir();
    const { requests, states } = generateRequests(5, 120);
    const storage = await openStorage<KvCommand>(dir, { segmentBytes: 4096 });
    await Promise.all(requests.map((r) => storage.persist(r)));
    // No close: the first handle is simply abandoned, as a killed process would leave it.
    const other = await openStorage<KvCommand>(dir, { segmentBytes: 4096 });
    expect(other.recovered).toEqual(states.at(-1));
    await other.close();
  });

  it('with requests in flight, recovers a prefix of whole requests that includes every resolved one', async () => {
    for (const seed of [1, 2, 3]) {
      const dir = tempDir();
      const { requests, states } = generateRequests(seed, 80);
      const storage = await openStorage<KvCommand>(dir, { segmentBytes: 2048, fsync: false });
      let resolved = 0;
      const all = requests.map((r) => storage.persist(r).then(() => { resolved = Math.max(resolved, r.id); }));
      await all[19];
      const atLeast = resolved;
      // The crash image: the directory as it is at this instant, requests still in flight. The
      // copy is synchronous, so the storage cannot start another step meanwhile (a step already
      // running can delete a file under us: then take the picture again).
      const image = copyWhileRunning(dir);
      const other = await openStorage<KvCommand>(image, { segmentBytes: 4096, fsync: false });
      const prefix = states.findIndex((s, i) => i >= atLeast && JSON.stringify(s) === JSON.stringify(other.recovered));
      expect(prefix, `seed ${seed}: not a prefix of at least ${atLeast} requests`).toBeGreaterThanOrEqual(atLeast);
      await other.close();
      await Promise.allSettled(all);
    }
  });
});
