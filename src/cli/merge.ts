/**
 * `raftsim merge`: combines the `--json` summaries of a campaign's shards (`fuzz --shard i/n`,
 * run on several machines) into the summary one process would have printed, in fuzz's text form
 * or as JSON. Reading and checking the files is here; the merge itself is
 * src/harness/mergeSummaries.ts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import chalk from 'chalk';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { mergeSummaries } from '../harness/mergeSummaries.js';
import type { LabelledSummary, MergedSummary } from '../harness/mergeSummaries.js';
import { MergeInputError, parseShardSummary } from '../harness/shardSummary.js';
import { COVERAGE_NAMES } from '../sim/coverage.js';
import type { ShardFailure, ShardSummary } from '../harness/shardSummary.js';
import { ExitCode, UsageError } from './errors.js';
import { formatSummary } from './fuzz/summary.js';

interface MergeArgs {
  summaries?: string[];
  json: boolean;
}

export const mergeCommand: CommandModule<object, MergeArgs> = {
  command: 'merge [summaries..]',
  describe: 'Combine the --json summaries of a sharded fuzz campaign into the summary of the whole campaign',
  builder: (yargs: Argv) =>
    yargs
      .positional('summaries', {
        type: 'string', array: true,
        describe: 'Summary files (fuzz --shard i/n --json > FILE), directories holding them, or - (stdin, one summary per line)',
      })
      .option('json', { type: 'boolean', default: false, describe: 'Print the merged summary as one JSON object, in the form of fuzz --json' })
      .example('$0 merge shard-*.json', 'the shards of one campaign, one file each')
      .example('$0 merge shards/', 'every summary under shards/ (failure folders are skipped)')
      .example('cat shard-*.json | $0 merge -', 'summaries on stdin')
      .epilogue('The result has the totals, failure order and coverage table that one fuzz process would have printed for the whole campaign ' +
        '(without --keep-going: up to the first failure in plan order; failures that other shards found later are listed apart). ' +
        'Exit codes as fuzz: 0 no failure, 1 a seed failed, 2 bad input (not a summary, different campaigns, a shard missing or given twice), ' +
        '3 some check timed out.') as unknown as Argv<MergeArgs>,
  handler: (args: ArgumentsCamelCase<MergeArgs>) => {
    let merged: MergedSummary;
    try {
      merged = mergeSummaries(readSummaries(sourcesOf(args.summaries ?? [])));
    } catch (error) {
      if (error instanceof MergeInputError) throw new UsageError(error.message);
      throw error;
    }
    if (!args.json && merged.shardRecord.coverageNames.join() !== COVERAGE_NAMES.join()) {
      // The table is drawn from this build's list of counters.
      throw new UsageError(`the summaries count other coverage counters than this raftsim (they come from ${merged.shardRecord.codeVersion}): ` +
        'merge them with --json, or with the raftsim that made them');
    }
    process.stdout.write(args.json ? `${JSON.stringify(merged)}\n` : formatMerged(merged));
    process.exitCode = merged.failed > 0 ? ExitCode.failure : merged.unknown > 0 ? ExitCode.unknown : ExitCode.ok;
  },
};

/**
 * yargs drops a lone "-" from the positionals, so it is looked for in argv; with no source at
 * all, a pipe on stdin is read.
 */
function sourcesOf(named: readonly string[]): string[] {
  const stdin = process.argv.slice(2).includes('-') || (named.length === 0 && !process.stdin.isTTY);
  if (named.length === 0 && !stdin) throw new UsageError('name the summaries to merge: files, directories, or - for stdin');
  return stdin ? [...named, '-'] : [...named];
}

/** Every summary named, in the order given (a directory's files sorted by path). */
export function readSummaries(sources: readonly string[]): LabelledSummary[] {
  return sources.flatMap((source) => {
    if (source === '-') return stdinSummaries();
    if (!existsSync(source)) throw new UsageError(`${source}: no such file or directory`);
    if (!statSync(source).isDirectory()) return [fileSummary(source)];
    const files = summaryFilesUnder(source);
    if (files.length === 0) throw new UsageError(`${source}: no .json file in it`);
    return files.map(fileSummary);
  });
}

function fileSummary(file: string): LabelledSummary {
  return { label: file, summary: withFoldersFrom(file, parseShardSummary(readFileSync(file, 'utf8'), file)) };
}

/** One JSON document, or one summary per line (fuzz --json prints one line). */
function stdinSummaries(): LabelledSummary[] {
  const text = readFileSync(0, 'utf8');
  try {
    return [{ label: 'stdin', summary: parseShardSummary(text, 'stdin') }];
  } catch {
    const lines = text.split('\n').map((line, i) => ({ line, label: `stdin line ${i + 1}` })).filter(({ line }) => line.trim() !== '');
    if (lines.length === 0) throw new UsageError('stdin: empty, no summary to merge');
    return lines.map(({ line, label }) => ({ label, summary: parseShardSummary(line, label) }));
  }
}

/**
 * The .json files under a directory, at any depth, except failure folders (fuzz --out writes
 * failure.json and history.json there): a downloaded CI artifact holds both.
 */
function summaryFilesUnder(dir: string): string[] {
  const names = readdirSync(dir).sort();
  if (names.includes('failure.json')) return [];
  return names.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return summaryFilesUnder(path);
    return name.endsWith('.json') ? [path] : [];
  });
}

/**
 * A shard's failure folders are named relative to where it ran; when they sit next to its summary
 * (a downloaded artifact: summary.json and failures/), name them from here instead.
 */
function withFoldersFrom(file: string, summary: ShardSummary): ShardSummary {
  const base = dirname(file);
  if (base === '.') return summary;
  const moved = (failure: ShardFailure): ShardFailure => {
    const folder = failure.folder;
    if (folder === undefined || isAbsolute(folder) || !existsSync(join(base, folder))) return failure;
    const here = relative('.', join(base, folder));
    return { ...failure, folder: here, replay: failure.replay.split(folder).join(here) };
  };
  return { ...summary, failures: summary.failures.map(moved) };
}

function formatMerged(merged: MergedSummary): string {
  const c = merged.campaign;
  const names = c.scenarios.length <= 3 ? c.scenarios.join(', ') : `${c.scenarios.length} scenarios`;
  const seeds = c.seedCount === null ? `seeds from ${c.startSeed} for ${(c.durationMs ?? 0) / 1000} s` : `seeds ${c.startSeed}..${c.startSeed + c.seedCount - 1}`;
  const shards = merged.mergedFrom.length;
  const header = [`merge of ${shards} shard${shards === 1 ? '' : 's'}: fuzz ${names}`, seeds, c.swarm ? 'swarm' : 'no swarm',
    c.bug ? chalk.yellow(`bug ${c.bug}`) : null, c.checkDeterminism ? 'determinism check' : null].filter(Boolean).join(' · ');
  const lines = [header, formatSummary(merged).trimEnd()];
  if (merged.failuresAfterStop.length > 0) {
    const n = merged.failuresAfterStop.length;
    lines.push('', `${n} more failure${n === 1 ? '' : 's'} found by shards after the first failure, ` +
      'in runs one process would not have made (--keep-going runs every seed):');
    for (const f of merged.failuresAfterStop) {
      lines.push(`${chalk.red('FAIL')} ${f.scenario} seed ${f.seed}: ${f.violation.kind}: ${f.violation.invariant} at ${f.violation.timeMs} ms: ${f.violation.message}`);
      lines.push(`     replay: ${f.replay}`);
      if (f.folder) lines.push(`     folder: ${f.folder}`);
    }
  }
  return lines.join('\n') + '\n';
}
