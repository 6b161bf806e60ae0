import { defineConfig } from 'vitest/config';

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
  'test/sim/determinism.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'in-process', include: ['test/**/*.test.ts'], exclude: PROCESS_TESTS, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'processes', include: PROCESS_TESTS, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
