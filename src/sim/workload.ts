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

/**
 * Draws each client's operations as the client needs them, from one generator per client, so a
 * run never pays for operations it does not reach. Each client's list is a pure function of the
 * seed and of the order in which clients ask (itself fixed by the seed); `drawn` holds the lists
 * as drawn so far, which is the explicit record of the run's workload.
 */
export class WorkloadDrawer {
  readonly drawn: PlannedOp[][];
  private readonly prngs: Prng[];
  private readonly weights: (readonly [OpKind, number])[];
  private readonly written = new Map<string, string[]>();

  constructor(private readonly scenario: Scenario, prng: Prng) {
    const { clients, mix } = scenario.workload;
    this.weights = OP_KINDS.filter((kind) => mix[kind] > 0).map((kind) => [kind, mix[kind]] as const);
    this.drawn = Array.from({ length: clients }, () => []);
    this.prngs = Array.from({ length: clients }, (_, i) => prng.child(`client/${i + 1}`));
  }

  /** The client's i-th operation (0-based), drawing it if needed; null past opsPerClient. */
  get(client: number, i: number): PlannedOp | null {
    const list = this.drawn[client - 1]!;
    if (i < list.length) return list[i]!;
    if (i >= this.scenario.workload.opsPerClient) return null;
    const prng = this.prngs[client - 1]!;
    const kind = prng.weighted<OpKind>(this.weights);
    const key = `k${prng.int(this.scenario.workload.keys)}`;
    const value = `${client}.${i + 1}`;
    const planned = { thinkMs: prng.rangeInclusive(0, this.scenario.workload.thinkMsMax), op: makeOp(kind, key, value, this.written, prng) };
    list.push(planned);
    return planned;
  }
}

/** Every client's whole list, drawn up front (for tests and tools that want the lists at once). */
export function drawWorkload(scenario: Scenario, prng: Prng): PlannedOp[][] {
  const drawer = new WorkloadDrawer(scenario, prng);
  for (let client = 1; client <= scenario.workload.clients; client++) {
    for (let i = 0; drawer.get(client, i) !== null; i++);
  }
  return drawer.drawn;
}

/** A fixed list source: explicit lists given by the caller (a shrunk run, a replay). */
export class FixedWorkload {
  constructor(readonly drawn: readonly PlannedOp[][]) {}
  get(client: number, i: number): PlannedOp | null {
    return this.drawn[client - 1]?.[i] ?? null;
  }
}

export interface WorkloadSource {
  get(client: number, i: number): PlannedOp | null;
  readonly drawn: readonly (readonly PlannedOp[])[];
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
