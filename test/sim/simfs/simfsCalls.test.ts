import { describe, expect, it } from 'vitest';
import { MAX_NAME_BYTES } from '../../../src/sim/simfs/index.js';
import { bytes, codeOf, makeFs, text } from './fakeScheduler.js';

describe('simfs calls', () => {
  it('mkdirp creates parents and returns the first directory it created, as Node does', async () => {
    const { fs } = makeFs();
    expect(await fs.mkdirp('/a/b/c')).toBe('/a');
    expect(await fs.mkdirp('/a/b/c')).toBeNull();
    expect(await fs.mkdirp('/a/b')).toBeNull();
    expect(await fs.mkdirp('/a/b/d/e')).toBe('/a/b/d');
    expect(await fs.readdir('/a')).toEqual(['b']);
    await fs.writeFile('/a/f', bytes('x'));
    expect(await codeOf(fs.mkdirp('/a/f'))).toBe('EEXIST');
    expect(await codeOf(fs.mkdirp('/a/f/g'))).toBe('ENOTDIR');
  });

  it('open flags behave as Node', async () => {
    const { fs } = makeFs();
    await fs.mkdirp('/d');
    expect(await codeOf(fs.open('/d/x', 'r'))).toBe('ENOENT');
    expect(await codeOf(fs.open('/d/x', 'r+'))).toBe('ENOENT');
    expect(await codeOf(fs.open('/nope/x', 'w'))).toBe('ENOENT');
    expect(await codeOf(fs.open('/d', 'r'))).toBe('EISDIR');
    const created = await fs.open('/d/x', 'wx');
    await created.write(bytes('hello'), 0, 5, 0);
    await created.close();
    expect(await codeOf(fs.open('/d/x', 'wx'))).toBe('EEXIST');
    expect(await codeOf(fs.open('/d/x/y', 'w'))).toBe('ENOTDIR');
    const rw = await fs.open('/d/x', 'r+');
    await rw.write(bytes('J'), 0, 1, 0);
    expect(text(await fs.readFile('/d/x'))).toBe('Jello');
    const truncating = await fs.open('/d/x', 'w');
    expect((await fs.readFile('/d/x')).length).toBe(0);
    const readOnly = await fs.open('/d/x', 'r');
    expect(await codeOf(readOnly.write(bytes('z'), 0, 1, 0))).toBe('EBADF');
    await truncating.close();
    expect(await codeOf(truncating.close())).toBe('EBADF');
  });

  it('errors are Node-like: code, path, syscall and message', async () => {
    const { fs } = makeFs();
    const error = (await fs.readFile('/missing').catch((e: unknown) => e)) as NodeJS.ErrnoException;
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('ENOENT');
    expect(error.path).toBe('/missing');
    expect(error.syscall).toBe('open');
    expect(error.message).toBe("ENOENT: no such file or directory, open '/missing'");
  });

  it('writes past the end leave zeros; reads stop at the end', async () => {
    const { fs } = makeFs();
    const file = await fs.open('/f', 'w');
    await file.write(bytes('..ab..'), 2, 2, 3);
    expect([...(await fs.readFile('/f'))]).toEqual([0, 0, 0, 97, 98]);
    const buffer = new Uint8Array(10);
    expect((await file.read(buffer, 1, 9, 3)).bytesRead).toBe(2);
    expect([...buffer.subarray(0, 4)]).toEqual([0, 97, 98, 0]);
    expect((await file.read(buffer, 0, 4, 9)).bytesRead).toBe(0);
    expect(await codeOf(file.write(bytes('a'), 0, 2, 0))).toBe('EINVAL');
  });

  it('the written buffer is copied: changing it later changes nothing', async () => {
    const { fs } = makeFs();
    const data = bytes('abc');
    const file = await fs.open('/f', 'w');
    await file.write(data, 0, 3, 0);
    data[0] = 122;
    expect(text(await fs.readFile('/f'))).toBe('abc');
  });

  it('readdir sorts names and refuses files and missing paths', async () => {
    const { fs } = makeFs();
    for (const name of ['b', 'a', 'c10', 'c2']) await fs.writeFile(`/${name}`, bytes(name));
    await fs.mkdirp('/dir');
    expect(await fs.readdir('/')).toEqual(['a', 'b', 'c10', 'c2', 'dir']);
    expect(await codeOf(fs.readdir('/a'))).toBe('ENOTDIR');
    expect(await codeOf(fs.readdir('/x'))).toBe('ENOENT');
  });

  it('rename replaces the target; unlink and link work on names', async () => {
    const { fs } = makeFs();
    await fs.writeFile('/old', bytes('old'));
    await fs.writeFile('/new.tmp', bytes('new'));
    await fs.rename('/new.tmp', '/old');
    expect(await fs.readdir('/')).toEqual(['old']);
    expect(text(await fs.readFile('/old'))).toBe('new');
    expect(await codeOf(fs.rename('/gone', '/x'))).toBe('ENOENT');
    await fs.mkdirp('/d');
    expect(await codeOf(fs.rename('/old', '/d'))).toBe('EISDIR');
    expect(await codeOf(fs.rename('/d', '/d/e'))).toBe('EINVAL');
    await fs.link('/old', '/second');
    expect(await codeOf(fs.link('/old', '/second'))).toBe('EEXIST');
    expect(await codeOf(fs.link('/d', '/dd'))).toBe('EPERM');
    await fs.unlink('/old');
    expect(text(await fs.readFile('/second'))).toBe('new');
    expect(await codeOf(fs.unlink('/old'))).toBe('ENOENT');
    expect(await codeOf(fs.unlink('/d'))).toBe('EISDIR');
    await fs.rename('/second', '/d/moved');
    expect(fs.listFiles()).toEqual(['/d/moved']);
  });

  it('an unlinked file stays readable and writable through an open handle', async () => {
    const { fs } = makeFs();
    const file = await fs.open('/f', 'w');
    await fs.unlink('/f');
    await file.write(bytes('still'), 0, 5, 0);
    const buffer = new Uint8Array(5);
    await file.read(buffer, 0, 5, 0);
    expect(text(buffer)).toBe('still');
    expect(fs.listFiles()).toEqual([]);
  });

  it('truncate shrinks and grows with zeros', async () => {
    const { fs } = makeFs();
    await fs.writeFile('/f', bytes('abcdef'));
    await fs.truncate('/f', 2);
    expect(text(await fs.readFile('/f'))).toBe('ab');
    await fs.truncate('/f', 4);
    expect([...(await fs.readFile('/f'))]).toEqual([97, 98, 0, 0]);
    expect(await codeOf(fs.truncate('/g', 0))).toBe('ENOENT');
    expect(await codeOf(fs.truncate('/', 0))).toBe('EISDIR');
  });

  it('paths must be absolute and within the name and path bounds', async () => {
    const { fs } = makeFs();
    expect(await codeOf(fs.readFile('relative'))).toBe('EINVAL');
    expect(await codeOf(fs.writeFile(`/${'n'.repeat(MAX_NAME_BYTES + 1)}`, bytes('x')))).toBe('ENAMETOOLONG');
    expect(await codeOf(fs.mkdirp(`/${'a/'.repeat(2100)}`))).toBe('ENAMETOOLONG');
    await fs.writeFile('/a/../b', bytes('x'));
    expect(fs.listFiles()).toEqual(['/b']);
  });

  it('tells onCall of every call', async () => {
    let calls = 0;
    const { fs } = makeFs({ onCall: () => calls++ });
    await fs.mkdirp('/d');
    const file = await fs.open('/d/f', 'w');
    await file.write(bytes('x'), 0, 1, 0);
    await fs.readdir('/d').catch(() => undefined);
    await codeOf(fs.readFile('/nope'));
    expect(calls).toBe(5);
  });
});
