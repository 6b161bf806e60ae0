/**
 * The real storage engine on the simulated file system, without the rest of the simulator: what a
 * power cut keeps, what damage at rest does, and what the recovery check makes of it. These are
 * the pieces the simulator puts together; here each is pinned on its own.
 */
import { describe, expect, it } from 'vitest';
import type { KvCommand } from '../../src/kv/types.js';
import type { PersistRequest } from '../../src/raft/ready.js';
import type { DurableState } from '../../src/raft/types.js';
import { RECOVERY_SKIPS_CHECKSUM } from '../../src/mutants/storageMutants.js';
import { damage, vouchedRegions } from '../../src/sim/diskDamage.js';
import { SIM_DATA_DIR } from '../../src/sim/engineDisk.js';
import { Prng } from '../../src/sim/prng.js';
import { RecoveryCheck } from '../../src/sim/recoveryCheck.js';
import type { SimFileSystem } from '../../src/sim/simfs/index.js';
import { decodeMark, MARK_NAME } from '../../src/storage/durableMark.js';
import { openStorage, StorageCorruptError } from '../../src/storage/index.js';
import type { StorageEnv, StorageVariant } from '../../src/storage/index.js';
import { FakeScheduler, makeFs } from '../sim/simfs/fakeScheduler.js';
import { modelAfter, simpleRequests } from '../runtime/storage/helpers.js';

function envOn(fs: SimFileSystem, clock: FakeScheduler): StorageEnv {
  return {
    fs,
    clock: { now: () => clock.now(), after: (ms, fn) => { clock.after(ms, fn); return () => undefined; } },
    lock: () => Promise.resolve({ release: () => Promise.resolve() }),
  };
}

/** Runs `work` while the fake clock moves, until it settles. */
async function drive<T>(clock: FakeScheduler, work: Promise<T>): Promise<T> {
  let done = false;
  let failure: unknown = null;
  let value: T | undefined;
  work.then((v) => { value = v; done = true; }, (e: unknown) => { failure = e; done = true; });
  for (let i = 0; i < 10_000 && !done; i++) await clock.run(clock.now() + 1);
  if (failure !== null) throw failure;
  if (!done) throw new Error('the work never settled');
  return value!;
}

async function openOn(fs: SimFileSystem, clock: FakeScheduler, dir = SIM_DATA_DIR, variant?: StorageVariant) {
  return drive(clock, openStorage<KvCommand>(envOn(fs, clock), dir, { segmentBytes: 4096, log: () => undefined, variant }));
}

async function writeAll(fs: SimFileSystem, clock: FakeScheduler, requests: readonly PersistRequest<KvCommand>[]): Promise<void> {
  const storage = await openOn(fs, clock);
  await drive(clock, Promise.all(requests.map((r) => storage.persist(r))));
}

