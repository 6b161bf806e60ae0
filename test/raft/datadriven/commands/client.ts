/** Commands of the application on top of a node: proposing commands and taking snapshots. */
import type { InteractionEnv } from '../env.js';
import type { Command } from '../parse.js';
import { statusLines } from '../text.js';
import { checkArgs, intWords } from './args.js';

/**
 * propose <id> <command>: asks the node to append a command. A leader answers with the index and
 * term the entry got; anyone else refuses and names the leader it knows (§8).
 */
export function propose(env: InteractionEnv, cmd: Command): string[] {
  // The second word is the command's text, whatever it is; only named arguments are unknown.
  checkArgs(cmd, [], cmd.words.slice(1));
  const [id, command] = cmd.words;
  if (id === undefined || command === undefined || cmd.words.length !== 2 || !/^\d+$/.test(id)) {
    throw new Error('usage: propose <id> <command>');
  }
  const result = env.node(Number(id)).propose(command);
  if (result.ok) return [`ok index=${result.index} term=${result.term}`];
  if (result.reason === 'uncommitted-limit') return [`refused: ${result.reason}`];
  return [`refused: ${result.reason}, leader hint ${result.leaderHint === null ? '-' : `n${result.leaderHint}`}`];
}

/**
 * compact <id> <index>: the application snapshots its state through `index` (≤ lastApplied) and
 * the node drops the log up to there (§7). The snapshot is written in the next Ready.
 */
export function compact(env: InteractionEnv, cmd: Command): string[] {
  checkArgs(cmd, []);
  const [id, index] = intWords(cmd);
  if (id === undefined || index === undefined) throw new Error('usage: compact <id> <index>');
  const node = env.node(id);
  node.compact(index, env.applied(id).slice(0, index));
  return statusLines(node, env.ids());
}
