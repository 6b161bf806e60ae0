/** The Raft core's public surface: explicit named exports only. */
export { AssertionError, assert } from './assert.js';
export {
  DEFAULT_MAX_BYTES_PER_APPEND,
  DEFAULT_MAX_INFLIGHT_BYTES,
  DEFAULT_MAX_UNCOMMITTED_BYTES,
  resolveRaftConfig,
  validateRaftConfig,
} from './config.js';
export type { RaftByteLimits, RaftConfig, ResolvedRaftConfig } from './config.js';
export { ENTRY_OVERHEAD_BYTES, entrySize } from './entrySize.js';
export { describeEntry, describeMessage, describeReady, describeStatus } from './describe.js';
export { Durability } from './durability.js';
export { RaftLog } from './log.js';
export {
  CONFIG_CHANGE_TYPES,
  MAX_MEMBERS,
  applyChange,
  bootstrapConfig,
  configProblem,
  describeConfig,
  isMember,
} from './membership.js';
export type { ConfigChange, ConfigChangeRefusal, ConfigChangeType } from './membership.js';
export type {
  AppendEntries,
  AppendEntriesResponse,
  InstallSnapshot,
  InstallSnapshotResponse,
  Message,
  MessageType,
  PreVote,
  PreVoteResponse,
  ReadIndexRequest,
  ReadIndexResponse,
  RequestVote,
  RequestVoteResponse,
  TimeoutNow,
} from './messages.js';
export type { ConfigChangeResult, ProposeResult, RaftNodeApi, RaftStatus } from './node.js';
export { majority, quorumIndex, voteResult } from './quorum.js';
export type { VoteResult } from './quorum.js';
export { RaftNode } from './raft.js';
export type { PersistRequest, Ready } from './ready.js';
export { LeadershipTransfer } from './transfer.js';
export type { TransferResult } from './transfer.js';
export { MAX_REMOTE_READS, ReadIndexTracker } from './readIndex.js';
export type { ReadIndexResult, ReadState, RemoteReadState } from './readIndex.js';
export type { ProgressView } from './replication.js';
export type { ClusterConfig, DurableState, HardState, LogEntry, NodeId, RandomSource, Role, Snapshot } from './types.js';
