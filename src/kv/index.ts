/** The replicated KV store: state machine, server glue over a Raft node, and client. */
export { KvClient } from './client.js';
export type { ClientStep, KvClientOptions, KvOutstanding, KvSend } from './client.js';
export { KvServer } from './server.js';
export type { KvServerOptions } from './server.js';
export type { KvSession } from './sessions.js';
export { KvStateMachine, DEFAULT_MAX_SESSIONS, DEFAULT_SESSION_EXPIRY_MS, MALFORMED_COMMAND, SESSION_EXPIRED } from './stateMachine.js';
export { isKvCommand } from './commandShape.js';
export type { KvStateMachineOptions, KvStateView } from './stateMachine.js';
export type {
  KvCommand,
  KvError,
  KvErrorOutput,
  KvOperation,
  KvOutput,
  KvRequest,
  KvResponse,
  KvSessionEntry,
  KvSessionFlags,
  KvSnapshotData,
} from './types.js';
