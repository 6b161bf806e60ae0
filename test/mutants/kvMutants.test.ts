/**
 * Each KV mutant breaks the one exactly-once rule it names, and the correct state machine keeps
 * it: the same log applied to a KvStateMachine and to the mutant, side by side.
 */
import { describe, expect, it } from 'vitest';
import { KvStateMachine } from '../../src/kv/index.js';
import type { KvCommand } from '../../src/kv/index.js';
import {
  DedupeLastSeqOnlyMachine, ExpireByLocalClockMachine, NoDuplicateDetectionMachine, SnapshotWithoutSessionsMachine,
} from '../../src/mutants/index.js';

const append: KvCommand = { clientId: 1, seq: 1, op: { f: 'append', key: 'k', value: 'x' } };
const put = (clientId: number, seq: number, timeMs: number): KvCommand =>
  ({ clientId, seq, timeMs, op: { f: 'put', key: 'k', value: `v${seq}` } });

function applyAll(machine: KvStateMachine, commands: readonly KvCommand[]) {
  return commands.map((command) => machine.apply(command, machine.lastAppliedIndex + 1));
}

describe('kv mutants each break the rule they name', () => {
  it('no-duplicate-detection: an append that reaches the log twice appends twice', () => {
    for (const [machine, value] of [[new KvStateMachine(), 'x'], [new NoDuplicateDetectionMachine(), 'xx']] as const) {
      applyAll(machine, [append, append]);
      expect(machine.read('k')).toBe(value);
    }
  });

  it('dedupe-last-seq-only: a late copy of an older seq is applied again', () => {
    const late = { ...append, seq: 1 };
    const log = [append, { ...append, seq: 2 }, late];
    for (const [machine, value] of [[new KvStateMachine(), 'xx'], [new DedupeLastSeqOnlyMachine(), 'xxx']] as const) {
      applyAll(machine, log);
      expect(machine.read('k')).toBe(value);
    }
  });

  it('snapshot-without-sessions: a machine restored from its snapshot applies a retry again', () => {
    for (const [Kind, value] of [[KvStateMachine, 'x'], [SnapshotWithoutSessionsMachine, 'xx']] as const) {
      const source = new Kind();
      source.apply(append, 1);
      const target = new Kind();
      target.restore(source.snapshot());
      target.apply(append, 2);
      expect(target.read('k')).toBe(value);
    }
  });

  it('expire-by-local-clock: two replicas that apply at different local times disagree', () => {
    const log = [put(1, 1, 0), put(2, 1, 10), put(1, 2, 20)];
    const clock = (times: number[]) => () => times.shift()!;
    const early = new ExpireByLocalClockMachine({ sessionExpiryMs: 100 }, clock([0, 10, 20]));
    // This replica applied the third entry much later (it was down, then caught up).
    const late = new ExpireByLocalClockMachine({ sessionExpiryMs: 100 }, clock([0, 10, 5000]));
    expect(applyAll(early, log)[2]).toEqual({});
    expect(applyAll(late, log)[2]).toEqual({ error: 'session-expired' });
    // The correct machine reads only the stamps: the third entry finds client 1's session alive.
    expect(applyAll(new KvStateMachine({ sessionExpiryMs: 100 }), log)[2]).toEqual({});
  });
});
