import { describe, expect, it } from 'vitest';
import { bytes, codeOf, makeFs, settle, synced, text } from './fakeScheduler.js';

describe('simfs syncs in virtual time', () => {
  it('fsyncs are serial: each starts when the previous ends, and takes fsyncMs(start)', async () => {
    const starts: number[] = [];
    const { fs, clock } = makeFs({ fsyncMs: (start) => (starts.push(start), start < 10 ? 10 : 3) });
    await fs.mkdirp('/d');
    const file = await fs.open('/d/f', 'w');
    clock.time = 1;
    const ends: number[] = [];
    const first = file.datasync().then(() => ends.push(clock.now()));
    const second = fs.syncDir('/d').then(() => ends.push(clock.now()));
    const third = file.sync().then(() => ends.push(clock.now()));
    expect(starts).toEqual([1, 11, 14]);
    await clock.run(10);
    expect(ends).toEqual([]);
    await clock.run();
    await Promise.all([first, second, third]);
    expect(ends).toEqual([11, 14, 17]);
    clock.time = 30;
    const late = file.sync().then(() => ends.push(clock.now()));
    expect(starts[3]).toBe(30);
    await clock.run();
    await late;
    expect(ends[3]).toBe(33);
  });

  it('written and synced data survives crash(null); unsynced writes do not', async () => {
    const { fs, clock } = makeFs();
    await fs.mkdirp('/d');
    await synced(clock, () => fs.syncDir('/'));
    const file = await fs.open('/d/f', 'w');
    await synced(clock, () => fs.syncDir('/d'));
    await file.write(bytes('durable'), 0, 7, 0);
    await synced(clock, () => file.datasync());
    await file.write(bytes('-lost'), 0, 5, 7);
    await fs.truncate('/d/f', 3);
    expect(text(fs.readSynced('/d/f'))).toBe('durable');
    const summary = fs.crash(null);
    expect(summary).toMatchObject({ filesTouched: 1, opsLost: 2, opsKept: 0, torn: false });
    expect(text(await fs.readFile('/d/f'))).toBe('durable');
    expect(fs.usedBytes).toBe(7);
  });

  it('a sync makes durable only what was written before it was called', async () => {
    const { fs, clock } = makeFs();
    const file = await fs.open('/f', 'w');
    await synced(clock, () => fs.syncDir('/'));
    await file.write(bytes('before'), 0, 6, 0);
    const sync = file.datasync();
    await file.write(bytes('after'), 0, 5, 6);
    await clock.run();
    await sync;
    expect(text(fs.readSynced('/f'))).toBe('before');
    fs.crash(null);
    expect(text(await fs.readFile('/f'))).toBe('before');
  });

  it('after a crash, old handles reject and syncs in flight never resolve', async () => {
    const { fs, clock } = makeFs();
    const file = await fs.open('/f', 'w');
    await file.write(bytes('x'), 0, 1, 0);
    let resolved = false;
    void file.datasync().then(() => (resolved = true));
    fs.crash(null);
    await clock.run();
    await settle();
    expect(resolved).toBe(false);
    expect(await codeOf(file.write(bytes('y'), 0, 1, 0))).toBe('EBADF');
    expect(await codeOf(file.read(new Uint8Array(1), 0, 1, 0))).toBe('EBADF');
    expect(await codeOf(file.datasync())).toBe('EBADF');
    expect(await codeOf(file.close())).toBe('EBADF');
    // The disk is idle after the crash: a new fsync starts now.
    clock.time = 100;
    const fresh = await fs.open('/g', 'w');
    const sync = fresh.sync();
    await clock.run();
    await sync;
    expect(clock.now()).toBe(105);
  });

  it('names are lost on a crash without syncDir, and kept with it', async () => {
    const { fs, clock } = makeFs();
    await fs.mkdirp('/d');
    await synced(clock, () => fs.syncDir('/'));
    const kept = await fs.open('/d/kept', 'w');
    await kept.write(bytes('k'), 0, 1, 0);
    await synced(clock, () => kept.datasync());
    await synced(clock, () => fs.syncDir('/d'));
    const lost = await fs.open('/d/lost', 'w');
    await lost.write(bytes('l'), 0, 1, 0);
    // Synced data does not make the name durable.
    await synced(clock, () => lost.datasync());
    await fs.unlink('/d/kept');
    fs.crash(null);
    expect(await fs.readdir('/d')).toEqual(['kept']);
    expect(text(await fs.readFile('/d/kept'))).toBe('k');
  });

  it('a directory whose own name was never synced vanishes with everything in it', async () => {
    const { fs, clock } = makeFs();
    await fs.mkdirp('/data');
    const file = await fs.open('/data/f', 'w');
    await file.write(bytes('x'), 0, 1, 0);
    await synced(clock, () => file.datasync());
    await synced(clock, () => fs.syncDir('/data'));
    fs.crash(null);
    expect(await fs.readdir('/')).toEqual([]);
    expect(fs.listFiles()).toEqual([]);
    expect(fs.usedBytes).toBe(0);
  });
});

