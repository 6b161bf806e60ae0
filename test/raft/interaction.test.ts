/**
 * Golden interaction tests (after etcd-io/raft's interaction_test.go): every file in
 * test/raft/testdata/ is one test, a story told in commands against real RaftNodes and checked
 * line by line. Format and rewriting (UPDATE_GOLDEN=1): see datadriven/runner.ts.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { runCommand } from './datadriven/commands/index.js';
import { InteractionEnv } from './datadriven/env.js';
import { runDataDrivenFile } from './datadriven/runner.js';

const TESTDATA = join(import.meta.dirname, 'testdata');
const files = readdirSync(TESTDATA).filter((f) => f.endsWith('.txt')).sort();

describe('interaction (test/raft/testdata/*.txt)', () => {
  it('finds golden files', () => {
    if (files.length === 0) throw new Error(`no .txt files in ${TESTDATA}`);
  });

  it.each(files)('%s', (file) => {
    const env = new InteractionEnv();
    runDataDrivenFile(join(TESTDATA, file), (stanza) => runCommand(env, stanza.command));
  });
});
