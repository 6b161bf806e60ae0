/**
 * A crash of the process: nothing is closed, another handle opens the same directory. Everything
 * persisted (resolved) is there; what was in flight is either there in full or not at all.
 */
import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KvCommand } from '../../../src/kv/types.js';
import { openStorage } from '../../../src/runtime/diskStorage.js';
import { MARK_FILE, modelStates, requestSequences, tempDir } from './helpers.js';

/**
 * The directory as a crash would leave it. The durable mark is copied first: it claims only
 * records already written, which the segment copies made after it then hold too (the other way
 * round, a record written between the two copies would be claimed but missing).
 */
function copyWhileRunning(dir: string): string {
  for (;;) {
    const image = tempDir('raftsim-storage-image-');
    try {
      cpSync(join(dir, MARK_FILE), join(image, MARK_FILE));
      for (const name of readdirSync(dir)) if (name !== MARK_FILE) cpSync(join(dir, name), join(image, name));
      return image;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

describe('crash without close', () => {
  it('another handle recovers everything that was persisted (15 runs of up to 120 requests)', async () => {
    await fc.assert(fc.asyncProperty(requestSequences({ maxLength: 120 }), async (requests) => {
      const dir = tempDir();
      const storage = await openStorage<KvCommand>(dir, { segmentBytes: 4096 });
      await Promise.all(requests.map((r) => storage.persist(r)));
      // No close: the first handle is simply abandoned, as a killed process would leave it. It still
      // holds the directory's lock, so the other handle opens the directory's image (lock file too).
      const other = await openStorage<KvCommand>(copyWhileRunning(dir), { segmentBytes: 4096 });
      expect(other.recovered).toEqual(modelStates(requests).at(-1));
      await other.close();
    }), { numRuns: 15 });
  });

  // The moment of the picture depends on I/O timing, which a replayed seed does not reproduce.
  it('with requests in flight, recovers a prefix of whole requests that includes every resolved one (10 runs)', async () => {
    const runs = fc.record({ requests: requestSequences({ minLength: 20, maxLength: 80 }), waitFor: fc.nat(19) });
    await fc.assert(fc.asyncProperty(runs, async ({ requests, waitFor }) => {
      const states = modelStates(requests);
      const dir = tempDir();
      const storage = await openStorage<KvCommand>(dir, { segmentBytes: 2048, fsync: false });
      let resolved = 0;
      const all = requests.map((r) => storage.persist(r).then(() => { resolved = Math.max(resolved, r.id); }));
      await all[waitFor];
      const atLeast = resolved;
      // The crash image: the directory as it is at this instant, requests still in flight. The
      // copy is synchronous, so the storage cannot start another step meanwhile (a step already
      // running can delete a file under us: then take the picture again).
      const image = copyWhileRunning(dir);
      const other = await openStorage<KvCommand>(image, { segmentBytes: 4096, fsync: false });
      const prefix = states.findIndex((s, i) => i >= atLeast && JSON.stringify(s) === JSON.stringify(other.recovered));
      expect(prefix, `not a prefix of at least ${atLeast} requests`).toBeGreaterThanOrEqual(atLeast);
      await other.close();
      await Promise.allSettled(all);
    }), { numRuns: 10 });
  });
});
