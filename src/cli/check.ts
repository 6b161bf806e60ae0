/**
 * `raftsim check <history.json>...`: checks recorded histories for linearizability.
 * Exit 0: all linearizable; 1: some history is not; 3: some timed out and none is not; 2: bad
 * input (one line naming the file and the problem, thrown as UsageError and printed by main).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import chalk, { Chalk, type ChalkInstance } from 'chalk';
import yargs, { type Argv, type CommandModule } from 'yargs';
import {
  checkOperations, describeModels, findModel, formatExplanation, modelNames, parseHistory, renderHtmlReport,
  type AnyModel, type CheckResult, type History, type Verdict,
} from '../checker/index.js';
import { ExitCode, UsageError } from './errors.js';
import { decimal, parseDecimal } from './options.js';
import { isYargsError, oneLine } from './terminal.js';

export interface CheckArgs {
  readonly histories: readonly string[];
  readonly model?: string | undefined;
  /** Seconds per history; absent or 0: no limit. */
  readonly timeout?: number | undefined;
  readonly html?: string | undefined;
  readonly json?: boolean | undefined;
  /** The global --color/--no-color flag; color is also off when NO_COLOR is set or not a terminal (see terminal.ts). */
  readonly color?: boolean | undefined;
}

/** Everything the command touches outside itself, so tests can replace it. */
export interface CheckIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly now: () => number;
  readonly readFile: (path: string) => string;
  readonly writeFile: (path: string, text: string) => void;
}

export const nodeIo: CheckIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  now: () => performance.now(),
  readFile: (path) => readFileSync(path, 'utf8'),
  writeFile: (path, text) => writeFileSync(path, text),
};

interface Checked {
  readonly file: string;
  readonly history: History;
  readonly model: AnyModel;
  readonly result: CheckResult;
  readonly ms: number;
}

const EXAMPLES: ReadonlyArray<[string, string]> = [
  ['$0 check out/history.json', 'Check one history (model from its "model" field)'],
  ['$0 check test/fixtures/porcupine/etcd/*.json --timeout 10', 'Check many, 10 s limit each'],
  ['$0 check h.json --model raftsim-kv --html report.html', 'Force the model, write an HTML page'],
  ['$0 check a.json b.json --json', 'Print a JSON array, one history object per line'],
];

const HELP = {
  histories: 'History JSON files',
  model: `Model to check against, instead of each file's "model" field:\n${describeModels().join('\n')}`,
  timeout: 'Time limit per history in seconds; past it the verdict is unknown (exit 3). 0: none',
  html: 'Write one self-contained HTML page with every history to this file (opens at the first failure; an index and totals for many histories)',
  json: 'Print a JSON array instead of text, one history object per line: ' +
    '{file, model, result, operations, partitions, ms, failures?}',
  epilogue: 'Exit codes: 0 all linearizable, 1 some not linearizable, ' +
    '3 some unknown (time-out, or the 4 GiB memory bound) and none not, 2 bad input.',
};

function builder(argv: Argv): Argv<CheckArgs> {
  return argv
    .positional('histories', { type: 'string', array: true, demandOption: true, describe: HELP.histories })
    .option('model', { type: 'string', describe: HELP.model })
    .option('timeout', { default: 0, coerce: decimal('--timeout', { min: 0 }), describe: HELP.timeout })
    .option('html', { type: 'string', alias: 'report', describe: HELP.html })
    .option('json', { type: 'boolean', describe: HELP.json })
    .example(EXAMPLES as [string, string][])
    .epilogue(HELP.epilogue) as unknown as Argv<CheckArgs>;
}

export const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check <histories..>',
  describe: 'Check histories for linearizability',
  builder,
  handler: (args) => {
    process.exitCode = runCheck(args, nodeIo);
  },
};

/** Runs the command; returns the exit code. Throws UsageError for bad input. */
export function runCheck(args: CheckArgs, io: CheckIo): number {
  const timeoutMs = timeoutOf(args.timeout);
  if (args.model !== undefined && !findModel(args.model)) {
    const known = modelNames().join(', ');
    throw new UsageError(`--model: unknown model ${JSON.stringify(args.model)} (known: ${known})`);
  }
  const inputs = args.histories.map((file) => readHistory(file, args.model, io));
  const checked = inputs.map(({ file, history, model }): Checked => {
    const start = io.now();
    const options = timeoutMs === undefined ? {} : { timeoutMs, now: io.now };
    const result = checkOperations(model, history.operations, options);
    return { file, history, model, result, ms: io.now() - start };
  });
  // main has already turned chalk off for NO_COLOR and for a pipe (applyColorChoice, FORCE_COLOR first).
  const colors = args.color === false ? new Chalk({ level: 0 }) : chalk;
  io.stdout(args.json ? formatJson(checked) : checked.map((c) => formatText(c, colors)).join('') + formatTotals(checked));
  if (args.html !== undefined) {
    const sections = checked.map(({ file, history, model, result }) => ({ title: file, history, result, model }));
    io.writeFile(args.html, renderHtmlReport(sections));
  }
  return exitCode(checked.map((c) => c.result.result));
}