describe('simfs under the engine\'s call sequences', () => {
  it('temp file, sync, rename, syncDir: the new file survives crash(null); stopped before syncDir, the old one does', async () => {
    const replace = async (content: string, syncDir: boolean) => {
      const { fs, clock } = makeFs();
      await fs.mkdirp('/data');
      await synced(clock, () => fs.syncDir('/'));
      await fs.writeFile('/data/mark', bytes('old'));
      const old = await fs.open('/data/mark', 'r+');
      await synced(clock, () => old.sync());
      await old.close();
      await synced(clock, () => fs.syncDir('/data'));
      const temp = await fs.open('/data/mark.tmp', 'w');
      await temp.write(bytes(content), 0, content.length, 0);
      await synced(clock, () => temp.sync());
      await temp.close();
      await fs.rename('/data/mark.tmp', '/data/mark');
      if (syncDir) await synced(clock, () => fs.syncDir('/data'));
      const summary = fs.crash(null);
      return { mark: text(await fs.readFile('/data/mark')), names: await fs.readdir('/data'), summary };
    };
    const done = await replace('new', true);
    expect(done).toMatchObject({ mark: 'new', names: ['mark'], summary: { namesLost: 0 } });
    const cut = await replace('new', false);
    expect(cut).toMatchObject({ mark: 'old', names: ['mark'], summary: { namesLost: 2 } });
  });

  it('a WAL-like append loop: each synced append survives, the unsynced tail does not', async () => {
    const { fs, clock } = makeFs();
    const wal = await fs.open('/wal', 'wx');
    await synced(clock, () => fs.syncDir('/'));
    let size = 0;
    for (let i = 0; i < 20; i++) {
      const record = bytes(`record-${i};`);
      await wal.write(record, 0, record.length, size);
      size += record.length;
      if (i < 15) await synced(clock, () => wal.datasync());
    }
    fs.crash(null);
    const after = text(await fs.readFile('/wal'))!;
    expect(after.split(';').filter((r) => r !== '')).toHaveLength(15);
    expect(after.endsWith('record-14;')).toBe(true);
  });
});

describe('simfs capacity', () => {
  it('a write past capacity rejects with ENOSPC and changes nothing', async () => {
    const { fs } = makeFs({ capacityBytes: 10 });
    const file = await fs.open('/f', 'w');
    await file.write(bytes('12345678'), 0, 8, 0);
    const error = await file.write(bytes('abc'), 0, 3, 8).catch((e: NodeJS.ErrnoException) => e);
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect(text(await fs.readFile('/f'))).toBe('12345678');
    expect(fs.unsyncedChanges('/f')).toBe(1);
    // Overwriting within the file needs no space; reaching exactly the capacity is fine.
    await file.write(bytes('ab'), 0, 2, 0);
    await file.write(bytes('90'), 0, 2, 8);
    expect(fs.usedBytes).toBe(10);
    expect(await codeOf(fs.writeFile('/g', bytes('x')))).toBe('ENOSPC');
    expect(fs.listFiles()).toEqual(['/f']);
    await fs.unlink('/f');
    expect(fs.usedBytes).toBe(0);
    await fs.writeFile('/g', bytes('0123456789'));
  });

  it('writeFile over an existing file counts the space it frees, and a refused one keeps the old file', async () => {
    const { fs } = makeFs({ capacityBytes: 6 });
    await fs.writeFile('/f', bytes('abcdef'));
    await fs.writeFile('/f', bytes('ghijkl'));
    expect(await codeOf(fs.writeFile('/f', bytes('too long')))).toBe('ENOSPC');
    expect(text(await fs.readFile('/f'))).toBe('ghijkl');
  });

  it('a full disk refuses every write, and recovers when no longer full', async () => {
    const { fs } = makeFs();
    await fs.writeFile('/f', bytes('abc'));
    const file = await fs.open('/f', 'r+');
    fs.setFull(true);
    expect(await codeOf(file.write(bytes('x'), 0, 1, 0))).toBe('ENOSPC');
    expect(await codeOf(fs.writeFile('/f', bytes('x')))).toBe('ENOSPC');
    expect(text(await fs.readFile('/f'))).toBe('abc');
    // Shrinking and deleting still work on a full disk.
    await fs.truncate('/f', 1);
    fs.setFull(false);
    await file.write(bytes('yz'), 0, 2, 1);
    expect(text(await fs.readFile('/f'))).toBe('ayz');
  });

  it('more unsynced changes to one file than the bound is an assertion, not a silent leak', async () => {
    const { fs } = makeFs();
    const file = await fs.open('/f', 'w');
    const one = bytes('x');
    for (let i = 0; i < 100_000; i++) await file.write(one, 0, 1, i);
    expect(await codeOf(file.write(one, 0, 1, 0))).toMatch(/more than 100000 unsynced changes/);
  });
});
