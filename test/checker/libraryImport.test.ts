/**
 * The checker as a user gets it (issue 12, item 9): from a project of their own, with raftsim in
 * node_modules (a symlink to this repository, as `npm install <path>` makes), an ES module imports
 * `raftsim/checker` through package.json's exports map, checks two histories of its own making,
 * and prints the verdicts; so does the example of docs/checker-library.md; TypeScript finds the
 * declarations through the same map. Needs the build
 * (npm run build; npm ci does it), like the CLI tests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

/** What a user writes: a register history that is fine, and one with a stale read. */
const SCRIPT = `import { checkHistory, models } from 'raftsim/checker';
const write = { client: 1, call: 0, return: 10, input: { f: 'write', value: 1 }, output: {} };
const histories = {
  fine: [write, { client: 2, call: 5, return: 15, input: { f: 'read' }, output: { value: 1 } }],
  stale: [write, { client: 2, call: 20, return: 30, input: { f: 'read' }, output: { value: null } }],
};
for (const [name, history] of Object.entries(histories)) {
  const { verdict, offending } = checkHistory(history, models.register);
  console.log(name, verdict, offending.map((o) => o.index).join(',') || '-');
}
`;

/** The same in TypeScript, typed through the package's declarations; one line must not compile. */
const TYPED = `import { checkHistory, models, type HistoryVerdict, type Operation, type RegisterInput, type RegisterOutput } from 'raftsim/checker';
const history: Operation<RegisterInput, RegisterOutput>[] = [{ client: 1, call: 0, return: 1, input: { f: 'read' }, output: { value: null } }];
const verdict: HistoryVerdict<RegisterInput, RegisterOutput> = checkHistory(history, models.register);
const word: 'linearizable' | 'not-linearizable' | 'unknown' = verdict.verdict;
// @ts-expect-error a register has no 'get'
const wrong: Operation<RegisterInput, RegisterOutput> = { client: 1, call: 0, return: 1, input: { f: 'get' }, output: {} };
export { word, wrong };
`;

describe('import { checkHistory, models } from "raftsim/checker", from a project of the user\'s own', () => {
  let project: string;

  beforeAll(() => {
    const entry = join(ROOT, 'dist/src/checker/index.js');
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" (npm ci does it)`);
    project = mkdtempSync(join(tmpdir(), 'raftsim-user-'));
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(ROOT, join(project, 'node_modules/raftsim'), 'dir');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user', type: 'module', private: true }));
    writeFileSync(join(project, 'check.mjs'), SCRIPT);
    writeFileSync(join(project, 'check.ts'), TYPED);
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] },
      files: ['check.ts'],
    }));
  });

  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('runs, and prints each verdict with the operation to blame', () => {
    const run = spawnSync(process.execPath, ['check.mjs'], { cwd: project, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('fine linearizable -\nstale not-linearizable 1\n');
    expect(run.status).toBe(0);
  });

  it('runs the example of docs/checker-library.md as it is written', () => {
    const doc = readFileSync(join(ROOT, 'docs/checker-library.md'), 'utf8');
    const example = /```js\n([\s\S]*?)```/.exec(doc)![1]!;
    writeFileSync(join(project, 'example.mjs'), example);
    const run = spawnSync(process.execPath, ['example.mjs'], { cwd: project, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const [verdict, offending, ...explanation] = run.stdout.trimEnd().split('\n');
    expect(verdict).toBe('not-linearizable');
    expect(offending).toBe('[ 1 ]');
    expect(explanation.join('\n')).toContain('op 1 returned at 30 and had to take effect before that.');
  });

  it('is typed: TypeScript resolves the declarations through the exports map', () => {
    const run = spawnSync(process.execPath, [TSC, '-p', project], { cwd: project, encoding: 'utf8' });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('exposes nothing else of raftsim: a deep import is refused by the exports map', () => {
    writeFileSync(join(project, 'deep.mjs'), `import 'raftsim/dist/src/sim/run.js';\n`);
    const run = spawnSync(process.execPath, ['deep.mjs'], { cwd: project, encoding: 'utf8' });
    expect(run.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
    expect(run.status).not.toBe(0);
  });
});
