/**
 * Parsing of datadriven test files (the format of cockroachdb/datadriven, as etcd-io/raft uses it
 * in `testdata/*.txt`). See runner.ts for the format in full.
 *
 * A file is kept as lines; each stanza remembers which lines hold its expected output, so that a
 * rewrite replaces exactly those and leaves comments and spacing as the author wrote them.
 */

export interface Command {
  /** The command name, e.g. `deliver-msgs`. */
  readonly name: string;
  /** Arguments without a value, in order: `campaign 1` → ['1'], `deliver-msgs 2 drop` → ['2', 'drop']. */
  readonly words: readonly string[];
  /** Arguments with values: `voters=(1,2,3)` → voters: ['1','2','3']; `term=3` → term: ['3']. */
  readonly named: ReadonlyMap<string, readonly string[]>;
}

export interface Stanza {
  /** 1-based line of the command, for error messages (`file.txt:12`). */
  readonly line: number;
  /** The command line as written (continuations joined). */
  readonly text: string;
  readonly command: Command;
  readonly expected: string;
  /** Lines [from, to) of the file that hold the separator(s) and the expected output. */
  readonly outputFrom: number;
  readonly outputTo: number;
}

const SEPARATOR = '----';

/** Splits a datadriven file into stanzas. Throws with `path:line` on malformed input. */
export function parseDataDriven(text: string, path: string): Stanza[] {
  const lines = text.split('\n');
  const stanzas: Stanza[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '' || line.startsWith('#')) {
      i++;
      continue;
    }
    const start = i;
    let commandText = line;
    // A trailing backslash continues the command on the next line.
    while (commandText.endsWith('\\') && i + 1 < lines.length) {
      i++;
      commandText = `${commandText.slice(0, -1)} ${lines[i]!.trim()}`;
    }
    i++;
    if (lines[i] !== SEPARATOR) throw new Error(`${path}:${start + 1}: expected "${SEPARATOR}" after the command`);
    const output = readExpected(lines, i, `${path}:${start + 1}`);
    stanzas.push({
      line: start + 1,
      text: commandText.trim(),
      command: parseCommand(commandText, `${path}:${start + 1}`),
      expected: output.text,
      outputFrom: i,
      outputTo: output.end,
    });
    i = output.end;
  }
  return stanzas;
}

/**
 * Reads the expected output after the separator at `sep`. Single form: lines up to a blank line
 * or the end. Double form (`----` twice): lines up to a closing `----` `----`, so the output may
 * contain blank lines. Returns the text (each line ending in a newline) and the next line index.
 */
function readExpected(lines: readonly string[], sep: number, where: string): { text: string; end: number } {
  const body: string[] = [];
  if (lines[sep + 1] === SEPARATOR) {
    let i = sep + 2;
    while (!(lines[i] === SEPARATOR && lines[i + 1] === SEPARATOR)) {
      if (i >= lines.length) throw new Error(`${where}: no closing "${SEPARATOR}" "${SEPARATOR}"`);
      body.push(lines[i]!);
      i++;
    }
    return { text: joinLines(body), end: i + 2 };
  }
  let i = sep + 1;
  while (i < lines.length && lines[i]!.trim() !== '') body.push(lines[i++]!);
  return { text: joinLines(body), end: i };
}

function joinLines(lines: readonly string[]): string {
  return lines.map((l) => `${l}\n`).join('');
}

/** The lines that stand for `output` after a command: the double form if it has a blank line. */
export function formatExpected(output: string): string[] {
  const lines = output === '' ? [] : output.replace(/\n$/, '').split('\n');
  if (lines.some((l) => l.trim() === '')) return [SEPARATOR, SEPARATOR, ...lines, SEPARATOR, SEPARATOR];
  return [SEPARATOR, ...lines];
}

/** `name word key=value key=(a, b)` → Command. Parentheses group a list; commas separate it. */
export function parseCommand(text: string, where: string): Command {
  const tokens = tokenize(text, where);
  if (tokens.length === 0) throw new Error(`${where}: empty command`);
  const words: string[] = [];
  const named = new Map<string, string[]>();
  for (const token of tokens.slice(1)) {
    const eq = token.indexOf('=');
    if (eq < 0) {
      words.push(token);
      continue;
    }
    const key = token.slice(0, eq);
    let value = token.slice(eq + 1);
    if (named.has(key)) throw new Error(`${where}: argument ${key} given twice`);
    const isList = value.startsWith('(') && value.endsWith(')');
    if (isList) value = value.slice(1, -1);
    named.set(key, isList ? value.split(',').map((v) => v.trim()).filter((v) => v !== '') : [value]);
  }
  return { name: tokens[0]!, words, named };
}

/** Splits on whitespace outside parentheses. */
function tokenize(text: string, where: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of text.trim()) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0) throw new Error(`${where}: unbalanced ")"`);
    if (depth === 0 && /\s/.test(ch)) {
      if (current !== '') tokens.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (depth !== 0) throw new Error(`${where}: unbalanced "("`);
  if (current !== '') tokens.push(current);
  return tokens;
}