describe('the storage engine on the simulated file system', () => {
  it('keeps its data directory across a power cut right after the first start (every directory mkdir made is synced in its parent)', async () => {
    const { fs, clock } = makeFs({ capacityBytes: 1 << 24 });
    const requests = simpleRequests(4);
    await writeAll(fs, clock, requests);
    fs.crash(null);
    const reopened = await openOn(fs, clock);
    expect(reopened.recovered).toEqual(modelAfter(requests));
  });

  it('a power cut loses only writes not yet reported durable, whatever the crash keeps', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { fs, clock } = makeFs({ capacityBytes: 1 << 24 });
      const requests = simpleRequests(6);
      const storage = await openOn(fs, clock);
      const acked = requests.slice(0, 3);
      await drive(clock, Promise.all(acked.map((r) => storage.persist(r))));
      // Three more handed to the engine, and the power goes before their fsync.
      for (const r of requests.slice(3)) void storage.persist(r).catch(() => undefined);
      await clock.run(clock.now()); // the writes land in the page cache, no fsync completes
      fs.crash(new Prng(`crash-${seed}`));
      const check = new RecoveryCheck(1);
      for (const r of requests) check.started(1, r);
      for (const r of acked) check.acknowledged(1, r);
      const recovered = (await openOn(fs, clock)).recovered;
      expect(check.recovered(1, recovered), `seed ${seed}`).toBeNull();
    }
  });

  it('aims damage only where the engine vouches: never past the durable mark in the mark\'s segment', async () => {
    const { fs, clock } = makeFs({ capacityBytes: 1 << 24 });
    await writeAll(fs, clock, simpleRequests(40));
    fs.crash(null);
    const mark = decodeMark(MARK_NAME, Buffer.from(fs.readCurrent(`${SIM_DATA_DIR}/${MARK_NAME}`)!)).position;
    const regions = vouchedRegions(fs);
    expect(regions.length).toBeGreaterThan(1);
    const inMarkSegment = regions.find((r) => r.path.endsWith(`wal-${String(mark.seq).padStart(10, '0')}.log`));
    expect(inMarkSegment?.to).toBe(mark.offset);
    for (const r of regions) expect(r.to).toBeLessThanOrEqual(fs.fileSize(r.path)!);
  });

  it('the correct engine refuses or stays faithful after every kind of damage, over many seeds', async () => {
    const outcomes = { refused: 0, faithful: 0 };
    for (let seed = 1; seed <= 40; seed++) {
      const { fs, clock } = makeFs({ capacityBytes: 1 << 24 });
      const requests = simpleRequests(30);
      await writeAll(fs, clock, requests);
      fs.crash(null);
      const kind = (['bit-flip', 'zero-sector', 'lost-write', 'misdirected-write'] as const)[seed % 4]!;
      expect(damage(fs, kind, new Prng(`damage-${seed}`))).not.toBeNull();
      const check = new RecoveryCheck(1);
      for (const r of requests) { check.started(1, r); check.acknowledged(1, r); }
      let recovered: DurableState<KvCommand>;
      try {
        recovered = (await openOn(fs, clock)).recovered;
      } catch (error) {
        expect(error).toBeInstanceOf(StorageCorruptError);
        outcomes.refused++;
        continue;
      }
      expect(check.recovered(1, recovered), `seed ${seed} ${kind}`).toBeNull();
      outcomes.faithful++;
    }
    expect(outcomes.refused).toBeGreaterThan(20);
  });

  it('recovery without its CRC check replays a flipped vote, and the recovery check says so', async () => {
    const { fs, clock } = makeFs({ capacityBytes: 1 << 24 });
    const vote: PersistRequest<KvCommand> = { id: 1, hardState: { term: 7, votedFor: 2 }, snapshot: null, entries: [] };
    // A clean stop (close records the durable mark), then everything synced: the mark vouches for the vote.
    const storage = await openOn(fs, clock);
    await drive(clock, storage.persist(vote));
    await drive(clock, storage.close());
    await drive(clock, syncEverything(fs));
    const segment = `${SIM_DATA_DIR}/wal-0000000001.log`;
    const bytes = Buffer.from(fs.readCurrent(segment)!);
    const at = bytes.lastIndexOf('"votedFor":2');
    expect(at).toBeGreaterThan(0);
    fs.flipBit(segment, at + '"votedFor":'.length, 0); // '2' (0x32) becomes '3' (0x33)
    // The correct engine: a bad record below the mark is damage, not a torn write.
    await expect(openOn(fs, clock)).rejects.toThrow(/durable up to byte/);
    const broken = (await openOn(fs, clock, SIM_DATA_DIR, RECOVERY_SKIPS_CHECKSUM)).recovered;
    expect(broken.hardState).toEqual({ term: 7, votedFor: 3 });
    const check = new RecoveryCheck(1);
    check.started(1, vote);
    check.acknowledged(1, vote);
    expect(check.recovered(1, broken)).toMatch(/term 7 vote 3 where it stored term 7 vote 2/);
  });

  it('without its CRC check, recovery still refuses a changed record in an older segment: the next segment\'s header repeats the state', async () => {
    const { fs, clock } = makeFs({ capacityBytes: 1 << 24 });
    const vote: PersistRequest<KvCommand> = { id: 1, hardState: { term: 7, votedFor: 2 }, snapshot: null, entries: [] };
    const appends: PersistRequest<KvCommand>[] = Array.from({ length: 60 }, (_, i) => ({
      id: i + 2, hardState: null, snapshot: null,
      entries: [{ index: i + 1, term: 7, command: { clientId: 1, seq: i + 1, op: { f: 'put', key: 'k', value: 'x'.repeat(100) } } as KvCommand }],
    }));
    await writeAll(fs, clock, [vote, ...appends]);
    fs.crash(null);
    const segment = `${SIM_DATA_DIR}/wal-0000000001.log`;
    const at = Buffer.from(fs.readCurrent(segment)!).lastIndexOf('"votedFor":2');
    fs.flipBit(segment, at + '"votedFor":'.length, 0);
    await expect(openOn(fs, clock, SIM_DATA_DIR, RECOVERY_SKIPS_CHECKSUM)).rejects.toThrow(/does not match the end of the previous segment/);
  });
});

/** fsyncs every file and the data directory (a clean shutdown's page cache written back). */
async function syncEverything(fs: SimFileSystem): Promise<void> {
  for (const path of fs.listFiles()) {
    const file = await fs.open(path, 'r+');
    await file.datasync();
    await file.close();
  }
  await fs.syncDir(SIM_DATA_DIR);
}
