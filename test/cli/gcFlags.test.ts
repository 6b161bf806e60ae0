/** `raftsim fuzz` restarts itself with --single-threaded-gc (src/cli/gcFlags.ts); nothing else does. */
import { afterEach, describe, expect, it } from 'vitest';
import { wantsSingleThreadedGc } from '../../src/cli/gcFlags.js';

afterEach(() => {
  delete process.env.RAFTSIM_GC_FLAGS;
});

describe('the GC flag of fuzz campaigns', () => {
  it('is wanted by fuzz only, unless the process has it or the user keeps the default', () => {
    expect(process.execArgv).not.toContain('--single-threaded-gc');
    expect(wantsSingleThreadedGc(['fuzz', 'lossy-churn'])).toBe(true);
    expect(wantsSingleThreadedGc(['run', 'lossy-churn'])).toBe(false);
    expect(wantsSingleThreadedGc([])).toBe(false);
    process.env.RAFTSIM_GC_FLAGS = 'keep';
    expect(wantsSingleThreadedGc(['fuzz'])).toBe(false);
  });
});
