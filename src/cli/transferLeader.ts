/**
 * `raftsim transfer-leader [--to nK] [--cluster ADDRS]`: asks the cluster's leader to hand
 * leadership to nK (or, without --to, to its most up-to-date follower) through POST
 * /transfer-leader on any node (a follower redirects to the leader). Exit 0 when nK leads (or led
 * already), 1 when the transfer did not happen (timed out and aborted, or no node answered), 2 bad usage.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { httpUrl } from '../runtime/addresses.js';
import { nodeName, parseNodeName } from '../runtime/nodeNames.js';
import { parseCluster } from './client.js';
import { ExitCode, UsageError } from './errors.js';
import { integer } from './options.js';
import { usage } from './serve.js';

interface TransferArgs {
  to?: string;
  cluster: string;
  'timeout-ms': number;
}

const DEFAULT_CLUSTER = '127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003';
/** Between rounds over every node while none answers (no leader yet). */
const RETRY_MS = 200;

export const transferLeaderCommand: CommandModule<object, TransferArgs> = {
  command: 'transfer-leader',
  describe: 'Hand leadership of a running cluster to another node (Raft thesis §3.10: TimeoutNow)',
  builder: (yargs: Argv) => yargs
    .option('to', { type: 'string', describe: 'The node to hand leadership to, e.g. n2 (default: the most up-to-date follower)' })
    .option('cluster', { type: 'string', default: DEFAULT_CLUSTER, describe: 'Node addresses, comma-separated (nK=ADDR also accepted)' })
    .option('timeout-ms', { default: 10000, coerce: integer('--timeout-ms', { min: 1 }), describe: 'Give up after this long' })
    .example('$0 transfer-leader --to n2 --cluster 127.0.0.1:7001', 'make n2 the leader') as unknown as Argv<TransferArgs>,
  handler: async (args: ArgumentsCamelCase<TransferArgs>) => {
    const servers = usage(() => parseCluster(args.cluster));
    const to = args.to === undefined ? null : usage(() => parseNodeName(String(args.to)));
    if (!(args['timeout-ms'] > 0)) throw new UsageError('--timeout-ms must be positive');
    const deadline = Date.now() + args['timeout-ms'];
    const path = to === null ? '/transfer-leader' : `/transfer-leader?to=${nodeName(to)}`;
    for (;;) {
      for (const server of servers) {
        const answer = await post(httpUrl(server, path), deadline);
        if (answer === null) continue;
        const { status, body } = answer;
        if (status === 200 || (status === 409 && body.error === 'already-leader')) {
          process.stdout.write(status === 200 ? `${body.leader} leads term ${body.term} (was ${body.from})\n` : `${body.leader} is the leader already\n`);
          process.exitCode = ExitCode.ok;
          return;
        }
        if (status !== 503) {
          process.stderr.write(`raftsim: transfer-leader: ${status} ${body.error ?? ''}: ${body.message ?? JSON.stringify(body)}\n`);
          process.exitCode = status === 400 ? ExitCode.usage : ExitCode.failure;
          return;
        }
      }
      if (Date.now() + RETRY_MS >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
    process.stderr.write('raftsim: transfer-leader: no leader answered in time\n');
    process.exitCode = ExitCode.failure;
  },
};

/** POSTs (following a redirect to the leader); null when the node does not answer. */
async function post(url: string, deadline: number): Promise<{ status: number; body: Record<string, unknown> } | null> {
  try {
    const res = await fetch(url, { method: 'POST', signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) });
    const body = (await res.json()) as Record<string, unknown>;
    return { status: res.status, body };
  } catch {
    return null;
  }
}
