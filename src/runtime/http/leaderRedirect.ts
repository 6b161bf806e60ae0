/** The answer of a node that is not the leader to a request only the leader can take: 307 to it, or 503 when none is known. */
import { httpUrl } from '../addresses.js';
import { nodeName } from '../nodeNames.js';
import type { NodeId } from '../../raft/types.js';
import type { NodeContext } from './nodeContext.js';

export function notLeaderAnswer(ctx: NodeContext, hint: NodeId | null, url: URL): [number, unknown, Record<string, string>] {
  const self = nodeName(ctx.self);
  const address = hint === null || hint === ctx.self ? undefined : ctx.addresses.get(hint);
  if (address === undefined) return [503, { error: 'no-leader', message: 'no leader is known yet; retry shortly (any node)' }, { 'Retry-After': '1' }];
  const leaderUrl = new URL(url.pathname + url.search, httpUrl(address)).toString();
  return [307, { error: 'not-leader', leader: nodeName(hint!), leaderUrl, message: `${self} is not the leader; ${nodeName(hint!)} is` }, { Location: leaderUrl }];
}
