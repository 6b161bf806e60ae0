import { assert } from './assert.js';
import type { RaftLog } from './log.js';
import type { Message } from './messages.js';
import type { PersistRequest } from './ready.js';
import type { NodeId, Snapshot } from './types.js';

/**
 * The durability barrier (Raft paper Figure 2: "respond to RPCs only after updating stable
 * storage"). Tracks what changed since the last PersistRequest ("unstable" state), cuts requests,
 * learns from `persisted(id)` what storage holds, and holds back every message that reveals or
 * depends on state not yet durable.
 *
 * Rule: a held message is tagged with the id of the request that must be durable before it may go
 * out: the next id if some state is still unstable (it will ride in that request), else the last
 * id issued. Tags never decrease, so held messages form a FIFO released by prefix.
 *
 * For the leader's self-count (thesis §10.2.1) it also records, per request, the log's last index
 * and term at the moment the request was cut. Once that request is durable, storage holds exactly
 * that log, so `durableLastIndex/Term` name the durable log's tip even if the in-memory log has
 * since been truncated and rewritten (the caller compares terms to know whether they still agree).
 *
 * `holdUntil` and the durable tip are the node's whole view of what storage holds; a subclass that
 * overrides them models storage that reports writes it has not made (RaftNode.createDurability).
 */
export class Durability<C> {
  private nextId = 1;
  private durableId = 0;
  private hardStateDirty = false;
  /** The lowest log index written (appended or truncated) since the last request; 0 if none. */
  private unstableFrom = 0;
  private unstableSnapshot: Snapshot | null = null;

  private readonly issuedIds: number[] = [];
  private readonly issuedLastIndexes: number[] = [];
  private readonly issuedLastTerms: number[] = [];
  private issuedHead = 0;
  private durableTipIndex: number;
  private durableTipTerm: number;

  private readonly heldMessages: Message<C>[] = [];
  private readonly heldTags: number[] = [];
  private heldHead = 0;

  constructor(protected readonly log: RaftLog<C>) {
    // Whatever the node was built from is already durable.
    this.durableTipIndex = log.lastIndex;
    this.durableTipTerm = log.lastTerm;
  }

  /** The last index of the log as storage holds it (see the class comment). */
  get durableLastIndex(): number {
    return this.durableTipIndex;
  }

  /** The term of the entry at durableLastIndex, as storage holds it. */
  get durableLastTerm(): number {
    return this.durableTipTerm;
  }

  markHardState(): void {
    this.hardStateDirty = true;
  }

  /** Log entries from `index` on were appended, or will be rewritten after a truncation there. */
  markEntries(index: number): void {
    if (this.unstableFrom === 0 || index < this.unstableFrom) this.unstableFrom = index;
  }

  markSnapshot(snapshot: Snapshot): void {
    const previous = this.unstableSnapshot;
    if (previous !== null) {
      assert(snapshot.lastIncludedIndex > previous.lastIncludedIndex, 'durability: old snapshot');
    }
    this.unstableSnapshot = snapshot;
  }

  hasUnstable(): boolean {
    return this.hardStateDirty || this.unstableFrom !== 0 || this.unstableSnapshot !== null;
  }

  /** True if held messages are waiting for storage. */
  hasHeld(): boolean {
    return this.heldHead < this.heldMessages.length;
  }

  /** Ids of requests issued and not yet reported durable. */
  get pendingRequests(): number {
    return this.nextId - 1 - this.durableId;
  }

  /**
   * Sends `message` to `out` now if everything it may depend on is durable, else holds it until
   * `persisted` covers the request that makes it so.
   */
  send(message: Message<C>, out: Message<C>[]): void {
    const tag = this.holdUntil();
    if (tag <= this.durableId) {
      out.push(message);
      return;
    }
    this.heldMessages.push(message);
    this.heldTags.push(tag);
  }

  /** The request a message sent now must wait for: the one that makes everything written so far durable. */
  protected holdUntil(): number {
    return this.currentTag();
  }

  /** The id of the request that will make everything written so far durable (see `send`'s tag). */
  currentTag(): number {
    return this.hasUnstable() ? this.nextId : this.nextId - 1;
  }

  /** Whether the request `tag` (from currentTag) is durable. */
  isDurable(tag: number): boolean {
    return tag <= this.durableId;
  }

  /** Cuts a PersistRequest with everything unstable, or returns null if nothing is. */
  takeRequest(term: number, votedFor: NodeId | null): PersistRequest<C> | null {
    if (!this.hasUnstable()) return null;
    const log = this.log;
    const snapshot = this.unstableSnapshot;
    let entries: PersistRequest<C>['entries'] = EMPTY;
    if (this.unstableFrom !== 0) {
      // Entries a snapshot in this same request covers are not written (storage drops them).
      entries = log.slice(Math.max(this.unstableFrom, log.firstIndex), log.lastIndex);
      // A truncation is only expressible followed by an append, or under a snapshot that drops it.
      if (entries.length === 0) assert(snapshot !== null, 'durability: bare truncation');
    }
    const request: PersistRequest<C> = {
      id: this.nextId++,
      hardState: this.hardStateDirty ? { term, votedFor } : null,
      snapshot,
      entries,
    };
    this.hardStateDirty = false;
    this.unstableFrom = 0;
    this.unstableSnapshot = null;
    this.issuedIds.push(request.id);
    this.issuedLastIndexes.push(log.lastIndex);
    this.issuedLastTerms.push(log.lastTerm);
    return request;
  }

  /**
   * Storage reports requests through `id` durable. Moves the durable log tip and releases held
   * messages whose tag is now covered into `out`. Returns false if `id` was already covered.
   */
  persisted(id: number, out: Message<C>[]): boolean {
    assert(id < this.nextId, 'durability: persisted an id never issued');
    if (id <= this.durableId) return false;
    this.durableId = id;
    while (this.issuedHead < this.issuedIds.length && this.issuedIds[this.issuedHead]! <= id) {
      this.durableTipIndex = this.issuedLastIndexes[this.issuedHead]!;
      this.durableTipTerm = this.issuedLastTerms[this.issuedHead]!;
      this.issuedHead++;
    }
    if (this.issuedHead === this.issuedIds.length || this.issuedHead >= COMPACT_AT) {
      // Drop the consumed prefix so the queue stays bounded by the requests in flight.
      this.issuedIds.splice(0, this.issuedHead);
      this.issuedLastIndexes.splice(0, this.issuedHead);
      this.issuedLastTerms.splice(0, this.issuedHead);
      this.issuedHead = 0;
    }
    this.release(out);
    return true;
  }

  private release(out: Message<C>[]): void {
    const messages = this.heldMessages;
    while (this.heldHead < messages.length && this.heldTags[this.heldHead]! <= this.durableId) {
      out.push(messages[this.heldHead]!);
      this.heldHead++;
    }
    if (this.heldHead === messages.length || this.heldHead >= COMPACT_AT) {
      messages.splice(0, this.heldHead);
      this.heldTags.splice(0, this.heldHead);
      this.heldHead = 0;
    }
  }
}

const EMPTY: readonly never[] = Object.freeze([]);
/** Queues drop their consumed prefix at the latest when it reaches this length. */
const COMPACT_AT = 1024;
