/** The replicated KV store: state machine, server glue over a Raft node, and client. */
export { NO_KV_BUGS } from './bugs.js';
export type { KvBugs } from './bugs.js';
export { KvClient } from './client.js';
export type { ClientStep, KvClientOptions, KvOutstanding, KvSend } from './client.js';
export { KvServer } from './server.js';
export type { KvServerOptions } from './server.js';
export type { KvSession } from './sessions.js';
export { KvStateMachine } from './stateMachine.js';
export type { KvStateMachineOptions, KvStateView } from './stateMachine.js';
export type {
  KvCommand,
  KvOperation,
  KvOutput,
  KvRequest,
  KvResponse,
  KvSessionEntry,
  KvSnapshotData,
} from './types.js';
