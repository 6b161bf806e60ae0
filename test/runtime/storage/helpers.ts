/**
 * Shared by the storage tests: temporary directories, a seeded PRNG, a generator of valid random
 * PersistRequests, and the in-memory model (the simulator's SimDisk) they are checked against.
 */
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { PersistRequest } from '../../../src/raft/ready.js';
import type { DurableState, HardState, LogEntry, Snapshot } from '../../../src/raft/types.js';
import type { KvCommand, KvSnapshotData } from '../../../src/kv/types.js';
import { SimDisk } from '../../../src/sim/disk.js';

const made: string[] = [];

/** A fresh directory, removed after the test. */
export function tempDir(label = 'raftsim-storage-'): string {
  const dir = mkdtempSync(join(tmpdir(), label));
  made.push(dir);
  return dir;
}

/** A copy of `dir` to damage, removed after the test. */
export function copyDir(dir: string): string {
  const copy = tempDir('raftsim-storage-copy-');
  cpSync(dir, copy, { recursive: true });
  return copy;
}

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function segmentFiles(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.startsWith('wal-')).sort();
}

export function snapshotFiles(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.startsWith('snapshot-')).sort();
}

/** mulberry32: small, seeded, good enough to drive a test. */
export class Prng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }
}

/** The model: SimDisk with every write completed at once. */
export class Model {
  private readonly disk = new SimDisk<KvCommand>();
  apply(request: PersistRequest<KvCommand>): void {
    this.disk.write(request, 0, 0);
    this.disk.completeOldest();
  }
  state(): DurableState<KvCommand> {
    return this.disk.recover();
  }
}

/**
 * Generates requests a node could cut, valid against the model's state (no gaps): hard state
 * changes, appends, truncating appends (some reaching back into the snapshot), snapshots that
 * keep the log, snapshots that drop it (a conflicting term, or beyond the log), stale snapshots,
 * and every combination of the three parts in one request.
 */
export class RequestGenerator {
  private nextId = 1;
  private term = 1;
  private counter = 0;
  constructor(private readonly rng: Prng, private readonly model: Model) {}

  next(): PersistRequest<KvCommand> {
    const rng = this.rng;
    const current = this.model.state();
    const snapIndex = current.snapshot?.lastIncludedIndex ?? 0;
    const lastIndex = snapIndex + current.entries.length;
    const termAt = (i: number): number | undefined => current.entries[i - snapIndex - 1]?.term;

    let hardState: HardState | null = null;
    if (rng.chance(0.3)) {
      if (rng.chance(0.5)) this.term++;
      hardState = { term: this.term, votedFor: rng.chance(0.3) ? null : rng.int(1, 5) };
    }

    let snapshot: Snapshot | null = null;
    let snapAfter = snapIndex;
    let lastAfter = lastIndex;
    if (rng.chance(0.12)) {
      const index = rng.int(Math.max(1, snapIndex - 2), lastIndex + 3);
      const stored = termAt(index);
      const kind = rng.int(0, 2);
      const term = kind === 0 && stored !== undefined ? stored : kind === 1 ? this.term : rng.int(1, this.term + 1);
      snapshot = { lastIncludedIndex: index, lastIncludedTerm: term, data: this.snapshotData(index) };
      if (index > snapIndex) {
        snapAfter = index;
        lastAfter = stored === term ? lastIndex : index;
      }
    }

    const entries: LogEntry<KvCommand>[] = [];
    if (rng.chance(0.75)) {
      const truncating = rng.chance(0.25);
      const from = truncating ? rng.int(Math.max(1, snapAfter - 2), lastAfter + 1) : lastAfter + 1;
      if (truncating) this.term++;
      const count = rng.int(1, rng.chance(0.1) ? 40 : 5);
      for (let i = 0; i < count; i++) entries.push({ index: from + i, term: this.term, command: this.command() });
    }
    return { id: this.nextId++, hardState, snapshot, entries };
  }

