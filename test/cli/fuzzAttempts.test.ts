import { describe, expect, it } from 'vitest';
import type { RunOutcome } from '../../src/cli/fuzz/protocol.js';
import { combineAttempts } from '../../src/cli/fuzz/scheduler.js';

const outcome = (traceHash: string, status: RunOutcome['status'] = 'pass'): RunOutcome => ({
  scenarioIndex: 0, seed: 7, status, violation: null, traceHash, events: 10, virtualMs: 100,
  operations: 5, pendingOperations: 0, checked: true, checkMs: 1, wallMs: 2,
});

describe('--check-determinism: combining the two attempts of a seed', () => {
  it('fails the seed with a determinism violation when the trace hashes differ', () => {
    const combined = combineAttempts([outcome('aaaa'), outcome('bbbb')]);
    expect(combined.status).toBe('fail');
    expect(combined.violation).toMatchObject({ kind: 'determinism', invariant: 'trace-hash' });
    expect(combined.violation!.message).toContain('aaaa and bbbb');
  });

  it('passes when both traces agree, and keeps a timed-out check unknown', () => {
    expect(combineAttempts([outcome('aaaa'), outcome('aaaa')]).status).toBe('pass');
    expect(combineAttempts([outcome('aaaa'), outcome('aaaa', 'unknown')]).status).toBe('unknown');
  });
});
