/**
 * The monitor of storage recovery: a node restarts from exactly what it stored, or refuses to start.
 *
 * Stated as an invariant: the state a node recovers equals the state of its acknowledged writes
 * (every write its storage reported durable) followed by some prefix of the writes it had started
 * and not yet seen acknowledged (a crash may keep any of those, in order, whole; the engine's
 * checksums must drop a write it kept only in part). Anything else (an acknowledged write missing,
 * a term or vote it never wrote, an entry changed) means the node started after a fault it should
 * have noticed: a violation. Refusing to start is always allowed; the node then stays down.
 *
 * It keeps its own model of each node's storage, fed the same way as the durable view, but with
 * votes and commands too (commands are compared as JSON, since a recovered entry is a new object).
 */
import type { PersistRequest } from '../raft/ready.js';
import type { DurableState, LogEntry, NodeId } from '../raft/types.js';

interface StoredModel {
  term: number;
  votedFor: NodeId | null;
  snapshotIndex: number;
  snapshotTerm: number;
  /** entries[i] has index snapshotIndex + 1 + i. */
  entries: LogEntry[];
}

/** Past this many started and unacknowledged writes on one node, something is stuck: a bug of ours. */
export const UNACKED_WRITES_MAX = 100_000;

export class RecoveryCheck {
  private readonly acked: StoredModel[] = [];
  private readonly unacked: PersistRequest[][] = [];

  constructor(nodeCount: number) {
    for (let i = 0; i <= nodeCount; i++) {
      this.acked.push(emptyModel());
      this.unacked.push([]);
    }
  }

  /** The node handed `request` to its storage. */
  started(node: NodeId, request: PersistRequest): void {
    const list = this.unacked[node]!;
    if (list.length >= UNACKED_WRITES_MAX) throw new Error(`recovery check: n${node} has ${list.length} writes in flight, past ${UNACKED_WRITES_MAX}`);
    list.push(request);
  }

  /** The storage reported `request` durable: it must be the oldest one in flight (writes complete in order). */
  acknowledged(node: NodeId, request: PersistRequest): void {
    const first = this.unacked[node]!.shift();
    if (first !== request) throw new Error(`recovery check: n${node}'s write ${request.id} was acknowledged before write ${first?.id ?? '(none)'}`);
    apply(this.acked[node]!, request);
  }

  /**
   * The node recovered `state`. Returns what is wrong with it (null when it is faithful), and from
   * now on takes it as the node's stored state.
   */
  recovered(node: NodeId, state: DurableState): string | null {
    const pending = this.unacked[node]!;
    const candidate = cloneModel(this.acked[node]!);
    let problem = difference(candidate, state);
    for (let kept = 0; problem !== null && kept < pending.length; kept++) {
      apply(candidate, pending[kept]!);
      if (difference(candidate, state) === null) problem = null;
    }
    this.acked[node] = fromState(state);
    this.unacked[node] = [];
    return problem;
  }

  /** The node's storage is gone for good (it refused to start): nothing it held counts any more. */
  discarded(node: NodeId): void {
    this.acked[node] = emptyModel();
    this.unacked[node] = [];
  }
}

function emptyModel(): StoredModel {
  return { term: 0, votedFor: null, snapshotIndex: 0, snapshotTerm: 0, entries: [] };
}

function cloneModel(model: StoredModel): StoredModel {
  return { ...model, entries: model.entries.slice() };
}

function fromState(state: DurableState): StoredModel {
  return {
    term: state.hardState.term, votedFor: state.hardState.votedFor,
    snapshotIndex: state.snapshot?.lastIncludedIndex ?? 0, snapshotTerm: state.snapshot?.lastIncludedTerm ?? 0,
    entries: state.entries.slice(),
  };
}

/** The storage rules of PersistRequest (src/raft/ready.ts): snapshot, then entries, then hard state. */
function apply(model: StoredModel, request: PersistRequest): void {
  const snapshot = request.snapshot;
  if (snapshot && snapshot.lastIncludedIndex > model.snapshotIndex) {
    const covered = model.entries[snapshot.lastIncludedIndex - model.snapshotIndex - 1];
    model.entries = covered && covered.term === snapshot.lastIncludedTerm ? model.entries.slice(snapshot.lastIncludedIndex - model.snapshotIndex) : [];
    model.snapshotIndex = snapshot.lastIncludedIndex;
    model.snapshotTerm = snapshot.lastIncludedTerm;
  }
  const written = request.entries;
  const skip = written.length === 0 ? 0 : Math.max(0, model.snapshotIndex + 1 - written[0]!.index);
  if (skip < written.length) {
    const keep = written[skip]!.index - model.snapshotIndex - 1;
    if (keep > model.entries.length) throw new Error(`recovery check: a write at index ${written[skip]!.index} leaves a gap`);
    model.entries.length = keep;
    for (let i = skip; i < written.length; i++) model.entries.push(written[i]!);
  }
  if (request.hardState) {
    model.term = request.hardState.term;
    model.votedFor = request.hardState.votedFor;
  }
}

/** How `state` differs from the model, in words; null when it does not. */
function difference(model: StoredModel, state: DurableState): string | null {
  const { term, votedFor } = state.hardState;
  if (term !== model.term || votedFor !== model.votedFor) {
    return `term ${term} vote ${votedFor ?? 'none'} where it stored term ${model.term} vote ${model.votedFor ?? 'none'}`;
  }
  const snapshotIndex = state.snapshot?.lastIncludedIndex ?? 0;
  const snapshotTerm = state.snapshot?.lastIncludedTerm ?? 0;
  if (snapshotIndex !== model.snapshotIndex || snapshotTerm !== model.snapshotTerm) {
    return `a snapshot through ${snapshotIndex} (term ${snapshotTerm}) where it stored one through ${model.snapshotIndex} (term ${model.snapshotTerm})`;
  }
  const last = snapshotIndex + state.entries.length;
  const storedLast = model.snapshotIndex + model.entries.length;
  for (let i = 0; i < Math.min(state.entries.length, model.entries.length); i++) {
    const got = state.entries[i]!;
    const stored = model.entries[i]!;
    if (got.index !== stored.index || got.term !== stored.term || !sameCommand(got.command, stored.command)) {
      return `entry ${stored.index} as (index ${got.index}, term ${got.term}) where it stored term ${stored.term}${got.term === stored.term ? ' with another command' : ''}`;
    }
  }
  if (last !== storedLast) return `a log ending at index ${last} where it stored one ending at ${storedLast}`;
  return null;
}

/** Whether two commands are the same JSON value (a recovered command is a new object, decoded from JSON). */
export function sameCommand(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bKeys = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (aKeys.length !== bKeys.length) return false;
  for (const key of aKeys) {
    if (!sameCommand((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}
