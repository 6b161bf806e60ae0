/**
 * Shared by the storage tests: temporary directories, fast-check arbitraries of valid
 * PersistRequest sequences, and the in-memory model (the simulator's SimDisk) they are checked against.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { decodeMark } from '../../../src/storage/durableMark.js';
import { waitFor } from '../../support/wait.js';
import { afterEach } from 'vitest';
import type { PersistRequest } from '../../../src/raft/ready.js';
import type { DurableState, HardState, LogEntry, Snapshot } from '../../../src/raft/types.js';
import type { KvCommand, KvOperation, KvSnapshotData } from '../../../src/kv/types.js';
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

/** `arbitrary` in `times` draws out of `of`, else null (what it shrinks to). */
function sometimes<T>(times: number, of: number, arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: of - times, arbitrary: fc.constant(null) }, { weight: times, arbitrary });
}

const value = fc.oneof(
  fc.constantFrom('x', 'hello', 'ünïcødé ✓', '"quoted"\n'),
  fc.nat(300).map((n) => 'a'.repeat(n)),
  fc.string({ unit: 'binary', maxLength: 8 }), // lone surrogates too
);

const operation: fc.Arbitrary<KvOperation> = fc.oneof(
  fc.record({ f: fc.constant('put' as const), key: fc.constantFrom('k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6'), value }),
  fc.record({ f: fc.constant('append' as const), key: fc.constantFrom('k0', 'k1', 'k2', 'k3', 'k4'), value }),
  fc.record({ f: fc.constant('cas' as const), key: fc.constant('c'), expected: fc.option(value, { nil: null }), value: fc.constant('v') }),
  fc.record({ f: fc.constant('delete' as const), key: fc.constant('d') }),
  fc.record({ f: fc.constant('get' as const), key: fc.constant('g') }),
);

/** A client command, or null (a no-op entry) one time in 10. */
const command = fc.option(fc.record({ clientId: fc.integer({ min: 1, max: 4 }), op: operation }), { nil: null, freq: 10 });

/**
 * One request as choices that stay valid whatever the state they meet (positions are taken
 * modulo the range that is valid then), so that fast-check can drop or simplify any request
 * while the others still make sense. Null parts are absent.
 */
export interface RequestPlan {
  readonly hardState: { readonly newTerm: boolean; readonly votedFor: number | null } | null;
  /** At a position from 2 before the snapshot to 3 past the log; `term` picks the stored term, the current one or another. */
  readonly snapshot: { readonly at: number; readonly term: 'stored' | 'current' | 'other'; readonly otherTerm: number; readonly filler: number } | null;
  /** Appended after the log, or from `truncateAt` (2 before the snapshot to the end of the log) in a new term. */
  readonly entries: { readonly truncateAt: number | null; readonly commands: readonly ({ clientId: number; op: KvOperation } | null)[] } | null;
}

export const requestPlan: fc.Arbitrary<RequestPlan> = fc.record({
  hardState: sometimes(3, 10, fc.record({ newTerm: fc.boolean(), votedFor: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null, freq: 3 }) })),
  snapshot: sometimes(12, 100, fc.record({
    at: fc.nat(), term: fc.constantFrom('stored' as const, 'current' as const, 'other' as const), otherTerm: fc.nat(), filler: fc.nat(50),
  })),
  entries: sometimes(3, 4, fc.record({
    truncateAt: sometimes(1, 4, fc.nat()),
    commands: fc.oneof(
      { weight: 9, arbitrary: fc.array(command, { minLength: 1, maxLength: 5 }) },
      { weight: 1, arbitrary: fc.array(command, { minLength: 1, maxLength: 40, size: 'max' }) },
    ),
  })),
});

/**
 * Turns plans into requests a node could cut, valid against the model's state (no gaps): hard
 * state changes, appends, truncating appends (some reaching back into the snapshot), snapshots
 * that keep the log, snapshots that drop it (a conflicting term, or beyond the log), stale
 * snapshots, and every combination of the three parts in one request.
 */
export function requestsFromPlans(plans: readonly RequestPlan[]): PersistRequest<KvCommand>[] {
  const model = new Model();
  let term = 1;
  let seq = 0;
  return plans.map((plan, i) => {
    const current = model.state();
    const snapIndex = current.snapshot?.lastIncludedIndex ?? 0;
    const lastIndex = snapIndex + current.entries.length;
    const termAt = (index: number): number | undefined => current.entries[index - snapIndex - 1]?.term;
    const within = (position: number, min: number, max: number): number => min + (position % (max - min + 1));

    let hardState: HardState | null = null;
    if (plan.hardState) {
      if (plan.hardState.newTerm) term++;
      hardState = { term, votedFor: plan.hardState.votedFor };
    }

    let snapshot: Snapshot | null = null;
    let snapAfter = snapIndex;
    let lastAfter = lastIndex;
    if (plan.snapshot) {
      const index = within(plan.snapshot.at, Math.max(1, snapIndex - 2), lastIndex + 3);
      const stored = termAt(index);
      const kind = plan.snapshot.term;
      const snapshotTerm = kind === 'stored' && stored !== undefined ? stored : kind === 'current' ? term : 1 + (plan.snapshot.otherTerm % (term + 1));
      snapshot = { lastIncludedIndex: index, lastIncludedTerm: snapshotTerm, data: snapshotData(index, plan.snapshot.filler) };
      if (index > snapIndex) {
        snapAfter = index;
        lastAfter = stored === snapshotTerm ? lastIndex : index;
      }
    }

    const entries: LogEntry<KvCommand>[] = [];
    if (plan.entries) {
      const { truncateAt, commands } = plan.entries;
      const from = truncateAt === null ? lastAfter + 1 : within(truncateAt, Math.max(1, snapAfter - 2), lastAfter + 1);
      if (truncateAt !== null) term++;
      commands.forEach((command, k) => {
        entries.push({ index: from + k, term, command: command && { clientId: command.clientId, seq: ++seq, op: command.op } });
      });
    }
    const request = { id: i + 1, hardState, snapshot, entries };
    model.apply(request);
    return request;
  });
}

