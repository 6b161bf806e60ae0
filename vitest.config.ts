import { defineConfig } from 'vitest/config';
import { scaled } from './test/support/timeFactor.js';

/**
 * Two groups. Tests that start processes (the CLI, real clusters, chromium) run one file at a time,
 * after the in-process tests, so that they never compete with each other for this machine's cores
 * and ports: a loaded machine makes them slower, never red. Everything else runs in parallel.
 */
const PROCESS_TESTS = [
  'test/cli/**/*.test.ts',
  'test/runtime/**/*.test.ts',
  'test/jepsen/**/*.test.ts',
  'test/report/browser.test.ts',
  'test/checker/cli.test.ts',
  'test/checker/visualize.test.ts',
  'test/checker/checkPage.test.ts',
  'test/checker/libraryImport.test.ts',
  'test/report/openAtFailure.test.ts',
  'test/sim/determinism.test.ts',
  'test/readme/**/*.test.ts',
];

/**
 * A test's time limit only stops a hang; it never judges speed. In-process tests are deterministic
 * and CPU-bound (the bug self-test searches up to 2000 seeds), so a loaded machine can make them
 * many times slower: their limit is generous. Both scale with RAFTSIM_TEST_TIME_FACTOR.
 */
const IN_PROCESS_LIMIT_MS = scaled(900_000);
const PROCESS_LIMIT_MS = scaled(180_000);

export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: 'in-process', include: ['test/**/*.test.ts'], exclude: PROCESS_TESTS, sequence: { groupOrder: 0 }, testTimeout: IN_PROCESS_LIMIT_MS, hookTimeout: IN_PROCESS_LIMIT_MS } },
      { extends: true, test: { name: 'processes', include: PROCESS_TESTS, fileParallelism: false, sequence: { groupOrder: 1 }, testTimeout: PROCESS_LIMIT_MS, hookTimeout: PROCESS_LIMIT_MS } },
    ],
  },
});
