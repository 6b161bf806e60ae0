/** Commands that carry out a node's Readies and move messages: the world around the nodes. */
import type { NodeId } from '../../../../src/raft/index.js';
import type { InteractionEnv } from '../env.js';
import type { Command } from '../parse.js';
import { checkArgs, hasFlag, intListArg, listArg, nodeIds } from './args.js';

/**
 * process-ready [ids…] [no-fsync]: carries out each node's Readies (all running nodes if no id
 * is given). Each Ready's write is fsynced at once, which may release held messages into another
 * Ready; with `no-fsync` the writes stay pending (see `fsync`, `crash`).
 */
export function processReady(env: InteractionEnv, cmd: Command): string[] {
  checkArgs(cmd, [], ['no-fsync']);
  const named = nodeIds(cmd);
  const lines: string[] = [];
  for (const id of named.length > 0 ? named : runningIds(env)) {
    const out = env.processReady(id, !hasFlag(cmd, 'no-fsync'));
    if (out.length === 0 && named.length > 0) out.push(`n${id} no Ready`);
    lines.push(...out);
  }
  return lines;
}

/** fsync <ids…>: storage completes the node's pending writes and tells the node (`persisted`). */
export function fsync(env: InteractionEnv, cmd: Command): string[] {
  checkArgs(cmd, []);
  return nodeIds(cmd).flatMap((id) => {
    const out = env.fsync(id);
    return out.length > 0 ? out : [`n${id} nothing to fsync`];
  });
}

/**
 * deliver-msgs [to…] [from=(ids)] [type=(types)] [drop]: delivers the messages in flight to the
 * given nodes (all if none), optionally only from some senders or of some types; `drop` loses
 * them instead. A message to a crashed node is lost. Prints each message.
 */
export function deliverMsgs(env: InteractionEnv, cmd: Command): string[] {
  checkArgs(cmd, ['from', 'type'], ['drop']);
  const filter = { to: nodeIds(cmd), from: intListArg(cmd, 'from', []), types: listArg(cmd, 'type') };
  const lines = env.deliver(filter, hasFlag(cmd, 'drop'));
  return lines.length > 0 ? lines : ['no messages'];
}

/** A bound on stabilize rounds: a cluster that never goes quiet is a bug (or a livelock). */
const STABILIZE_ROUNDS_MAX = 200;

/**
 * stabilize [ids…]: alternates process-ready and deliver-msgs until no node has a Ready and no
 * message is in flight. With ids, only those nodes take part: only their Readies are carried out
 * and only messages to them delivered (the rest stay in flight). Without, every message is
 * delivered, and one to a crashed node is lost.
 */
export function stabilize(env: InteractionEnv, cmd: Command): string[] {
  checkArgs(cmd, []);
  const named = nodeIds(cmd);
  const lines: string[] = [];
  for (let round = 0; ; round++) {
    if (round >= STABILIZE_ROUNDS_MAX) throw new Error(`no quiet after ${STABILIZE_ROUNDS_MAX} rounds`);
    const readies = (named.length > 0 ? named : runningIds(env)).flatMap((id) => env.processReady(id));
    const deliveries = env.messagesInFlight() === 0 ? [] : env.deliver({ to: named, from: [], types: [] }, false);
    if (readies.length === 0 && deliveries.length === 0) return lines;
    lines.push(...readies, ...deliveries);
  }
}

function runningIds(env: InteractionEnv): NodeId[] {
  return env.ids().filter((id) => env.isUp(id));
}