function snapshotData(index: number, filler: number): KvSnapshotData {
  return {
    lastAppliedIndex: index,
    entries: [['a', `value at ${index}`], ['b', 'é'.repeat(filler)]],
    sessions: [[1, index, {}], [2, 3, { ok: true }]],
  };
}

/** Valid request sequences (see requestsFromPlans); they shrink to fewer, simpler requests. */
export function requestSequences(length: { minLength?: number; maxLength: number }): fc.Arbitrary<PersistRequest<KvCommand>[]> {
  return fc.array(requestPlan, { ...length, size: 'max' }).map(requestsFromPlans);
}

/** The model's state before the first request and after each one. */
export function modelStates(requests: readonly PersistRequest<KvCommand>[]): DurableState<KvCommand>[] {
  const model = new Model();
  return [model.state(), ...requests.map((request) => {
    model.apply(request);
    return model.state();
  })];
}

/**
 * `count` requests drawn with fast-check from `seed`, and the model's state before the first and
 * after each one: for kill.test.ts, whose child process must draw the same requests from the seed.
 */
export function generateRequests(seed: number, count: number): { requests: PersistRequest<KvCommand>[]; states: DurableState<KvCommand>[] } {
  const [requests] = fc.sample(requestSequences({ minLength: count, maxLength: count }), { seed, numRuns: 1 });
  return { requests: requests!, states: modelStates(requests!) };
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
  /** The files requests[i] deleted (segments a snapshot covers, the older snapshot). */
  readonly deleted: readonly (readonly string[])[];
  /** The durable mark file (DURABLE) after requests[0..i]. */
  readonly marks: readonly Buffer[];
  /** The newest segment file, its size and the durable mark after open, before the first request. */
  readonly opened: { readonly segment: string; readonly size: number; readonly mark: Buffer };
}

export const MARK_FILE = 'DURABLE';

/**
 * Puts back the durable mark `dir` had before requests[i] (i = 0: as opened). A crash that tears
 * the write of requests[i] comes before its fsync, so before the mark could claim it: a torn-write
 * test must start from that mark, or recovery rightly refuses the cut as lost durable records.
 */
export function markBefore(log: BuiltLog, i: number, dir = log.dir): void {
  writeFileSync(join(dir, MARK_FILE), i === 0 ? log.opened.mark : log.marks[i - 1]!);
}

export async function buildLog(
  open: (dir: string) => Promise<{ persist(r: PersistRequest<KvCommand>): Promise<void>; close(): Promise<void> }>,
  requests: readonly PersistRequest<KvCommand>[],
): Promise<BuiltLog> {
  const dir = tempDir();
  const storage = await open(dir);
  const first = join(dir, segmentFiles(dir).at(-1)!);
  const opened = { segment: first, size: statSync(first).size, mark: readFileSync(join(dir, MARK_FILE)) };
  const marks: Buffer[] = [];
  const model = new Model();
  const states: DurableState<KvCommand>[] = [];
  const sizes: number[] = [];
  const segments: string[] = [];
  const deleted: string[][] = [];
  for (const request of requests) {
    const before = readdirSync(dir);
    await storage.persist(request);
    const after = new Set(readdirSync(dir));
    deleted.push(before.filter((name) => !after.has(name)));
    model.apply(request);
    states.push(model.state());
    const newest = join(dir, segmentFiles(dir).at(-1)!);
    segments.push(newest);
    sizes.push(statSync(newest).size);
    marks.push(readFileSync(join(dir, MARK_FILE)));
  }
  await storage.close();
  return { dir, requests, states, sizes, segments, deleted, marks, opened };
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

/**
 * Where the records of a WAL segment end: the byte after its last non-zero byte. The writer puts
 * zeros ahead of its appends (preallocation), so a segment's file is longer than its records.
 */
export function walDataEnd(path: string): number {
  const bytes = readFileSync(path);
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return end;
}

/**
 * Waits until the durable mark in `dir` claims index `lastIndex`. The mark lags what is durable by
 * up to MARK_INTERVAL_MS, by design: a test that cuts a WAL to show that lost durable records are
 * refused must first let the mark claim them (a cut past the mark is a torn tail, rightly accepted).
 */
export async function waitForDurableMark(dir: string, lastIndex: number): Promise<void> {
  const markPath = join(dir, MARK_FILE);
  await waitFor(`the durable mark in ${dir} to claim index ${lastIndex}`, () => readFileSync(markPath),
    (bytes) => decodeMark(markPath, bytes).position.lastIndex >= lastIndex);
}
