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

/** What goes through the Raft log. (clientId, seq) makes it exactly-once. */
export interface KvCommand {
  readonly clientId: number;
  readonly seq: number;
  readonly op: KvOperation;
}

export interface KvRequest {
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
  | { readonly status: 'retry'; readonly clientId: number; readonly seq: number };

/**
 * One client's exactly-once record: the last seq applied for `clientId` and its output.
 * A tuple so that snapshots stay small, plain data.
 */
export type KvSessionEntry = readonly [clientId: number, seq: number, output: KvOutput];

/**
 * The KV state machine as plain data, carried opaquely in a Raft `Snapshot.data`.
 * Canonical: `entries` sorted by key and `sessions` by clientId, so the same state always gives
 * the same value whatever order it was built in. Treated as immutable once made.
 */
export interface KvSnapshotData {
  /** The last log index reflected in this state (equals the Raft snapshot's lastIncludedIndex). */
  readonly lastAppliedIndex: number;
  readonly entries: readonly (readonly [key: string, value: string])[];
  readonly sessions: readonly KvSessionEntry[];
}
