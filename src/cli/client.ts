/**
 * `raftsim client get|put|delete|append|cas …`: one KV operation against a real cluster. Finds the
 * leader (follows redirects), retries with the same client id and seq (applied at most once), and
 * prints the result. Exit 0 answered (a cas that did not match is an answer too), 1 certainly not
 * applied (no server took it), 3 outcome unknown after retries (retry with the printed
 * --client-id and --seq), 2 bad usage.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { KvOperation } from '../kv/types.js';
import { parseAddress, type Address } from '../runtime/addresses.js';
import { HttpKvClient, type ClientResult } from '../runtime/httpKvClient.js';
import { ONE_SHOT_ID_BASE } from '../runtime/http/clientIdentity.js';
import { MAX_KEY_BYTES } from '../runtime/http/kvRoute.js';
import { ExitCode, UsageError } from './errors.js';
import { integer } from './options.js';
import { usage } from './serve.js';

interface ClientArgs {
  op: string;
  key: string;
  args: string[];
  cluster: string;
  json: boolean;
  'expect-absent': boolean;
  'client-id'?: number;
  seq?: number;
  'timeout-ms': number;
}

const DEFAULT_CLUSTER = '127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003';
const ARITY: Record<KvOperation['f'], string> = { get: '', delete: '', put: 'VALUE', append: 'VALUE', cas: 'EXPECTED VALUE' };

export const clientCommand: CommandModule<object, ClientArgs> = {
  command: 'client <op> <key> [args..]',
  describe: 'One KV operation (get, put, delete, append, cas) against a running cluster',
  builder: (yargs: Argv) => yargs
    .positional('op', { type: 'string', choices: Object.keys(ARITY), describe: 'The operation' })
    .positional('key', { type: 'string', describe: 'The key' })
    .positional('args', { type: 'string', array: true, describe: 'put/append: VALUE; cas: EXPECTED VALUE (or VALUE with --expect-absent)' })
    .option('cluster', { type: 'string', default: DEFAULT_CLUSTER, describe: 'Node addresses, comma-separated (nK=ADDR also accepted)' })
    .option('json', { type: 'boolean', default: false, describe: 'Print one JSON object' })
    .option('expect-absent', { type: 'boolean', default: false, describe: 'cas: succeed only if the key is absent (expected null)' })
    .option('client-id', { coerce: integer('--client-id', { min: 1, max: ONE_SHOT_ID_BASE - 1 }), describe: 'Client id (default: random); with --seq, retries an earlier unknown outcome' })
    .option('seq', { coerce: integer('--seq', { min: 1 }), describe: 'Sequence number for this operation (default 1)' })
    .option('timeout-ms', { default: 20000, coerce: integer('--timeout-ms', { min: 1 }), describe: 'Give up after this long (outcome unknown if any server may have taken it)' })
    .string(['key', 'args'])
    .example('$0 client put greeting hello', 'set a key')
    .example('$0 client cas greeting hello bye --json', 'compare-and-set, JSON output')
    .example('$0 client get greeting --cluster 127.0.0.1:7001', 'read through the log, via any node') as unknown as Argv<ClientArgs>,
  handler: async (args: ArgumentsCamelCase<ClientArgs>) => {
    const op = operationOf(args);
    const servers = usage(() => parseCluster(args.cluster));
    const clientId = args['client-id'];
    if (clientId !== undefined && !(Number.isSafeInteger(clientId) && clientId >= 1 && clientId < ONE_SHOT_ID_BASE)) {
      throw new UsageError(`--client-id must be an integer in [1, 2^48), got ${clientId}`);
    }
    if (args.seq !== undefined && !(Number.isSafeInteger(args.seq) && args.seq >= 1)) throw new UsageError(`--seq must be a positive integer, got ${args.seq}`);
    if (!(args['timeout-ms'] > 0)) throw new UsageError('--timeout-ms must be positive');
    const client = new HttpKvClient({
      servers, deadlineMs: args['timeout-ms'],
      ...(clientId === undefined ? {} : { clientId }), ...(args.seq === undefined ? {} : { firstSeq: args.seq }),
    });
    const result = await client.call(op);
    print(result, op, args.json);
    process.exitCode = exitCodeOf(result);
  },
};

function operationOf(args: ClientArgs): KvOperation {
  const f = args.op as KvOperation['f'];
  const key = String(args.key);
  const rest = (args.args ?? []).map(String);
  if (key === '' || Buffer.byteLength(key) > MAX_KEY_BYTES) throw new UsageError(`the key must be 1 to ${MAX_KEY_BYTES} bytes`);
  const absent = args['expect-absent'];
  if (absent && f !== 'cas') throw new UsageError('--expect-absent is for cas only');
  const want = f === 'cas' && absent ? 1 : ARITY[f] === '' ? 0 : ARITY[f].split(' ').length;
  if (rest.length !== want) {
    const shape = f === 'cas' ? 'cas KEY EXPECTED VALUE, or cas KEY VALUE --expect-absent' : `${f} KEY ${ARITY[f]}`.trim();
    throw new UsageError(`${f} takes ${want} value${want === 1 ? '' : 's'} after the key: ${shape}`);
  }
  switch (f) {
    case 'get': case 'delete': return { f, key };
    case 'put': case 'append': return { f, key, value: rest[0]! };
    case 'cas': return absent ? { f, key, expected: null, value: rest[0]! } : { f, key, expected: rest[0]!, value: rest[1]! };
  }
}

export function parseCluster(text: string): Address[] {
  const items = text.split(',').map((item) => item.trim()).filter((item) => item !== '');
  if (items.length === 0) throw new UsageError('--cluster names no address');
  return items.map((item) => parseAddress(item.includes('=') ? item.slice(item.indexOf('=') + 1) : item));
}

function exitCodeOf(result: ClientResult): number {
  switch (result.kind) {
    case 'ok': return ExitCode.ok;
    case 'unknown': return ExitCode.unknown;
    case 'failed': case 'rejected': return ExitCode.failure;
  }
}

function print(result: ClientResult, op: KvOperation, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ op: op.f, key: op.key, ...result })}\n`);
    return;
  }
  switch (result.kind) {
    case 'ok': {
      const output = result.output as { value?: string | null; ok?: boolean };
      if (op.f === 'get') process.stdout.write(output.value === null ? '(absent)\n' : `${output.value}\n`);
      else if (op.f === 'cas') process.stdout.write(output.ok === true ? 'ok\n' : 'not applied: the value did not match\n');
      else process.stdout.write('ok\n');
      return;
    }
    case 'unknown':
      process.stderr.write(`raftsim: outcome unknown (${result.reason}); retry with --client-id ${result.clientId} --seq ${result.seq}\n`);
      return;
    case 'failed':
      process.stderr.write(`raftsim: not applied: ${result.reason}\n`);
      return;
    case 'rejected':
      process.stderr.write(`raftsim: refused (HTTP ${result.status} ${result.error}): ${result.message}\n`);
      return;
  }
}

