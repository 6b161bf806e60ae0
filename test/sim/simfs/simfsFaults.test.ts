import { describe, expect, it } from 'vitest';
import { bytes, makeFs, synced, text } from './fakeScheduler.js';

async function restingFs(files: Record<string, Uint8Array>) {
  const made = makeFs();
  for (const [path, data] of Object.entries(files)) await made.fs.writeFile(path, data);
  for (const path of Object.keys(files)) {
    const file = await made.fs.open(path, 'r');
    await synced(made.clock, () => file.sync());
  }
  await synced(made.clock, () => made.fs.syncDir('/'));
  made.fs.crash(null);
  return made;
}

const filled = (length: number, value: number): Uint8Array => new Uint8Array(length).fill(value);

describe('simfs faults at rest', () => {
  it('flipBit inverts exactly one bit, durably', async () => {
    const { fs } = await restingFs({ '/f': bytes('AAAA') });
    expect(fs.flipBit('/f', 2, 0)).toBe(true);
    expect(text(await fs.readFile('/f'))).toBe('AA@A');
    expect(fs.flipBit('/f', 4, 0)).toBe(false);
    expect(fs.flipBit('/f', 0, 8)).toBe(false);
    expect(fs.flipBit('/missing', 0, 0)).toBe(false);
    fs.crash(null);
    expect(text(fs.readSynced('/f'))).toBe('AA@A');
  });

  it('zeroSector zeros one aligned sector, clipped at the end of the file', async () => {
    const { fs } = await restingFs({ '/f': filled(1500, 7) });
    expect(fs.zeroSector('/f', 512)).toBe(true);
    const data = await fs.readFile('/f');
    expect(data.subarray(0, 512).every((b) => b === 7)).toBe(true);
    expect(data.subarray(512, 1024).every((b) => b === 0)).toBe(true);
    expect(data[1024]).toBe(7);
    expect(fs.zeroSector('/f', 1024)).toBe(true);
    expect(fs.fileSize('/f')).toBe(1500);
    expect((await fs.readFile('/f')).subarray(1024).every((b) => b === 0)).toBe(true);
    expect(fs.zeroSector('/f', 1536)).toBe(false);
    expect(() => fs.zeroSector('/f', 100)).toThrow(/multiple of 512/);
  });

  it('loseWrite reverts a range to zeros, and refuses a range outside the file', async () => {
    const { fs } = await restingFs({ '/f': bytes('abcdef') });
    expect(fs.loseWrite('/f', 1, 3)).toBe(true);
    expect([...(await fs.readFile('/f'))]).toEqual([97, 0, 0, 100, 101, 102]);
    expect(fs.loseWrite('/f', 4, 7)).toBe(false);
    expect(fs.loseWrite('/f', 3, 3)).toBe(false);
    expect(fs.fileSize('/f')).toBe(6);
  });

  it('misdirectWrite moves a range to another place, growing the target', async () => {
    const { fs } = await restingFs({ '/a': bytes('abcdef'), '/b': bytes('xy') });
    expect(fs.misdirectWrite('/a', 2, 5, '/b', 4)).toBe(true);
    expect([...(await fs.readFile('/a'))]).toEqual([97, 98, 0, 0, 0, 102]);
    expect([...(await fs.readFile('/b'))]).toEqual([120, 121, 0, 0, 99, 100, 101]);
    expect(fs.usedBytes).toBe(13);
    expect(fs.misdirectWrite('/a', 0, 1, '/a', 5)).toBe(true);
    expect(text(await fs.readFile('/a'))).toBe('\0b\0\0\0a');
    expect(fs.misdirectWrite('/a', 0, 9, '/b', 0)).toBe(false);
    expect(fs.misdirectWrite('/a', 0, 1, '/nope', 0)).toBe(false);
    expect(text(await fs.readFile('/b'))).toBe('xy\0\0cde');
  });

  it('faults at rest refuse a file with unsynced changes', async () => {
    const { fs } = await restingFs({ '/f': bytes('abc') });
    await fs.truncate('/f', 1);
    expect(() => fs.flipBit('/f', 0, 1)).toThrow(/unsynced changes/);
  });

  it('inspection: listFiles, fileSize, readSynced against readCurrent', async () => {
    const { fs } = await restingFs({ '/y': bytes('3') });
    expect(fs.listFiles()).toEqual(['/y']);
    expect(text(fs.readSynced('/y'))).toBe('3');
    const made = makeFs();
    await made.fs.mkdirp('/d');
    await made.fs.writeFile('/d/x', bytes('12'));
    await made.fs.link('/d/x', '/y');
    expect(made.fs.listFiles()).toEqual(['/d/x', '/y']);
    expect(made.fs.fileSize('/d/x')).toBe(2);
    expect(made.fs.fileSize('/d')).toBeUndefined();
    expect(text(made.fs.readCurrent('/y'))).toBe('12');
    expect(made.fs.readSynced('/y')?.length).toBe(0);
    expect(made.fs.usedBytes).toBe(2);
  });
});
