/**
 * The KV store's vocabulary: operations, their results, the command that goes through the Raft log,
 * and the request/response messages between a client and a server.
 *
 * Semantics (the `raftsim-kv` model of the checker implements exactly these):
 * - an absent key is distinct from a key holding "": get of an absent key returns value null;
 * - put sets; append concatenates (append to an absent key acts like put); delete removes;
 * - cas(key, expected, value) sets key to value iff its current value equals expected, where
 *   expected null means "the key is absent" (so cas with expected null is create-if-absent),
 *   and returns ok true or false.
 */
import type { NodeId } from '../raft/types.js';

export type KvOperation =
  | { readonly f: 'get'; readonly key: string }
  | { readonly f: 'put'; readonly key: string; readonly value: string }
  | { readonly f: 'append'; readonly key: string; readonly value: string }
  | { readonly f: 'delete'; readonly key: string }
  | { readonly f: 'cas'; readonly key: string; readonly expected: string | null; readonly value: string };

/** get → {value}; put, append, delete → {}; cas → {ok}. */
export type KvOutput =
  | { readonly value: string | null }
  | { readonly ok: boolean }
  | Record<string, never>;

/**
 * What a committed entry the state machine could not carry out comes to, the same on every
 * replica: `session-expired` (the client has no session and the command may not open one: not
 * applied) or `malformed-command` (not a command this store knows: not applied, nothing changed).
 */
export type KvError = 'session-expired' | 'malformed-command';
export interface KvErrorOutput {
  readonly error: KvError;
}

/** How a request relates to its client's session (see `KvRequest`). */
export interface KvSessionFlags {
  /** Keep no session for this request (a one-shot client: nobody will retry it). */
  readonly oneShot?: boolean;
  /**
   * An earlier copy of this seq may have reached the log (the client timed out, or was told the
   * outcome is unknown), so this copy of seq 1 may not open a session once any session was ever
   * dropped: had the first copy opened one that then expired, opening it again would apply the
   * command twice.
   */
  readonly retried?: boolean;
}

/** What goes through the Raft log. (clientId, seq) makes it exactly-once. */
export interface KvCommand extends KvSessionFlags {
  readonly clientId: number;
  readonly seq: number;
  readonly op: KvOperation;
  /**
   * The proposing leader's clock (ms) when it proposed: the log's clock, made monotonic on apply,
   * that expires idle sessions at the same index on every replica. Absent in older entries.
   */
  readonly timeMs?: number;
}

/**
 * A client's request. Seq 1 opens the client's session (unless `retried`); any other request of a
 * client that has no session (it expired, was evicted, or seq 1 never made it) is refused
 * `session-expired`, so a retry is never applied a second time after its session is gone.
 */
export interface KvRequest extends KvSessionFlags {
  readonly clientId: number;
  readonly seq: number;
  readonly op: KvOperation;
}

/**
 * A server's answer. `ok` carries the output of the applied command. `not-leader` means the command
 * was not accepted (safe to retry anywhere; try `leaderHint` if given). `retry` means the server
 * accepted the command but cannot say whether it was committed (it lost leadership, or the entry was
 * overwritten): the outcome is unknown, and the client retries with the same seq.
 */
export type KvResponse =
  | { readonly status: 'ok'; readonly clientId: number; readonly seq: number; readonly output: KvOutput }
  | { readonly status: 'not-leader'; readonly clientId: number; readonly seq: number; readonly leaderHint: NodeId | null }
  | { readonly status: 'retry'; readonly clientId: number; readonly seq: number }
  /**
   * The leader refused the command: its log holds too many uncommitted bytes (Raft's
   * maxUncommittedBytes). Not applied, and not in the log: safe to retry once the backlog commits.
   */
  | { readonly status: 'overloaded'; readonly clientId: number; readonly seq: number }
  /**
   * The client has no session (it expired, was evicted, or never opened): this copy was not
   * applied. An earlier copy of the same seq may have been, before the session expired, so the
   * outcome of the operation is unknown unless this was its only copy. The client must start a
   * new session (a new client id) for its next operation.
   */
  | { readonly status: 'session-expired'; readonly clientId: number; readonly seq: number };

/**
 * One client's exactly-once record: the last seq applied for `clientId`, its output if it was a
 * write (null for a read), and the log's clock when it was applied (absent in older snapshots:
 * their clock). A tuple so that snapshots stay small, plain data.
 */
export type KvSessionEntry = readonly [clientId: number, seq: number, output: KvOutput | null, lastActiveMs?: number];

/**
 * The KV state machine as plain data, carried opaquely in a Raft `Snapshot.data`.
 * Canonical: `entries` sorted by key, `sessions` in activity order (itself replicated: the same
 * on every replica at the same index). Treated as immutable once made.
 */
export interface KvSnapshotData {
  /** The last log index reflected in this state (equals the Raft snapshot's lastIncludedIndex). */
  readonly lastAppliedIndex: number;
  readonly entries: readonly (readonly [key: string, value: string])[];
  /** Least recently active first: the order in which sessions expire and are evicted. */
  readonly sessions: readonly KvSessionEntry[];
  /** The log's clock (ms) as of lastAppliedIndex (absent in older snapshots: 0). */
  readonly clockMs?: number;
  /** True once any session expired or was evicted (then a retried seq 1 may not open one). */
  readonly sessionsDropped?: boolean;
}
