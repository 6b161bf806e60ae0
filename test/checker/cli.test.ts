/**
 * `raftsim check`: exit codes, output and bad input, through runCheckArgv with fake I/O, plus an
 * end-to-end run of the built CLI (dist/src/cli/main.js, made by `npm run build`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheckArgv, type CheckIo } from '../../src/cli/check.js';

const ROOT = join(import.meta.dirname, '../..');
const FIXTURES = 'test/fixtures/porcupine';
const OK = `${FIXTURES}/etcd/etcd_002.json`;
const BAD = `${FIXTURES}/etcd/etcd_000.json`;
const KV_BAD = `${FIXTURES}/kv/c01-bad.json`;

interface FakeIo extends CheckIo {
  out: string;
  err: string;
  written: Map<string, string>;
}

function fakeIo(files: Record<string, string> = {}, now: () => number = () => 0): FakeIo {
  const io: FakeIo = {
    out: '',
    err: '',
    written: new Map(),
    stdout: (text) => { io.out += text; },
    stderr: (text) => { io.err += text; },
    now,
    readFile: (path) => {
      if (path in files) return files[path]!;
      return readFileSync(join(ROOT, path), 'utf8');
    },
    writeFile: (path, text) => { io.written.set(path, text); },
  };
  return io;
}

const history = (operations: unknown[], model = 'register') => JSON.stringify({ model, operations });
const read = (fields: Record<string, unknown> = {}) =>
  ({ client: 0, call: 0, return: 1, input: { f: 'read' }, output: { value: null }, ...fields });

describe('raftsim check', () => {
  it('exits 0 when every history is linearizable, one line per file', async () => {
    const io = fakeIo();
    expect(await runCheckArgv(['check', OK, `${FIXTURES}/kv/c01-ok.json`], io)).toBe(0);
    const lines = io.out.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/etcd_002\.json {2}linearizable {2}77 ops {2}1 partition {2}\d+ ms/);
    expect(lines[1]).toMatch(/c01-ok\.json {2}linearizable {2}58 ops {2}10 partitions/);
    expect(lines[2]).toBe('2 histories: 2 linearizable, 0 not linearizable, 0 unknown');
  });

  it('exits 1 and explains when a history is not linearizable', async () => {
    const io = fakeIo();
    expect(await runCheckArgv(['check', OK, KV_BAD], io)).toBe(1);
    expect(io.out).toContain('c01-bad.json  not-linearizable');
    expect(io.out).toContain('key "7": not linearizable');
    expect(io.out).toContain('had to take effect before that');
    expect(io.out.trimEnd().split('\n').at(-1)).toBe('2 histories: 1 linearizable, 1 not linearizable, 0 unknown');
  });

  it('exits 3 on a time-out (fake clock that jumps)', async () => {
    let time = 0;
    const io = fakeIo({}, () => (time += 10_000));
    expect(await runCheckArgv(['check', OK, '--timeout', '1'], io)).toBe(3);
    expect(io.out).toContain('unknown');
  });

  it('exits 1, not 3, when one history is not linearizable and another unknown', async () => {
    const clocks = [0, 1e9];
    let reads = 0;
    const io = fakeIo({}, () => (reads++ < 4 ? clocks[0]! : clocks[1]!));
    expect(await runCheckArgv(['check', KV_BAD, OK, '--timeout', '1'], io)).toBe(1);
  });

  it('--json prints an array with one object per line', async () => {
    const io = fakeIo();
    expect(await runCheckArgv(['check', OK, BAD, '--json'], io)).toBe(1);
    const results = JSON.parse(io.out) as Array<Record<string, unknown>>;
    expect(io.out.trim().split('\n')).toHaveLength(4);
    expect(results[0]).toMatchObject({ file: OK, result: 'linearizable', operations: 77, partitions: 1 });
    expect(results[1]).toMatchObject({ file: BAD, result: 'not-linearizable', operations: 85 });
    expect(typeof results[0]!.ms).toBe('number');
    expect(results[1]!.failures).toHaveLength(1);
  });

  it('--html writes one page with every history', async () => {
    const io = fakeIo();
    await runCheckArgv(['check', OK, BAD, '--html', 'out.html'], io);
    const page = io.written.get('out.html')!;
    expect(page.match(/data-op="/g)).toHaveLength(77 + 85);
    expect(page).toContain('data-failed="true"');
  });

  it('--model overrides the file field', async () => {
    const kv = history([read({ input: { f: 'get', key: 'k' }, output: { value: null } })], 'register');
    const io = fakeIo({ 'h.json': kv });
    expect(await runCheckArgv(['check', 'h.json', '--model', 'raftsim-kv'], io)).toBe(0);
  });

  it.each([
    ['a missing file', 'missing.json', {}, /^raftsim: missing\.json: cannot read the file \(no such file\)$/],
    ['malformed JSON', 'h.json', { 'h.json': '{"model":' }, /^raftsim: h\.json: malformed JSON: /],
    ['a missing field', 'h.json', { 'h.json': history([{ client: 0, call: 0, return: 1, input: { f: 'read' } }]) },
      /^raftsim: h\.json: operations\[0\]\.output: missing/],
    ['a field of the wrong type', 'h.json', { 'h.json': history([read({ client: 'a' })]) },
      /^raftsim: h\.json: operations\[0\]\.client: expected an integer, got string "a"$/],
    ['a return before its call', 'h.json', { 'h.json': history([read({ call: 4, return: 2 })]) },
      /^raftsim: h\.json: operations\[0\]\.return: returns at 2, before its call at 4$/],
    ['two operations outstanding', 'h.json', { 'h.json': history([read({ return: 9 }), read({ call: 5, return: 10 })]) },
      /^raftsim: h\.json: client 0 has two operations outstanding at once/],
    ['an unknown model', 'h.json', { 'h.json': history([], 'paxos') }, /^raftsim: h\.json: unknown model "paxos"/],
    ['an unknown operation', 'h.json', { 'h.json': history([read({ input: { f: 'incr' } })]) },
      /^raftsim: h\.json: operations\[0\]\.input\.f: unknown operation "incr"/],
  ])('exits 2 with one line naming the file for %s', async (_name, file, files, message) => {
    const io = fakeIo(files);
    expect(await runCheckArgv(['check', OK, file], io)).toBe(2);
    expect(io.err.trimEnd().split('\n')).toHaveLength(1);
    expect(io.err.trimEnd()).toMatch(message);
    expect(io.out).toBe('');
  });

  it('exits 2 for an unknown --model and a negative --timeout', async () => {
    expect(await runCheckArgv(['check', OK, '--model', 'paxos'], fakeIo())).toBe(2);
    expect(await runCheckArgv(['check', OK, '--timeout', '-1'], fakeIo())).toBe(2);
    const io = fakeIo();
    expect(await runCheckArgv(['check', OK, '--timeout', 'soon'], io)).toBe(2);
    expect(io.err).toBe('raftsim: --timeout: not a number: soon\n');
  });
});

describe('raftsim check, built CLI (npm run build)', () => {
  const main = join(ROOT, 'dist/src/cli/main.js');
  const run = (...args: string[]) => {
    if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
    return spawnSync(process.execPath, [main, 'check', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  };

  it('exits 0, 1 and 2 as documented', () => {
    expect(run(OK).status).toBe(0);
    const bad = run(BAD);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('etcd_000.json  not-linearizable  85 ops');
    const missing = run('missing.json');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('raftsim: missing.json: cannot read the file (no such file)\n');
  });

  it('prints JSON with --json', () => {
    const result = run(OK, '--json');
    expect(JSON.parse(result.stdout)).toMatchObject([{ file: OK, result: 'linearizable' }]);
  });
});
