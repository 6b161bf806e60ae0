/** The body of GET /status: the node's Raft state and its links to peers. */
import { servesFollowerReads } from '../readSettings.js';
import { formatAddress } from '../addresses.js';
import { nodeName } from '../nodeNames.js';
import { configurationBody } from './membersHandler.js';
import type { NodeContext } from './nodeContext.js';

export function statusBody(ctx: NodeContext): unknown {
  const status = ctx.host.node.status();
  const configuration = configurationBody(ctx);
  const self = nodeName(ctx.self);
  const leaderAddress = status.leaderId === null ? null : ctx.addresses.get(status.leaderId);
  const peers: Record<string, unknown> = {};
  const snapshots = ctx.transport.snapshotStats();
  for (const [id, stats] of ctx.transport.stats()) {
    peers[nodeName(id)] = { address: formatAddress(ctx.addresses.get(id)!), ...stats, snapshots: snapshots.get(id) };
  }
  return {
    id: nodeName(status.id),
    address: formatAddress(ctx.addresses.get(ctx.self)!),
    role: status.role,
    term: status.term,
    votedFor: status.votedFor === null ? null : nodeName(status.votedFor),
    leader: status.leaderId === null ? null : nodeName(status.leaderId),
    leaderAddress: leaderAddress === undefined || leaderAddress === null ? null : formatAddress(leaderAddress),
    commitIndex: status.commitIndex,
    lastApplied: status.lastApplied,
    log: { first: status.firstIndex, last: status.lastIndex },
    snapshotIndex: status.snapshotIndex,
    // Membership (src/raft/membership.ts): the configuration in force here, and this node's part in it.
    configuration,
    member: configuration.voters.includes(self) ? 'voter' : configuration.learners.includes(self) ? 'learner' : 'none',
    keys: ctx.host.kv.stateMachine.size,
    readMode: ctx.host.readSettings.mode,
    followerReads: servesFollowerReads(ctx.host.readSettings),
    peers,
    partitioned: ctx.transport.partitioned.map(nodeName),
  };
}
