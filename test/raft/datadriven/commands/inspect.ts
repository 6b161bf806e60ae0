/** Commands that only look: a node's status, its log, and what its storage holds. */
import type { InteractionEnv } from '../env.js';
import type { Command } from '../parse.js';
import { entriesText, hardStateText, logLines, snapshotText, statusLines } from '../text.js';
import { checkArgs, nodeIds, oneNodeId } from './args.js';

/** status [ids…]: describeStatus per node (all if none); a leader adds each follower's progress. */
export function status(env: InteractionEnv, cmd: Command): string[] {
  checkArgs(cmd, []);
  const named = nodeIds(cmd);
  return (named.length > 0 ? named : env.ids()).flatMap((id) =>
    env.isUp(id) ? statusLines(env.node(id), env.ids()) : [`n${id} down`]);
}

/** raft-log <id>: the log the node holds in memory (snapshot, entries), and commit/applied. */
export function raftLog(env: InteractionEnv, cmd: Command): string[] {
  checkArgs(cmd, []);
  return logLines(env.node(oneNodeId(cmd)));
}

/**
 * storage <id>: what survives a crash of the node: the durable hard state, snapshot and log, then
 * the writes handed to storage that are not yet durable (a crash loses those).
 */
export function storage(env: InteractionEnv, cmd: Command): string[] {
  checkArgs(cmd, []);
  const id = oneNodeId(cmd);
  const s = env.storage(id);
  const lines = [`hard state ${hardStateText(s.hardState.term, s.hardState.votedFor)}`];
  if (s.snapshot !== null) lines.push(`snapshot ${snapshotText(s.snapshot)}`);
  lines.push(s.entries.length === 0 ? 'no entries' : `entries ${entriesText(s.entries)}`);
  const pending = env.pendingWrites(id);
  if (pending.length > 0) lines.push(`unsynced writes ${pending.map((w) => `#${w.id}`).join(' ')}`);
  return lines;
}
