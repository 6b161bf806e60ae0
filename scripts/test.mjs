#!/usr/bin/env node
// Runs the whole vitest suite and ends with one plain line, "N passed, N failed", counted from
// vitest's JSON report. Exits non-zero when any test failed or the suite could not run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const report = join(mkdtempSync(join(tmpdir(), 'raftsim-test-')), 'vitest.json');
const vitest = spawnSync(
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
if (!existsSync(report)) {
  console.log('0 passed, 1 failed');
  console.error('test: vitest wrote no report; the suite did not run');
  process.exit(1);
}
const results = JSON.parse(readFileSync(report, 'utf8'));
const passed = results.numPassedTests ?? 0;
// A test file that failed to load has no test results of its own: count it as one failure.
const unloadable = (results.testResults ?? []).filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length;
const failed = (results.numFailedTests ?? 0) + unloadable;
const skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(vitest.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
