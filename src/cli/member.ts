/**
 * `raftsim member add-learner|promote|remove nK` and `raftsim member list`: membership changes of a
 * running cluster, one server at a time (src/raft/membership.ts), through POST /members/... on any
 * node (a follower redirects to the leader). A change prints one line with the configuration it
 * made, once committed. Exit 0 done, 1 refused or no leader in time, 2 bad usage, 3 outcome unknown
 * (not committed in time: `member list` tells).
 */
import { readFileSync } from 'node:fs';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { httpUrl, type Address } from '../runtime/addresses.js';
import { membersFromFile } from '../runtime/clusterConfig.js';
import { nodeName, parseNodeName } from '../runtime/nodeNames.js';
import { RuntimeConfigError } from '../runtime/runtimeConfigError.js';
import { parseCluster } from './client.js';
import { ExitCode, UsageError } from './errors.js';
import { integer } from './options.js';
import { usage } from './serve.js';

/** `add` is `add-learner`: a node joins as a learner first (thesis §4.2.1), then is promoted. */
const ACTIONS = ['add', 'add-learner', 'promote', 'remove', 'list'] as const;
type Action = Exclude<typeof ACTIONS[number], 'add'>;

interface MemberArgs {
  action: Action | 'add';
  node?: string;
  cluster?: string;
  config?: string;
  'timeout-ms': number;
}

const DEFAULT_CLUSTER = '127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003';
/** Between rounds while no leader answers, or while another change is pending. */
const RETRY_MS = 200;

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export const memberCommand: CommandModule<object, MemberArgs> = {
  command: 'member <action> [node]',
  describe: 'Change a running cluster\'s membership, one node at a time: add-learner, promote, remove nK; or list',
  builder: (yargs: Argv) => yargs
    .positional('action', { choices: ACTIONS, describe: 'add (or add-learner) nK (joins, not voting), promote nK (learner to voter), remove nK (voter or learner), list' })
    .positional('node', { type: 'string', describe: 'The node, e.g. n4 (a node of the cluster file)' })
    .option('cluster', { type: 'string', describe: `Node addresses, comma-separated (nK=ADDR also accepted; default ${DEFAULT_CLUSTER})` })
    .option('config', { type: 'string', describe: 'The cluster file serve was given, instead of --cluster' })
    .option('timeout-ms', { default: 10000, coerce: integer('--timeout-ms', { min: 1 }), describe: 'Give up after this long' })
    .example('$0 member add-learner n4 --cluster 127.0.0.1:7001', 'n4 joins as a learner')
    .example('$0 member promote n4 --config cluster.json', 'then votes') as unknown as Argv<MemberArgs>,
  handler: async (args: ArgumentsCamelCase<MemberArgs>) => {
    const servers = usage(() => serversOf(args));
    const deadline = Date.now() + args['timeout-ms'];
    const action: Action = args.action === 'add' ? 'add-learner' : args.action;
    if (action === 'list') {
      if (args.node !== undefined) throw new UsageError('member list takes no node');
      return list(servers, deadline);
    }
    if (args.node === undefined) throw new UsageError(`member ${args.action}: name the node, e.g. n4`);
    const node = nodeName(usage(() => parseNodeName(String(args.node))));
    const answer = await change(servers, `/members/${action}?node=${node}`, deadline);
    if (answer === null) {
      process.stderr.write(`raftsim: member ${args.action}: no leader took the change in time\n`);
      process.exitCode = ExitCode.failure;
    } else if (answer.status === 200) {
      process.stdout.write(`${node} ${DONE[action]}: ${describe(answer.body)} (index ${answer.body.index}, term ${answer.body.term})\n`);
      process.exitCode = ExitCode.ok;
    } else {
      process.stderr.write(`raftsim: member ${args.action}: ${answer.status} ${answer.body.error ?? ''}: ${answer.body.message ?? JSON.stringify(answer.body)}\n`);
      process.exitCode = answer.status === 400 ? ExitCode.usage : answer.status === 504 ? ExitCode.unknown : ExitCode.failure;
    }
  },
};

const DONE: Record<Exclude<Action, 'list'>, string> = { 'add-learner': 'added as a learner', promote: 'promoted to voter', remove: 'removed' };

function serversOf(args: MemberArgs): Address[] {
  if (args.config !== undefined && args.cluster !== undefined) throw new UsageError('give --cluster or --config, not both');
  if (args.config === undefined) return parseCluster(args.cluster ?? DEFAULT_CLUSTER);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(args.config, 'utf8'));
  } catch (error) {
    throw new RuntimeConfigError(`cannot read cluster config ${args.config}: ${(error as Error).message.split('\n')[0]}`);
  }
  // Any listed node will do as "self": only the addresses are needed.
  const first = (json as { nodes?: { id?: unknown }[] } | null)?.nodes?.[0]?.id;
  return [...membersFromFile(parseNodeName(String(first)), json, null).addresses.values()];
}

/** POSTs the change to each node in turn until one answers other than "no leader / retry"; null at the deadline. */
async function change(servers: readonly Address[], path: string, deadline: number): Promise<Answer | null> {
  for (;;) {
    for (const server of servers) {
      const answer = await call('POST', httpUrl(server, path), deadline);
      if (answer === null) continue;
      // 503: no leader yet, or leadership moving; 409 change-pending: the previous change (or the
      // new leader's first entry) commits soon. Both are worth another round.
      const retry = answer.status === 503 || (answer.status === 409 && answer.body.error === 'change-pending');
      if (!retry) return answer;
    }
    if (Date.now() + RETRY_MS >= deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

/** Prints the configuration the leader has (else the first node that answers). */
async function list(servers: readonly Address[], deadline: number): Promise<void> {
  const answers = await Promise.all(servers.map((server) => call('GET', httpUrl(server, '/status'), deadline)));
  const statuses = answers.filter((a): a is Answer => a !== null && a.status === 200).map((a) => a.body);
  const status = statuses.find((s) => s.role === 'leader') ?? statuses[0];
  if (status === undefined) {
    process.stderr.write('raftsim: member list: no node answered\n');
    process.exitCode = ExitCode.failure;
    return;
  }
  const config = status.configuration as Record<string, unknown>;
  const from = status.role === 'leader' ? `leader ${status.id}` : `${status.id}, not the leader`;
  process.stdout.write(`${describe(config)} (index ${config.index}, ${config.committed ? 'committed' : 'not committed yet'}; from ${from})\n`);
  process.exitCode = ExitCode.ok;
}

function describe(body: Record<string, unknown>): string {
  const list = (value: unknown): string => (Array.isArray(value) ? value.join(',') : '');
  return `voters=[${list(body.voters)}] learners=[${list(body.learners)}]`;
}

/** One HTTP call (following a redirect to the leader); null when the node does not answer. */
async function call(method: string, url: string, deadline: number): Promise<Answer | null> {
  try {
    const res = await fetch(url, { method, signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  } catch {
    return null;
  }
}
