/** Commands that make, stop and restart nodes. */
import type { RaftBugs } from '../../../../src/raft/index.js';
import { entriesOfTerms, makeConfig } from '../../harness.js';
import type { InteractionEnv } from '../env.js';
import type { Command } from '../parse.js';
import { statusLines } from '../text.js';
import { checkArgs, intArg, intListArg, intWords, listArg, oneNodeId } from './args.js';

/**
 * add-nodes <count> [voters=(1,2,3)] [term=N] [vote=ID] [log=(1,1,2)] [max-entries=N] [max-inflight=N]
 *           [bugs=(commitOlderTermByCounting)]
 *
 * Adds `count` nodes with the next free ids. Each starts from a durable state: `term` and `vote`
 * (default: the last log term, no vote) and a log whose entry i has term log[i-1] and command
 * `c<i>` (default: empty). `voters` defaults to the ids added; give it when a cluster is built
 * from nodes with different logs, one add-nodes per kind. Node n<id> times out after
 * 10 + 2·(id-1) ticks (harness.ts makeConfig), so who campaigns first is the file's choice.
 * `bugs` switches on RaftBugs by name, to show in a golden file what a rule prevents.
 */
export function addNodes(env: InteractionEnv, cmd: Command): string[] {
  checkArgs(cmd, ['voters', 'term', 'vote', 'log', 'max-entries', 'max-inflight', 'bugs']);
  const [count] = intWords(cmd);
  if (count === undefined || count < 1) throw new Error('usage: add-nodes <count> [options]');
  const first = Math.max(0, ...env.ids()) + 1;
  const ids = Array.from({ length: count }, (_, k) => first + k);
  const voters = intListArg(cmd, 'voters', ids);
  const logTerms = intListArg(cmd, 'log', []);
  const term = intArg(cmd, 'term', logTerms.at(-1) ?? 0);
  const vote = intArg(cmd, 'vote', 0);
  const lines: string[] = [];
  for (const id of ids) {
    const config = makeConfig(id, voters, {
      maxEntriesPerAppend: intArg(cmd, 'max-entries', 4),
      maxInflightAppends: intArg(cmd, 'max-inflight', 2),
      bugs: bugsArg(listArg(cmd, 'bugs')),
    });
    const hardState = { term, votedFor: vote === 0 ? null : vote };
    const node = env.addNode(config, { hardState, snapshot: null, entries: entriesOfTerms(logTerms) });
    lines.push(...statusLines(node, voters));
  }
  return lines;
}

/** The bug switches a golden file may name; the compiler checks each is a RaftBugs key. */
const KNOWN_BUGS = {
  commitOlderTermByCounting: true,
  voteWithoutUpToDateCheck: true,
  forgetVotedFor: true,
} as const satisfies RaftBugs;

function bugsArg(names: readonly string[]): RaftBugs {
  for (const name of names) {
    if (!Object.hasOwn(KNOWN_BUGS, name)) throw new Error(`unknown bug ${name} (known: ${Object.keys(KNOWN_BUGS).join(', ')})`);
  }
  return Object.fromEntries(names.map((name) => [name, true]));
}

/** crash <id>: the node stops; writes not yet fsynced are lost, as is its application state. */
export function crash(env: InteractionEnv, cmd: Command): string[] {
  checkArgs(cmd, []);
  return env.crash(oneNodeId(cmd));
}

/**
 * restart <id>: a crashed node comes back from its storage alone. Term, vote, snapshot and log
 * survive; commitIndex and lastApplied restart at the snapshot (Figure 2: they are volatile).
 */
export function restart(env: InteractionEnv, cmd: Command): string[] {
  checkArgs(cmd, []);
  const id = oneNodeId(cmd);
  return statusLines(env.restart(id), env.ids());
}
