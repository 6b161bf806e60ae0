/** Commands that advance a node's logical clock (the core has no time; ticks are its only clock). */
import { ELECTION_MAX, HEARTBEAT } from '../../harness.js';
import type { InteractionEnv } from '../env.js';
import type { Command } from '../parse.js';
import { statusLines } from '../text.js';
import { checkArgs, intWords, oneNodeId } from './args.js';

/** tick <id> [count]: ticks the node `count` times (default 1), then prints its status. */
export function tick(env: InteractionEnv, cmd: Command): string[] {
  checkArgs(cmd, []);
  const [id, count = 1] = intWords(cmd);
  if (id === undefined) throw new Error('usage: tick <id> [count]');
  const node = env.node(id);
  for (let k = 0; k < count; k++) node.tick();
  return statusLines(node, env.ids());
}

/** tick-heartbeat <id>: ticks a heartbeat interval (a leader then sends heartbeats). */
export function tickHeartbeat(env: InteractionEnv, cmd: Command): string[] {
  checkArgs(cmd, []);
  const node = env.node(oneNodeId(cmd));
  for (let k = 0; k < HEARTBEAT; k++) node.tick();
  return statusLines(node, env.ids());
}

/**
 * campaign <id>: ticks the node alone until its election timer fires and it starts an election
 * (§5.2: new term, votes for itself). Its RequestVotes wait in the node until that is durable.
 * With pre-vote it stops once the node becomes a pre-candidate (thesis §9.6: same term, PreVotes out).
 */
export function campaign(env: InteractionEnv, cmd: Command): string[] {
  checkArgs(cmd, []);
  const id = oneNodeId(cmd);
  const node = env.node(id);
  if (node.role === 'leader') throw new Error(`n${id} is leader; a leader does not campaign`);
  const term = node.term;
  // A function, so that the compiler does not narrow the role across the ticks that change it.
  const preCandidate = (): boolean => node.role === 'pre-candidate';
  const wasPreCandidate = preCandidate();
  let ticks = 0;
  while (node.term === term && (wasPreCandidate || !preCandidate())) {
    if (++ticks > 2 * ELECTION_MAX) throw new Error(`n${id} never timed out`);
    node.tick();
  }
  return [`n${id} timed out after ${ticks} ticks`, ...statusLines(node, env.ids())];
}
