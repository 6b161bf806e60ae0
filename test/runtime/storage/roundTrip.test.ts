/**
 * Request sequences from fast-check, written to disk in bursts and compared after every reopen
 * with the simulator's in-memory disk applying the same requests.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KvCommand } from '../../../src/kv/types.js';
import type { PersistRequest } from '../../../src/raft/ready.js';
import { openStorage } from '../../../src/runtime/diskStorage.js';
import type { NodeStorage } from '../../../src/runtime/diskStorage.js';
import { Model, requestSequences, segmentFiles, snapshotFiles, tempDir } from './helpers.js';

const RUNS = 30;

/**
 * How the requests are issued: in bursts without waiting (they form group-commit batches), some
 * bursts followed by a close and reopen. Past the end of the schedule, one request at a time.
 */
const schedules = fc.array(fc.record({
  burst: fc.oneof({ weight: 7, arbitrary: fc.constant(1) }, { weight: 3, arbitrary: fc.integer({ min: 2, max: 12 }) }),
  reopenAfter: fc.oneof({ weight: 12, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
}), { maxLength: 60, size: 'max' });

type Schedule = typeof schedules extends fc.Arbitrary<infer S> ? S : never;

/** Writes the requests as scheduled; checks every reopen against the model. Returns the most segment files seen and the reopens. */
async function writeAndReopen(requests: readonly PersistRequest<KvCommand>[], schedule: Schedule, segmentBytes: number) {
  const model = new Model();
  const dir = tempDir();
  let storage: NodeStorage<KvCommand> = await openStorage<KvCommand>(dir, { segmentBytes, fsync: false });
  expect(storage.recovered).toEqual(model.state());
  let segmentsSeen = 0;
  let reopens = 0;
  for (let next = 0, turn = 0; next < requests.length; turn++) {
    const { burst, reopenAfter } = schedule[turn] ?? { burst: 1, reopenAfter: false };
    const pending = requests.slice(next, next + burst).map((request) => {
      model.apply(request);
      return storage.persist(request);
    });
    next += pending.length;
    await Promise.all(pending);
    segmentsSeen = Math.max(segmentsSeen, segmentFiles(dir).length);
    if (reopenAfter) {
      await storage.close();
      storage = await openStorage<KvCommand>(dir, { segmentBytes, fsync: false });
      reopens++;
      expect(storage.recovered, `reopened after request ${next}`).toEqual(model.state());
    }
  }
  await storage.close();
  const reopened = await openStorage<KvCommand>(dir, { segmentBytes, fsync: false });
  const expected = model.state();
  expect(reopened.recovered, 'at the end').toEqual(expected);
  // Only the current snapshot's file is left.
  expect(snapshotFiles(dir).length).toBe(expected.snapshot ? 1 : 0);
  await reopened.close();
  return { segmentsSeen, reopens };
}

describe('round trip against the in-memory model', () => {
  it(`one big segment (${RUNS} runs of up to 150 requests)`, async () => {
    let reopened = 0;
    await fc.assert(fc.asyncProperty(requestSequences({ maxLength: 150 }), schedules, async (requests, schedule) => {
      if ((await writeAndReopen(requests, schedule, 64 * 1024 * 1024)).reopens > 0) reopened++;
    }), { numRuns: RUNS });
    expect(reopened).toBeGreaterThan(RUNS / 8);
  });

  it(`tiny segments: rolling, prefix deletion (${RUNS} runs of up to 150 requests)`, async () => {
    let rolled = 0;
    await fc.assert(fc.asyncProperty(requestSequences({ maxLength: 150 }), schedules, async (requests, schedule) => {
      if ((await writeAndReopen(requests, schedule, 512)).segmentsSeen > 3) rolled++;
    }), { numRuns: RUNS });
    expect(rolled).toBeGreaterThan(RUNS / 8);
  });

  it('with real fsyncs (3 runs of 60 requests at once)', async () => {
    await fc.assert(fc.asyncProperty(requestSequences({ minLength: 60, maxLength: 60 }), async (requests) => {
      const model = new Model();
      const dir = tempDir();
      const storage = await openStorage<KvCommand>(dir, { segmentBytes: 2048 });
      requests.forEach((r) => model.apply(r));
      await Promise.all(requests.map((r) => storage.persist(r)));
      await storage.close();
      const reopened = await openStorage<KvCommand>(dir);
      expect(reopened.recovered).toEqual(model.state());
      await reopened.close();
    }), { numRuns: 3 });
  });
});
