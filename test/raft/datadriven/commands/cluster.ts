/** Commands that make, stop and restart nodes. */
import { CommitOlderTerm, ForgetVotedFor, VoteWithoutLogCheck } from '../../../../src/mutants/index.js';
import type { RaftByteLimits } from '../../../../src/raft/index.js';
import { entriesOfTerms, makeConfig } from '../../harness.js';
import type { InteractionEnv, NodeMaker } from '../env.js';
import type { Command } from '../parse.js';
import { statusLines } from '../text.js';
import { checkArgs, hasFlag, intArg, intListArg, intWords, listArg, oneNodeId } from './args.js';

/**
 * add-nodes <count> [voters=(1,2,3)] [term=N] [vote=ID] [log=(1,1,2)] [max-entries=N] [max-inflight=N]
 *   [max-bytes=N] [max-inflight-bytes=N] [max-uncommitted-bytes=N]
 *           [mutant=commit-older-term] [pre-vote] [check-quorum]
 *
 * Adds `count` nodes with the next free ids. Each starts from a durable state: `term` and `vote`
 * (default: the last log term, no vote) and a log whose entry i has term log[i-1] and command
 * `c<i>` (default: empty). `voters` defaults to the ids added; give it when a cluster is built
 * from nodes with different logs, one add-nodes per kind. Node n<id> times out after
 * 10 + 2·(id-1) ticks (harness.ts makeConfig), so who campaigns first is the file's choice.
 * `mutant` builds the nodes as a known bug of src/mutants (by its catalog name), to show in a golden
 * file what a rule prevents. The flags `pre-vote` and `check-quorum` turn those on (off when absent).
 */
export function addNodes(env: InteractionEnv, cmd: Command): string[] {
  checkArgs(cmd, ['voters', 'term', 'vote', 'log', 'max-entries', 'max-inflight', 'max-bytes', 'max-inflight-bytes', 'max-uncommitted-bytes', 'mutant'], ['pre-vote', 'check-quorum']);
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
      ...byteLimitArgs(cmd),
      ...(hasFlag(cmd, 'pre-vote') ? { preVote: true } : {}),
      ...(hasFlag(cmd, 'check-quorum') ? { checkQuorum: true } : {}),
    });
    const hardState = { term, votedFor: vote === 0 ? null : vote };
    const node = env.addNode(config, { hardState, snapshot: null, entries: entriesOfTerms(logTerms) }, mutantArg(listArg(cmd, 'mutant')));
    lines.push(...statusLines(node, voters));
  }
  return lines;
}

/** The byte limits a golden file sets (absent: the core's defaults). */
function byteLimitArgs(cmd: Command): RaftByteLimits {
  const limits: { -readonly [K in keyof RaftByteLimits]: RaftByteLimits[K] } = {};
  if (cmd.named.has('max-bytes')) limits.maxBytesPerAppend = intArg(cmd, 'max-bytes', 0);
  if (cmd.named.has('max-inflight-bytes')) limits.maxInflightBytes = intArg(cmd, 'max-inflight-bytes', 0);
  if (cmd.named.has('max-uncommitted-bytes')) limits.maxUncommittedBytes = intArg(cmd, 'max-uncommitted-bytes', 0);
  return limits;
}

/** The mutants a golden file may name (catalog names, src/harness/bugs.ts). */
const KNOWN_MUTANTS: Readonly<Record<string, NodeMaker>> = {
  'commit-older-term': (config, durable) => new CommitOlderTerm<string>(config, durable),
  'vote-without-log-check': (config, durable) => new VoteWithoutLogCheck<string>(config, durable),
  'forget-voted-for': (config, durable) => new ForgetVotedFor<string>(config, durable),
};

function mutantArg(names: readonly string[]): NodeMaker | undefined {
  if (names.length > 1) throw new Error('mutant: name one');
  const name = names[0];
  if (name === undefined) return undefined;
  const make = KNOWN_MUTANTS[name];
  if (make === undefined) throw new Error(`unknown mutant ${name} (known: ${Object.keys(KNOWN_MUTANTS).join(', ')})`);
  return make;
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
