import { describe, expect, it } from 'vitest';
import { Prng } from '../../../src/sim/prng.js';
import type { SimFileSystem } from '../../../src/sim/simfs/index.js';
import { bytes, makeFs, synced, text, type FakeScheduler } from './fakeScheduler.js';

/** One file, its name and a base synced, then `ops` unsynced changes; returns every state a prefix (maybe torn) allows. */
async function fileWithUnsyncedOps(fs: SimFileSystem, clock: FakeScheduler): Promise<Set<string>> {
  const file = await fs.open('/f', 'w');
  await file.write(bytes('base:'), 0, 5, 0);
  await synced(clock, () => file.datasync());
  await synced(clock, () => fs.syncDir('/'));
  type Op = { write: string; at: number } | { truncate: number };
  const ops: Op[] = [
    { write: 'aaaa', at: 5 },
    { write: 'bbbbbb', at: 9 },
    { write: 'XY', at: 2 },
    { truncate: 12 },
    { write: 'cccc', at: 12 },
    { write: 'dd', at: 20 },
  ];
  // The states: after k whole ops, and after k whole ops plus t bytes of the next write.
  const states = new Set<string>();
  let model = 'base:';
  const apply = (state: string, op: Op, count = Infinity): string => {
    if ('truncate' in op) return state.slice(0, op.truncate).padEnd(op.truncate, '\0');
    const data = op.write.slice(0, count);
    const padded = state.padEnd(op.at, '\0');
    return padded.slice(0, op.at) + data + padded.slice(op.at + data.length);
  };
  for (const op of ops) {
    states.add(model);
    if ('write' in op) for (let t = 1; t < op.write.length; t++) states.add(apply(model, op, t));
    model = apply(model, op);
    if ('write' in op) await file.write(bytes(op.write), 0, op.write.length, op.at);
    else await fs.truncate('/f', op.truncate);
  }
  states.add(model);
  expect(text(await fs.readFile('/f'))).toBe(model);
  return states;
}

describe('simfs crash with a prng', () => {
  it('keeps a prefix of the unsynced changes, sometimes tearing the next write', async () => {
    let torn = 0;
    let partial = 0;
    let none = 0;
    let all = 0;
    for (let seed = 0; seed < 200; seed++) {
      const { fs, clock } = makeFs();
      const states = await fileWithUnsyncedOps(fs, clock);
      const summary = fs.crash(new Prng(`crash-${seed}`));
      const after = text(await fs.readFile('/f'))!;
      expect(states.has(after), `seed ${seed}: ${JSON.stringify(after)} is no prefix state`).toBe(true);
      expect(summary.opsKept + summary.opsLost).toBe(6);
      expect(fs.usedBytes).toBe(after.length);
      if (summary.torn) torn++;
      else if (summary.opsKept === 0) none++;
      else if (summary.opsKept === 6) all++;
      else partial++;
    }
    expect(torn).toBeGreaterThan(10);
    expect(partial).toBeGreaterThan(10);
    expect(none).toBeGreaterThan(3);
    expect(all).toBeGreaterThan(3);
  });

  it('crash(null) keeps nothing unsynced', async () => {
    const { fs, clock } = makeFs();
    await fileWithUnsyncedOps(fs, clock);
    expect(fs.crash(null)).toEqual({ filesTouched: 1, opsLost: 6, opsKept: 0, torn: false, namesLost: 0, namesKept: 0 });
    expect(text(await fs.readFile('/f'))).toBe('base:');
  });

  it('keeps a prefix of the unsynced names of a directory, in order', async () => {
    const order = ['e', 'c', 'a', 'd', 'b'];
    const seen = new Set<number>();
    for (let seed = 0; seed < 60; seed++) {
      const { fs } = makeFs();
      for (const name of order) await fs.writeFile(`/${name}`, bytes(name));
      fs.crash(new Prng(`names-${seed}`));
      const names = await fs.readdir('/');
      expect(names).toEqual(order.slice(0, names.length).sort());
      seen.add(names.length);
    }
    expect(seen.size).toBe(order.length + 1);
  });

  it('rename is atomic: after a crash the target is the old file or the new one, never a mix', async () => {
    const outcomes = new Set<string>();
    for (let seed = 0; seed < 60; seed++) {
      const { fs, clock } = makeFs();
      await fs.writeFile('/mark', bytes('OLD-OLD'));
      const old = await fs.open('/mark', 'r+');
      await synced(clock, () => old.sync());
      await synced(clock, () => fs.syncDir('/'));
      const temp = await fs.open('/mark.tmp', 'w');
      await temp.write(bytes('new'), 0, 3, 0);
      await synced(clock, () => temp.sync());
      await fs.rename('/mark.tmp', '/mark');
      const summary = fs.crash(new Prng(`rename-${seed}`));
      const mark = text(await fs.readFile('/mark'));
      expect(['OLD-OLD', 'new']).toContain(mark);
      if (mark === 'new') expect(await fs.readdir('/')).toEqual(['mark']);
      outcomes.add(`${mark}/${summary.namesKept}`);
    }
    expect([...outcomes].sort()).toEqual(['OLD-OLD/0', 'OLD-OLD/1', 'new/2']);
  });

  it('the same seed gives the same disk; other seeds differ', async () => {
    const run = async (seed: string): Promise<string> => {
      const { fs, clock } = makeFs();
      await fileWithUnsyncedOps(fs, clock);
      for (const name of ['x', 'y', 'z']) await fs.writeFile(`/${name}`, bytes(name.repeat(9)));
      const summary = fs.crash(new Prng(seed));
      const files = await Promise.all(fs.listFiles().map(async (path) => `${path}=${text(await fs.readFile(path))}`));
      return JSON.stringify({ summary, files });
    };
    expect(await run('same')).toBe(await run('same'));
    const others = new Set<string>();
    for (let i = 0; i < 8; i++) others.add(await run(`other-${i}`));
    expect(others.size).toBeGreaterThan(3);
  });
});
