/**
 * Random sequences of PersistRequests, written to disk and compared after every reopen with the
 * simulator's in-memory disk applying the same requests.
 */
import { describe, expect, it } from 'vitest';
import type { KvCommand } from '../../../src/kv/types.js';
import { openStorage } from '../../../src/runtime/storage/index.js';
import type { NodeStorage } from '../../../src/runtime/storage/index.js';
import { Model, Prng, RequestGenerator, segmentFiles, snapshotFiles, tempDir } from './helpers.js';

async function run(seed: number, steps: number, segmentBytes: number): Promise<{ segmentsSeen: number }> {
  const rng = new Prng(seed);
  const model = new Model();
  const gen = new RequestGenerator(rng, model);
  const dir = tempDir();
  let storage: NodeStorage<KvCommand> = await openStorage<KvCommand>(dir, { segmentBytes, fsync: false });
  expect(storage.recovered).toEqual(model.state());
  let segmentsSeen = 0;
  let step = 0;
  while (step < steps) {
    // Sometimes a burst of requests issued without waiting (they form group-commit batches).
    const burst = rng.chance(0.3) ? rng.int(2, 12) : 1;
    const pending: Promise<void>[] = [];
    for (let i = 0; i < burst && step < steps; i++, step++) {
      const request = gen.next();
      model.apply(request);
      pending.push(storage.persist(request));
    }
    await Promise.all(pending);
    segmentsSeen = Math.max(segmentsSeen, segmentFiles(dir).length);
    if (rng.chance(0.08)) {
      await storage.close();
      storage = await openStorage<KvCommand>(dir, { segmentBytes, fsync: false });
      expect(storage.recovered, `seed ${seed}, after step ${step}`).toEqual(model.state());
    }
  }
  await storage.close();
  const reopened = await openStorage<KvCommand>(dir, { segmentBytes, fsync: false });
  const expected = model.state();
  expect(reopened.recovered, `seed ${seed}, at the end`).toEqual(expected);
  // Only the current snapshot's file is left.
  expect(snapshotFiles(dir).length).toBe(expected.snapshot ? 1 : 0);
  await reopened.close();
  return { segmentsSeen };
}

describe('round trip against the in-memory model', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %i, one big segment', async (seed) => {
    await run(seed, 300, 64 * 1024 * 1024);
  });

  it.each([11, 12, 13, 14, 15, 16])('seed %i, tiny segments (rolling, prefix deletion)', async (seed) => {
    const { segmentsSeen } = await run(seed, 400, 512);
    expect(segmentsSeen).toBeGreaterThan(3);
  });

  it('with real fsyncs', async () => {
    const model = new Model();
    const gen = new RequestGenerator(new Prng(99), model);
    const dir = tempDir();
    const storage = await openStorage<KvCommand>(dir, { segmentBytes: 2048 });
    const requests = Array.from({ length: 60 }, () => gen.next());
    requests.forEach((r) => model.apply(r));
    await Promise.all(requests.map((r) => storage.persist(r)));
    await storage.close();
    const reopened = await openStorage<KvCommand>(dir);
    expect(reopened.recovered).toEqual(model.state());
    await reopened.close();
  });
});
