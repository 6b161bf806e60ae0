/**
 * The HTTP request handler of a node: KV operations, status, metrics, leadership transfer, membership changes and (with --test-admin) the
 * fault endpoints. Every failure becomes a JSON answer; nothing a client sends reaches the node
 * unchecked or escapes as an exception.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleAdmin } from './adminHandler.js';
import { HttpError } from './httpError.js';
import { handleKv } from './kvHandler.js';
import { kvRoute } from './kvRoute.js';
import { handleMembers } from './membersHandler.js';
import { OVERLOADED_BODY } from './limits.js';
import type { NodeContext } from './nodeContext.js';
import { sendJson, sendText } from './replies.js';
import { statusBody } from './statusBody.js';
import { handleTransferLeader } from './transferHandler.js';

export function createRequestHandler(ctx: NodeContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    route(ctx, req, res).catch((error: unknown) => {
      if (error instanceof HttpError) {
        ctx.metrics.requests.inc({ status: String(error.status) });
        const overloaded = error.code === OVERLOADED_BODY.error;
        if (overloaded) ctx.metrics.overloaded.inc({ reason: 'body-bytes' });
        const body = overloaded ? OVERLOADED_BODY : { error: error.code, message: error.message };
        sendJson(res, error.status, body, error.headers);
        // A body too big to drain, or no room to hold it: the rest of it is not worth reading.
        if (error.headers.Connection === 'close') res.once('finish', () => req.socket.destroy());
        return;
      }
      process.stderr.write(`raftsim: internal error on ${req.method} ${req.url}: ${(error as Error)?.stack ?? String(error)}\n`);
      sendJson(res, 500, { error: 'internal', message: 'internal error' });
    });
  };
}

async function route(ctx: NodeContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://node.invalid');
  } catch {
    throw new HttpError(400, 'bad-url', 'the request URL cannot be parsed');
  }
  const method = req.method ?? 'GET';
  const segments = url.pathname.split('/').slice(1);
  const [head, ...rest] = segments;
  if (head === 'kv') {
    const kv = kvRoute(method, rest);
    if (kv !== null) return handleKv(ctx, req, res, kv, url);
  } else if (head === 'status' && rest.length === 0) {
    onlyGet(method);
    return sendJson(res, 200, statusBody(ctx));
  } else if (head === 'metrics' && rest.length === 0) {
    onlyGet(method);
    return sendText(res, 200, ctx.metrics.contentType, await ctx.metrics.text());
  } else if (head === 'transfer-leader' && rest.length === 0) {
    return handleTransferLeader(ctx, req, res, url);
  } else if (head === 'members') {
    return handleMembers(ctx, req, res, rest, url);
  } else if (head === 'admin' && ctx.testAdmin && rest.length === 1) {
    return handleAdmin(ctx, req, res, rest[0]!);
  }
  throw new HttpError(404, 'not-found', `no such endpoint: ${method} ${url.pathname.slice(0, 200)}`);
}

function onlyGet(method: string): void {
  if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'method-not-allowed', 'use GET', { Allow: 'GET' });
}