/**
 * Parses argv (the words after `raftsim`) like main does, for tests: bad input gives 2. Color is
 * off unless `--color` is passed.
 */
export async function runCheckArgv(argv: readonly string[], io: CheckIo): Promise<number> {
  let code: number = ExitCode.usage;
  try {
    await yargs([...argv])
      .command({ ...checkCommand, handler: (args) => { code = runCheck(args, io); } })
      .option('color', { type: 'boolean', default: false })
      .strict()
      .fail((message, error) => {
        throw error ?? new UsageError(message);
      })
      .parseAsync();
  } catch (error) {
    if (!(error instanceof UsageError) && !isYargsError(error)) throw error;
    io.stderr(`raftsim: ${oneLine((error as Error).message)}\n`);
    return ExitCode.usage;
  }
  return code;
}

function timeoutOf(seconds: number | undefined): number | undefined {
  if (seconds === undefined || seconds === 0) return undefined;
  return parseDecimal('--timeout', seconds, { min: 0 }) * 1000;
}

function readHistory(
  file: string,
  modelName: string | undefined,
  io: CheckIo,
): { file: string; history: History; model: AnyModel } {
  let text: string;
  try {
    text = io.readFile(file);
  } catch (error) {
    throw new UsageError(`${file}: cannot read the file (${readErrorReason(error)})`);
  }
  const parsed = parseHistory(text, modelName === undefined ? {} : { model: modelName });
  if (!parsed.ok) throw new UsageError(`${file}: ${parsed.error.message}`);
  return { file, history: parsed.history, model: parsed.model };
}

function readErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return code ?? (error instanceof Error ? error.message.split('\n')[0]! : String(error));
}

function exitCode(verdicts: readonly Verdict[]): number {
  if (verdicts.includes('not-linearizable')) return ExitCode.failure;
  return verdicts.includes('unknown') ? ExitCode.unknown : ExitCode.ok;
}

function paint(verdict: Verdict, colors: ChalkInstance): string {
  if (verdict === 'linearizable') return colors.green(verdict);
  return verdict === 'unknown' ? colors.yellow(verdict) : colors.red.bold(verdict);
}

function formatText({ file, history, model, result, ms }: Checked, colors: ChalkInstance): string {
  const parts = result.parts.length;
  const why = result.stoppedBy === undefined ? '' : result.stoppedBy === 'memory' ? ' (memory bound reached)' : ' (time-out)';
  const line = `${file}  ${paint(result.result, colors)}${why}  ${history.operations.length} ops  ` +
    `${parts} ${parts === 1 ? 'partition' : 'partitions'}  ${Math.round(ms)} ms\n`;
  if (result.result !== 'not-linearizable') return line;
  const explanation = formatExplanation(model, history.operations, result);
  return line + explanation.map((text) => `  ${text}\n`).join('');
}

/** With more than one file: "102 histories: 99 linearizable, 2 not linearizable, 1 unknown". */
export function formatTotals(checked: readonly { readonly result: { readonly result: Verdict } }[]): string {
  if (checked.length < 2) return '';
  const count = (verdict: Verdict) => checked.filter((c) => c.result.result === verdict).length;
  return `${checked.length} histories: ${count('linearizable')} linearizable, ${count('not-linearizable')} not linearizable, ${count('unknown')} unknown\n`;
}

function formatJson(checked: readonly Checked[]): string {
  const lines = checked.map(({ file, history, model, result, ms }) => JSON.stringify({
    file,
    model: model.name,
    result: result.result,
    operations: history.operations.length,
    partitions: result.parts.length,
    ms: Math.round(ms * 10) / 10,
    ...(result.stoppedBy === undefined ? {} : { stoppedBy: result.stoppedBy }),
    ...(result.result === 'not-linearizable' ? {
      failures: result.parts.filter((part) => part.failure).map((part) => ({
        part: part.label,
        linearization: part.linearization,
        pending: part.failure!.pending,
        blocked: part.failure!.blocked,
      })),
    } : {}),
  }));
  return `[\n${lines.join(',\n')}\n]\n`;
}
