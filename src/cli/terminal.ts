/**
 * Terminal manners shared by every command: a reader that stops early is not an error, NO_COLOR
 * and non-terminals get no escape codes, yargs' messages reach the user whole, an unknown command
 * is named as such.
 */
import chalk from 'chalk';

/**
 * `raftsim … | head`: once the reader has gone, stop quietly (exit 0, no stack trace). A closed
 * stderr only silences the progress and warnings written there: the results still go to stdout.
 */
export function exitQuietlyWhenReaderLeaves(onOtherError: (message: string) => void): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (isClosedPipe(error)) process.exit(0);
    onOtherError(error.message);
  });
  // Nowhere is left to report a broken stderr; without this listener it would crash the command.
  process.stderr.on('error', () => undefined);
}

/** EPIPE on the write that hit the closed pipe; ERR_STREAM_DESTROYED on the writes after it. */
function isClosedPipe(error: NodeJS.ErrnoException): boolean {
  return error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED';
}

/**
 * Whether to colour, by precedence: --no-color / --color on the command line, then FORCE_COLOR
 * (a tool that runs raftsim and wants colour through its pipe), then NO_COLOR (no-color.org: set
 * and not empty), then chalk's own look at the terminal (never colour for a pipe or a file).
 * Returns false when colour must be off; true when chalk may decide as usual.
 */
export function colorAllowed(args: readonly string[], env: NodeJS.ProcessEnv): boolean {
  const flags = args.slice(0, args.includes('--') ? args.indexOf('--') : args.length);
  if (flags.some((a) => a === '--no-color' || a === '--color=false')) return false;
  if (flags.some((a) => a === '--color' || a === '--color=true')) return true;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return env.NO_COLOR === undefined || env.NO_COLOR === '';
}

/** Turns colour off for every chalk style in the process (styles read the level when they paint). */
export function applyColorChoice(args: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  if (!colorAllowed(args, env)) chalk.level = 0;
}

/**
 * yargs' message on one line: "Invalid values:" and the lines that say which (the argument, what
 * was given, the choices) instead of the first line alone.
 */
export function oneLine(message: string): string {
  const lines = message.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  let text = '';
  for (const line of lines) text = text === '' ? line : `${text}${text.endsWith(':') ? ' ' : '; '}${line}`;
  return text;
}

/**
 * "unknown command: frob" with the commands there are, and the nearest one when it is close
 * (a typo); null when the first word is a command, an option, or absent.
 */
export function unknownCommandProblem(args: readonly string[], commands: readonly string[]): string | null {
  const word = args.find((a) => !a.startsWith('-'));
  if (word === undefined || commands.includes(word)) return null;
  const nearest = closest(word, commands);
  const hint = nearest === null ? '' : ` (did you mean ${nearest}?)`;
  return `unknown command: ${word}${hint}; the commands are ${commands.join(', ')} (raftsim --help)`;
}

function closest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  // A typo changes a letter or two; "frob" is not a misspelt "fuzz".
  return bestDistance <= Math.min(2, Math.floor(word.length / 2)) ? best : null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}

/** A parse error from yargs itself (a coerce function that threw is wrapped in one). */
export function isYargsError(error: unknown): boolean {
  return error instanceof Error && error.name === 'YError';
}
