/**
 * A datadriven test runner after cockroachdb/datadriven, the library etcd-io/raft runs its
 * `testdata/*.txt` interaction tests with.
 *
 * A file is a sequence of stanzas. Each stanza is a command, a `----` line, and the output the
 * command is expected to print, ended by a blank line:
 *
 *     # Comments start with '#'. A command's arguments are words and key=value pairs;
 *     # a value in parentheses is a list.
 *     deliver-msgs 2 3 type=(RequestVote)
 *     ----
 *     n1->n2 RequestVote t1 last=0/0
 *     n1->n3 RequestVote t1 last=0/0
 *
 * An output that contains blank lines is written between `----` `----` and `----` `----`.
 * A command line ending in `\` continues on the next line.
 *
 * The stanzas of one file run in order against one state (the interaction env), so a file tells
 * one story. A mismatch fails with `file:line`, the command and a line diff.
 *
 * Rewriting: run with UPDATE_GOLDEN=1 (`UPDATE_GOLDEN=1 npx vitest run test/raft/interaction`) to
 * write the actual outputs into the files. The test then FAILS with "golden updated", so a rewrite
 * can never pass silently: read the diff (`git diff test/raft/testdata`), commit it only if you can
 * explain every change, and rerun without the variable.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { lineDiff } from './diff.js';
import { formatExpected, parseDataDriven } from './parse.js';
import type { Stanza } from './parse.js';

/** Runs one stanza's command and returns what it printed. */
export type StanzaHandler = (stanza: Stanza) => string;

export interface RunOptions {
  /** Write the actual outputs into the file (then fail). Default: UPDATE_GOLDEN=1 in the environment. */
  readonly rewrite?: boolean;
}

function rewriteRequested(): boolean {
  return process.env['UPDATE_GOLDEN'] === '1';
}

/** Runs every stanza of the file at `path` through `handle` and checks (or rewrites) its output. */
export function runDataDrivenFile(path: string, handle: StanzaHandler, options: RunOptions = {}): void {
  const rewrite = options.rewrite ?? rewriteRequested();
  const text = readFileSync(path, 'utf8');
  const stanzas = parseDataDriven(text, path);
  const actuals: string[] = [];
  for (const stanza of stanzas) {
    const actual = runStanza(path, stanza, handle);
    if (!rewrite && actual !== stanza.expected) throw new Error(mismatchMessage(path, stanza, actual));
    actuals.push(actual);
  }
  if (!rewrite) return;
  writeFileSync(path, rewriteFile(text, stanzas, actuals));
  const changed = stanzas.filter((s, k) => s.expected !== actuals[k]).length;
  throw new Error(
    `golden updated: ${path} (${changed} of ${stanzas.length} outputs changed). ` +
      'Review the diff, then rerun without UPDATE_GOLDEN.',
  );
}

function runStanza(path: string, stanza: Stanza, handle: StanzaHandler): string {
  let output: string;
  try {
    output = handle(stanza);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${path}:${stanza.line}: ${stanza.text}: ${message}`, { cause: error });
  }
  if (output !== '' && !output.endsWith('\n')) output += '\n';
  // A line "----" in the output would read back as a separator.
  if (output.split('\n').includes('----')) throw new Error(`${path}:${stanza.line}: output contains a "----" line`);
  return output;
}

function mismatchMessage(path: string, stanza: Stanza, actual: string): string {
  return [
    `${path}:${stanza.line}: output of "${stanza.text}" differs (- expected, + actual):`,
    lineDiff(stanza.expected, actual),
    'Rerun with UPDATE_GOLDEN=1 to rewrite the file if the new output is right.',
  ].join('\n');
}

/** The file's text with each stanza's expected output replaced by the actual one. */
export function rewriteFile(text: string, stanzas: readonly Stanza[], actuals: readonly string[]): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let next = 0;
  stanzas.forEach((stanza, k) => {
    out.push(...lines.slice(next, stanza.outputFrom), ...formatExpected(actuals[k]!));
    next = stanza.outputTo;
    // The single form ends at a blank line: keep one before whatever follows.
    const following = lines[next];
    if (following !== undefined && following.trim() !== '') out.push('');
  });
  out.push(...lines.slice(next));
  return out.join('\n');
}
