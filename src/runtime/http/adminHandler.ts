/**
 * Test-only fault injection, present only with `serve --test-admin` (404 otherwise, as if it did
 * not exist): POST /admin/partition {"drop": ["n2", …]} makes this node drop all traffic to and
 * from those peers; POST /admin/heal ends it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { nodeName, parseNodeName } from '../nodeNames.js';
import { parseJson, readBody } from './body.js';
import { HttpError } from './httpError.js';
import type { NodeContext } from './nodeContext.js';
import { sendJson } from './replies.js';

export async function handleAdmin(ctx: NodeContext, req: IncomingMessage, res: ServerResponse, action: string): Promise<void> {
  if (action !== 'partition' && action !== 'heal') throw new HttpError(404, 'not-found', 'no such admin endpoint: use /admin/partition or /admin/heal');
  if (req.method !== 'POST') throw new HttpError(405, 'method-not-allowed', 'use POST', { Allow: 'POST' });
  const body = await readBody(req, ctx.bodyBudget, ctx.limits.maxBodyBytes);
  if (action === 'heal') {
    ctx.transport.heal();
  } else {
    const drop = (parseJson(body) as { drop?: unknown } | null)?.drop;
    if (!Array.isArray(drop) || !drop.every((item) => typeof item === 'string')) {
      throw new HttpError(400, 'bad-partition', 'expected {"drop": ["n2", …]}');
    }
    const ids = drop.map((name: string) => {
      let id: number;
      try {
        id = parseNodeName(name);
      } catch (error) {
        throw new HttpError(400, 'bad-partition', (error as Error).message);
      }
      if (id === ctx.self || !ctx.addresses.has(id)) throw new HttpError(400, 'bad-partition', `${name} is not a peer of this node`);
      return id;
    });
    ctx.transport.partition(ids);
  }
  sendJson(res, 200, { partitioned: ctx.transport.partitioned.map(nodeName) });
}
