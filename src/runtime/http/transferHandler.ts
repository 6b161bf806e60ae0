/**
 * POST /transfer-leader[?to=nK]: hand leadership to node nK, or, without `to`, to the follower
 * that holds the most of the leader's log (thesis §3.10; src/runtime/leaderHandoff.ts). Answered
 * once the target leads (200), or once the transfer has had its election timeout (504, the leader
 * aborted it and takes writes again). A follower redirects to the leader (307), as for /kv.
 *
 * Like /kv it is on the client port and not authenticated (README: Security and limits): anyone who
 * can write keys can move leadership, which costs the cluster less than a write does.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handOffLeadership, type HandoffOutcome } from '../leaderHandoff.js';
import { nodeName, parseNodeName } from '../nodeNames.js';
import { readBody } from './body.js';
import { HttpError } from './httpError.js';
import { notLeaderAnswer } from './leaderRedirect.js';
import type { NodeContext } from './nodeContext.js';
import { sendJson } from './replies.js';

export async function handleTransferLeader(ctx: NodeContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (req.method !== 'POST') throw new HttpError(405, 'method-not-allowed', 'use POST', { Allow: 'POST' });
  await readBody(req, ctx.bodyBudget, ctx.limits.maxBodyBytes);
  const to = targetOf(ctx, url);
  const outcome = await handOffLeadership(ctx.host, to);
  const [status, body, headers] = answer(ctx, outcome, url);
  sendJson(res, status, body, headers);
}

function targetOf(ctx: NodeContext, url: URL): number | null {
  const name = url.searchParams.get('to');
  if (name === null) return null;
  let id: number;
  try {
    id = parseNodeName(name);
  } catch (error) {
    throw new HttpError(400, 'bad-target', (error as Error).message);
  }
  if (!ctx.addresses.has(id)) throw new HttpError(400, 'bad-target', `${nodeName(id)} is not a member of this cluster`);
  return id;
}

function answer(ctx: NodeContext, outcome: HandoffOutcome, url: URL): [number, unknown, Record<string, string>] {
  const self = nodeName(ctx.self);
  switch (outcome.kind) {
    case 'transferred':
      return [200, { leader: nodeName(outcome.to), term: outcome.term, from: self }, {}];
    case 'refused':
      if (outcome.reason === 'self') return [409, { error: 'already-leader', leader: self, message: `${self} is the leader already` }, {}];
      if (outcome.reason === 'no-follower') return [409, { error: 'no-follower', message: `${self} has no follower to hand over to` }, {}];
      return [400, { error: 'bad-target', message: 'the target is not a voter of this cluster' }, {}];
    case 'timed-out':
      return [504, {
        error: 'transfer-timed-out', role: outcome.role, term: outcome.term, leader: outcome.leader === null ? null : nodeName(outcome.leader),
        message: 'the target did not take over within an election timeout; the transfer was aborted (the leader takes writes again) or another node won',
      }, {}];
    case 'not-leader':
      return notLeaderAnswer(ctx, outcome.leaderHint, url);
  }
}