  private command(): KvCommand | null {
    if (this.rng.chance(0.1)) return null;
    const n = this.counter++;
    const value = this.rng.pick(['x', 'hello', 'ünïcødé ✓', '"quoted"\n', 'a'.repeat(this.rng.int(0, 300))]);
    return { clientId: this.rng.int(1, 4), seq: n, op: this.rng.pick([
      { f: 'put', key: `k${n % 7}`, value },
      { f: 'append', key: `k${n % 5}`, value },
      { f: 'cas', key: 'c', expected: this.rng.chance(0.5) ? null : value, value: 'v' },
      { f: 'delete', key: 'd' },
      { f: 'get', key: 'g' },
    ] as const) };
  }

  private snapshotData(index: number): KvSnapshotData {
    return {
      lastAppliedIndex: index,
      entries: [['a', `value at ${index}`], ['b', 'é'.repeat(this.rng.int(0, 50))]],
      sessions: [[1, index, {}], [2, 3, { ok: true }]],
    };
  }
}

/** A log built one awaited request at a time, with what each request left behind. */
export interface BuiltLog {
  readonly dir: string;
  readonly requests: readonly PersistRequest<KvCommand>[];
  /** The model's state after requests[0..i]. */
  readonly states: readonly DurableState<KvCommand>[];
  /** The size of the newest segment file after requests[0..i]. */
  readonly sizes: readonly number[];
  /** The newest segment file after requests[0..i]. */
  readonly segments: readonly string[];
}

export async function buildLog(
  open: (dir: string) => Promise<{ persist(r: PersistRequest<KvCommand>): Promise<void>; close(): Promise<void> }>,
  requests: readonly PersistRequest<KvCommand>[],
): Promise<BuiltLog> {
  const { statSync } = await import('node:fs');
  const dir = tempDir();
  const storage = await open(dir);
  const model = new Model();
  const states: DurableState<KvCommand>[] = [];
  const sizes: number[] = [];
  const segments: string[] = [];
  for (const request of requests) {
    await storage.persist(request);
    model.apply(request);
    states.push(model.state());
    const newest = join(dir, segmentFiles(dir).at(-1)!);
    segments.push(newest);
    sizes.push(statSync(newest).size);
  }
  await storage.close();
  return { dir, requests, states, sizes, segments };
}

/** `count` random requests from `seed`, and the model's state before the first and after each one. */
export function generateRequests(seed: number, count: number): { requests: PersistRequest<KvCommand>[]; states: DurableState<KvCommand>[] } {
  const model = new Model();
  const gen = new RequestGenerator(new Prng(seed), model);
  const requests: PersistRequest<KvCommand>[] = [];
  const states: DurableState<KvCommand>[] = [model.state()];
  for (let i = 0; i < count; i++) {
    const request = gen.next();
    model.apply(request);
    requests.push(request);
    states.push(model.state());
  }
  return { requests, states };
}

export function modelAfter(requests: readonly PersistRequest<KvCommand>[]): DurableState<KvCommand> {
  const model = new Model();
  requests.forEach((r) => model.apply(r));
  return model.state();
}

/** A simple valid sequence: appends with hard state changes and one snapshot in the middle. */
export function simpleRequests(count: number): PersistRequest<KvCommand>[] {
  const requests: PersistRequest<KvCommand>[] = [];
  let index = 0;
  for (let id = 1; id <= count; id++) {
    const entries = Array.from({ length: 3 }, () => {
      index++;
      return { index, term: 2, command: { clientId: 1, seq: index, op: { f: 'append', key: 'k', value: `v${index}` } } as KvCommand };
    });
    const snapshot = id === Math.ceil(count / 2) ? { lastIncludedIndex: index - 4, lastIncludedTerm: 2, data: { lastAppliedIndex: index - 4, entries: [['k', 'v']], sessions: [] } } : null;
    requests.push({ id, hardState: { term: 2, votedFor: id % 3 === 0 ? null : 2 }, snapshot, entries });
  }
  return requests;
}
