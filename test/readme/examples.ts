/**
 * The README's examples with output, and how a real output is compared with one. The convention
 * (stated in the README): a ```console block holds commands, lines `$ npx raftsim …` (or
 * `$ raftsim …`), each followed by the stdout it prints. In an output line `…` stands for any text
 * (wall-clock figures, worker counts); a line of `…` alone stands for any number of lines.
 */

export interface ReadmeCommand {
  /** The words after `raftsim`. */
  readonly args: readonly string[];
  readonly text: string;
  /** README line of the `$` line (1-based). */
  readonly line: number;
  readonly expected: readonly string[];
}

export interface ReadmeExample {
  /** README line of the opening fence (1-based). */
  readonly line: number;
  readonly commands: readonly ReadmeCommand[];
}

const ELLIPSIS = '…';
/** What a shell would read differently from plain words: examples stay runnable without one. */
const SHELL_SYNTAX = /['"`$|&;<>()*?\\]/;

/** Every ```console block of the README, its commands and their expected output. */
export function readmeExamples(readme: string): ReadmeExample[] {
  const lines = readme.split('\n');
  const examples: ReadmeExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```console') continue;
    const start = i;
    const commands: ReadmeCommand[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) {
      const line = lines[i]!;
      if (line.startsWith('$ ')) commands.push(parseCommand(line.slice(2), i + 1));
      else if (commands.length === 0) throw new Error(`README line ${i + 1}: a console block starts with a "$ raftsim …" line`);
      else (commands.at(-1)!.expected as string[]).push(line);
    }
    if (i === lines.length) throw new Error(`README line ${start + 1}: console block never closed`);
    examples.push({ line: start + 1, commands });
  }
  return examples;
}

function parseCommand(text: string, line: number): ReadmeCommand {
  if (SHELL_SYNTAX.test(text)) throw new Error(`README line ${line}: "${text}" needs a shell; examples are plain words`);
  const words = text.trim().split(/\s+/);
  if (words[0] === 'npx') words.shift();
  if (words[0] !== 'raftsim') throw new Error(`README line ${line}: "${text}" is not a raftsim command`);
  return { args: words.slice(1), text, line, expected: [] };
}

/**
 * Where `expected` first fails to match `actual` (lines, without the final newline's empty line),
 * or null when it matches all of it. Backtracking over the `…` lines; the index returned is the
 * furthest expected line any attempt reached, for the message.
 */
export function firstMismatch(expected: readonly string[], actual: readonly string[]): number | null {
  const patterns = expected.map((line) => (line === ELLIPSIS ? null : linePattern(line)));
  const failed = new Set<number>();
  let furthest = 0;
  const matchFrom = (i: number, j: number): boolean => {
    const key = i * (actual.length + 1) + j;
    if (failed.has(key)) return false;
    furthest = Math.max(furthest, i);
    let ok: boolean;
    if (i === patterns.length) ok = j === actual.length;
    else if (patterns[i] === null) {
      ok = false;
      for (let k = j; k <= actual.length && !ok; k++) ok = matchFrom(i + 1, k);
    } else ok = j < actual.length && patterns[i]!.test(actual[j]!) && matchFrom(i + 1, j + 1);
    if (!ok) failed.add(key);
    return ok;
  };
  return matchFrom(0, 0) ? null : Math.min(furthest, expected.length - 1);
}

function linePattern(line: string): RegExp {
  const parts = line.split(ELLIPSIS).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`);
}

/** The output's lines as the README shows them: no final empty line after the last newline. */
export function outputLines(stdout: string): string[] {
  const lines = stdout.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
