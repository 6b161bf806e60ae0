/**
 * The workload: closed-loop clients, each with an explicit list of operations drawn up front from
 * the seed (so that a failing run can be shrunk by cutting operations while every other random
 * choice stays put). Values are unique per operation, which makes histories easy to check: a read
 * tells exactly which write it saw.
 */
import type { KvOperation } from '../kv/types.js';
import type { Prng } from './prng.js';
import type { OpKind, Scenario } from './scenario.js';
import { OP_KINDS } from './scenario.js';

export interface PlannedOp {
  /** Virtual ms the client waits after its previous operation before it calls this one. */
  readonly thinkMs: number;
  readonly op: KvOperation;
}

/** One list of planned operations per client; client ids are 1..clients. */
export function drawWorkload(scenario: Scenario, prng: Prng): PlannedOp[][] {
  const { clients, opsPerClient, keys, mix, thinkMsMax } = scenario.workload;
  const weights = OP_KINDS.filter((kind) => mix[kind] > 0).map((kind) => [kind, mix[kind]] as const);
  const written = new Map<string, string[]>();
  const plans: PlannedOp[][] = [];
  for (let client = 1; client <= clients; client++) {
    const plan: PlannedOp[] = [];
    for (let i = 1; i <= opsPerClient; i++) {
      const kind = prng.weighted<OpKind>(weights);
      const key = `k${prng.int(keys)}`;
      const value = `${client}.${i}`;
      plan.push({ thinkMs: prng.rangeInclusive(0, thinkMsMax), op: makeOp(kind, key, value, written, prng) });
    }
    plans.push(plan);
  }
  return plans;
}

function makeOp(kind: OpKind, key: string, value: string, written: Map<string, string[]>, prng: Prng): KvOperation {
  switch (kind) {
    case 'get':
      return { f: 'get', key };
    case 'delete':
      return { f: 'delete', key };
    case 'append':
      return { f: 'append', key, value: `${value};` };
    case 'put':
      remember(written, key, value);
      return { f: 'put', key, value };
    case 'cas': {
      // Expect absence, or a value some put or cas on this key writes, so that some cas succeed.
      const candidates = written.get(key) ?? [];
      const expected = candidates.length === 0 || prng.chance(0.25) ? null : prng.pick(candidates);
      remember(written, key, value);
      return { f: 'cas', key, expected, value };
    }
  }
}

function remember(written: Map<string, string[]>, key: string, value: string): void {
  const values = written.get(key);
  if (values) values.push(value);
  else written.set(key, [value]);
}
