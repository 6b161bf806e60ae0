/**
 * One KV request, from HTTP to the node and back. A follower does not forward: it redirects to the
 * leader with 307 (method and body kept) and a JSON body naming it, which is simple and honest —
 * the client learns where the leader is and talks to it directly from then on.
 *
 * Answers: 200 the operation's output; 307 go to the leader; 503 `no-leader` (not applied, retry
 * anywhere); 503 `overloaded` (too many requests waiting: not taken, so not applied by this request;
 * retry shortly; also when the leader's uncommitted log is over maxUncommittedBytes); 503/504 `outcome-unknown` (may or may not be applied: retry with the same client id
 * and seq, which applies it at most once); 409 `stale-seq` (a later seq of this client already
 * applied); 409 `session-expired` (this client id has no session any more: not applied by this
 * request; start over with a new client id); 400/405/413 bad requests.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KvOperation, KvResponse } from '../../kv/types.js';
import { httpUrl } from '../addresses.js';
import { nodeName } from '../nodeNames.js';
import type { SubmitOutcome } from '../raftHost.js';
import { readBody } from './body.js';
import { OVERLOADED_BODY } from './limits.js';
import { clientIdentity, type ClientIdentity } from './clientIdentity.js';
import type { KvRoute } from './kvRoute.js';
import { kvOperation } from './kvRoute.js';
import type { NodeContext } from './nodeContext.js';
import { sendJson } from './replies.js';

export async function handleKv(ctx: NodeContext, req: IncomingMessage, res: ServerResponse, route: KvRoute, url: URL): Promise<void> {
  const identity = clientIdentity(req, url.searchParams);
  const body = await readBody(req, ctx.bodyBudget, ctx.limits.maxBodyBytes);
  const op = kvOperation(route, body, req.headers['content-type']);
  // A one-shot id is never retried: the store keeps no session for it.
  const request = { clientId: identity.clientId, seq: identity.seq, op, ...(identity.supplied ? {} : { oneShot: true }) };
  const outcome = await ctx.host.submit(request);
  const [status, json, headers] = reply(ctx, outcome, identity, op, url);
  if (outcome.kind === 'overloaded') ctx.metrics.overloaded.inc({ reason: 'pending-requests' });
  if (outcome.kind === 'response' && outcome.response.status === 'overloaded') ctx.metrics.overloaded.inc({ reason: 'uncommitted-bytes' });
  ctx.metrics.requests.inc({ status: String(status) });
  sendJson(res, status, json, headers);
}

type Reply = [status: number, body: unknown, headers: Record<string, string>];

function reply(ctx: NodeContext, outcome: SubmitOutcome, who: ClientIdentity, op: KvOperation, url: URL): Reply {
  const ids = { clientId: who.clientId, seq: who.seq };
  switch (outcome.kind) {
    case 'response': return fromResponse(ctx, outcome.response, who, op, url);
    case 'stale':
      return [409, { error: 'stale-seq', message: `client ${who.clientId} already has seq ${outcome.appliedSeq} applied; use a higher seq`, ...ids }, {}];
    case 'timeout': return [504, unknown('no answer in time', who), {}];
    case 'superseded': return [503, unknown('the same client sent a newer seq meanwhile', who), {}];
    case 'stopping': return [503, unknown('this node is shutting down', who), {}];
    case 'overloaded': return [503, { ...OVERLOADED_BODY, ...ids }, { 'Retry-After': '1' }];
  }
}

/** The HTTP answer for a KV server's response (exported for tests). */
export function fromResponse(ctx: NodeContext, response: KvResponse, who: ClientIdentity, op: KvOperation, url: URL): Reply {
  switch (response.status) {
    case 'ok':
      return [200, { key: op.key, ...response.output, clientId: who.clientId, seq: who.seq }, {}];
    case 'retry':
      return [503, unknown('leadership changed before the command was known to commit', who), {}];
    case 'session-expired':
      return [409, {
        error: 'session-expired', outcome: 'not-applied',
        message: `client ${who.clientId} has no session (seq 1 never applied, idle too long, or evicted): this request was not applied, though an earlier copy of seq ${who.seq} may have been; use a new client id from seq 1`,
        clientId: who.clientId, seq: who.seq,
      }, {}];
    case 'overloaded':
      // The leader's uncommitted backlog is over its bound: not in the log, so not applied.
      return [503, { ...OVERLOADED_BODY, ...ids(who) }, { 'Retry-After': '1' }];
    case 'not-leader': {
      const hint = response.leaderHint;
      const address = hint === null || hint === ctx.self ? undefined : ctx.addresses.get(hint);
      if (address === undefined) {
        return [503, { error: 'no-leader', outcome: 'not-applied', message: 'no leader is known yet; retry shortly (any node)' }, { 'Retry-After': '1' }];
      }
      const target = new URL(url.pathname, httpUrl(address));
      // Keep the client's id and seq across the redirect, in the query: curl -L may drop headers.
      if (who.supplied) {
        target.searchParams.set('client', String(who.clientId));
        target.searchParams.set('seq', String(who.seq));
      }
      const leaderUrl = target.toString();
      return [307, { error: 'not-leader', leader: nodeName(hint!), leaderUrl, message: `${nodeName(ctx.self)} is not the leader; ${nodeName(hint!)} is` }, { Location: leaderUrl }];
    }
  }
}

function ids(who: ClientIdentity): { clientId: number; seq: number } {
  return { clientId: who.clientId, seq: who.seq };
}

function unknown(why: string, who: ClientIdentity): unknown {
  return {
    error: 'outcome-unknown', outcome: 'unknown',
    message: `${why}: the operation may or may not have been applied; retry with X-Client-Id ${who.clientId} and X-Seq ${who.seq} (applied at most once)`,
    clientId: who.clientId, seq: who.seq,
  };
}
