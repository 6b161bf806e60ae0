/**
 * Membership changes (src/runtime/membershipChange.ts), one server at a time:
 * - POST /members/add-learner?node=nK: nK (a node of the cluster file) joins as a learner;
 * - POST /members/promote?node=nK: learner nK becomes a voter;
 * - POST /members/remove?node=nK: voter or learner nK leaves (the leader too: it steps down once
 *   its removal commits);
 * - GET /members: the configuration this node has.
 * A change is answered once its entry commits (200, the new configuration), or refused (409 with
 * the core's reason: change-pending, no-such-change, would-break-cluster), or 504 if not committed
 * within the request timeout (outcome unknown). A follower redirects to the leader (307), as for
 * /transfer-leader; a node not in the cluster file is a 400.
 *
 * Like /kv and /transfer-leader it is on the client port and not authenticated (README: Security
 * and limits): whoever can reach the client port is trusted.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONFIG_CHANGE_TYPES, type ConfigChangeType } from '../../raft/membership.js';
import type { ClusterConfig, NodeId } from '../../raft/types.js';
import { changeMembership, type MembershipOutcome } from '../membershipChange.js';
import { nodeName, parseNodeName } from '../nodeNames.js';
import { readBody } from './body.js';
import { HttpError } from './httpError.js';
import { notLeaderAnswer } from './leaderRedirect.js';
import type { NodeContext } from './nodeContext.js';
import { sendJson } from './replies.js';

export async function handleMembers(ctx: NodeContext, req: IncomingMessage, res: ServerResponse, rest: readonly string[], url: URL): Promise<void> {
  if (rest.length === 0 || (rest.length === 1 && rest[0] === '')) {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'method-not-allowed', 'use GET', { Allow: 'GET' });
    return sendJson(res, 200, configurationBody(ctx));
  }
  const type = rest[0] as ConfigChangeType;
  if (rest.length !== 1 || !CONFIG_CHANGE_TYPES.includes(type)) {
    throw new HttpError(404, 'not-found', `no such endpoint: use /members/${CONFIG_CHANGE_TYPES.join(', /members/')}`);
  }
  if (req.method !== 'POST') throw new HttpError(405, 'method-not-allowed', 'use POST', { Allow: 'POST' });
  await readBody(req, ctx.bodyBudget, ctx.limits.maxBodyBytes);
  const node = targetOf(ctx, url);
  const outcome = await changeMembership(ctx.host, { type, node });
  const [status, body, headers] = answer(ctx, outcome, url);
  sendJson(res, status, body, headers);
}

/** The configuration this node has: voters, learners, the index that set it and whether it is committed. */
export function configurationBody(ctx: NodeContext): { voters: string[]; learners: string[]; index: number; committed: boolean } {
  const node = ctx.host.node;
  const index = node.configurationIndex;
  return { ...names(node.configuration), index, committed: index <= node.commitIndex };
}

function targetOf(ctx: NodeContext, url: URL): NodeId {
  const name = url.searchParams.get('node');
  if (name === null) throw new HttpError(400, 'bad-node', 'name the node: ?node=nK');
  let id: NodeId;
  try {
    id = parseNodeName(name);
  } catch (error) {
    throw new HttpError(400, 'bad-node', (error as Error).message);
  }
  if (!ctx.addresses.has(id)) throw new HttpError(400, 'bad-node', `${nodeName(id)} is not a node of this cluster (--peers or the cluster file name every node that may be a member)`);
  return id;
}

const REFUSALS: Record<string, string> = {
  'change-pending': 'another configuration change (or this leader\'s first entry) is not committed yet; retry shortly',
  'no-such-change': 'that change does not apply to the configuration (add-learner of a member, promote of a non-learner, or remove of a non-member)',
  'would-break-cluster': 'that change would leave no voter, or too many members',
};

function answer(ctx: NodeContext, outcome: MembershipOutcome, url: URL): [number, unknown, Record<string, string>] {
  const self = nodeName(ctx.self);
  switch (outcome.kind) {
    case 'committed':
      return [200, { ...names(outcome.config), index: outcome.index, term: outcome.term, from: self }, {}];
    case 'refused':
      if (outcome.reason === 'transferring' || outcome.reason === 'uncommitted-limit') {
        return [503, { error: outcome.reason, message: `${self} cannot take a change now (${outcome.reason}); retry shortly` }, { 'Retry-After': '1' }];
      }
      return [409, { error: outcome.reason, message: REFUSALS[outcome.reason], configuration: configurationBody(ctx) }, {}];
    case 'lost':
      return [503, { error: 'leadership-lost', index: outcome.index, message: `${self} lost leadership before the change committed: it did not happen; retry` }, { 'Retry-After': '1' }];
    case 'timed-out':
      return [504, { error: 'change-timed-out', index: outcome.index, term: outcome.term, message: 'the change did not commit in time: it may still commit (GET /members shows the configuration)' }, {}];
    case 'not-leader':
      return notLeaderAnswer(ctx, outcome.leaderHint, url);
  }
}

function names(config: ClusterConfig): { voters: string[]; learners: string[] } {
  return { voters: config.voters.map(nodeName), learners: config.learners.map(nodeName) };
}
