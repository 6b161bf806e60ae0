/**
 * Exactly-once sessions as a property: a log in which client requests reach the log again
 * (retries, delayed duplicates, after the client's next request too) leaves the same state and
 * gives the same outputs as the log without the copies. A copy of a write is answered from the
 * session table while its seq is the client's latest; a copy of a read runs the read again at its
 * own place in the log (a point inside the same operation); a copy is dropped (null) once the
 * client has moved on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KvStateMachine } from '../../src/kv/stateMachine.js';
import type { KvCommand, KvOperation, KvOutput } from '../../src/kv/types.js';

const RUNS = 1000;

const key = fc.constantFrom('a', 'b');
const value = fc.constantFrom('x', 'y', '');
const operation: fc.Arbitrary<KvOperation> = fc.oneof(
  fc.record({ f: fc.constant('get' as const), key }),
  fc.record({ f: fc.constant('put' as const), key, value }),
  fc.record({ f: fc.constant('append' as const), key, value }),
  fc.record({ f: fc.constant('delete' as const), key }),
  fc.record({ f: fc.constant('cas' as const), key, expected: fc.option(value, { nil: null }), value }),
);

/** A log entry: a client's command, and whether it is a copy of one earlier in the log. */
interface Entry {
  readonly command: KvCommand;
  readonly copy: boolean;
}

/**
 * Requests by three closed-loop clients (seq 1, 2, … each), then copies of some of them, each
 * put `delay` requests after its original (so possibly after the client's next requests).
 */
const logs: fc.Arbitrary<Entry[]> = fc.record({
  requests: fc.array(fc.record({ clientId: fc.integer({ min: 1, max: 3 }), op: operation }), { minLength: 1, maxLength: 20 }),
  copies: fc.array(fc.record({ of: fc.nat(), delay: fc.nat(6) }), { maxLength: 10 }),
}).map(({ requests, copies }) => {
  const seqs = new Map<number, number>();
  const originals = requests.map(({ clientId, op }): KvCommand => {
    const seq = (seqs.get(clientId) ?? 0) + 1;
    seqs.set(clientId, seq);
    return { clientId, seq, op };
  });
  const copiesAfter = originals.map((): KvCommand[] => []);
  for (const { of, delay } of copies) {
    const original = of % originals.length;
    copiesAfter[Math.min(original + delay, originals.length - 1)]!.push(originals[original]!);
  }
  return originals.flatMap((command, i) => [{ command, copy: false }, ...copiesAfter[i]!.map((c) => ({ command: c, copy: true }))]);
});

/** Applies commands at indexes 1, 2, …; a fresh machine restored from a snapshot takes over at `restartAt`. */
function applyAll(commands: readonly KvCommand[], restartAt: number | null) {
  let machine = new KvStateMachine();
  let answeredFromSessions = 0;
  const outputs = commands.map((command, i) => {
    if (i === restartAt) {
      answeredFromSessions += machine.duplicatesAnswered + machine.staleDuplicates;
      const restored = new KvStateMachine();
      restored.restore(machine.snapshot());
      machine = restored;
    }
    return machine.apply(command, i + 1);
  });
  answeredFromSessions += machine.duplicatesAnswered + machine.staleDuplicates;
  const { entries, sessions } = machine.snapshot();
  return { outputs, state: { entries, sessions }, answeredFromSessions };
}

describe('KvStateMachine exactly-once, as a property', () => {
  it(`copies of requests change neither the state nor any output (${RUNS} logs, some restored from a snapshot midway)`, () => {
    fc.assert(fc.property(logs, fc.option(fc.nat(30), { nil: null }), (log, restartAt) => {
      const originals = log.filter((entry) => !entry.copy).map((entry) => entry.command);
      const expected = applyAll(originals, null);
      const actual = applyAll(log.map((entry) => entry.command), restartAt);

      expect(actual.state).toEqual(expected.state);
      // Walk the log beside a machine fed the originals only: an original gets its output from the
      // log without copies; a copy of a write the same output while it is its client's latest
      // request, a copy of a read the value at its own place; any copy null once stale.
      const outputOf = new Map<string, KvOutput | null>();
      const latestSeq = new Map<number, number>();
      const reference = new KvStateMachine();
      let original = 0;
      let rereads = 0;
      log.forEach(({ command, copy }, i) => {
        const id = `${command.clientId}/${command.seq}`;
        if (!copy) {
          outputOf.set(id, expected.outputs[original++]! as KvOutput);
          latestSeq.set(command.clientId, command.seq);
          reference.apply(command, reference.lastAppliedIndex + 1);
        }
        const stale = command.seq < latestSeq.get(command.clientId)!;
        const reread = copy && !stale && command.op.f === 'get';
        if (reread) rereads++;
        const want = stale ? null : reread ? { value: reference.read(command.op.key) } : outputOf.get(id);
        expect(actual.outputs[i], `log[${i}] ${id}${copy ? ' (copy)' : ''}`).toEqual(want);
      });
      expect(actual.answeredFromSessions).toBe(log.length - originals.length - rereads);
    }), { numRuns: RUNS });
  });
});
