/**
 * Reading a command's arguments, strictly: an argument a command does not know is an error, so a
 * typo in a golden file fails loudly instead of being ignored.
 */
import type { NodeId } from '../../../../src/raft/index.js';
import type { Command } from '../parse.js';

/** Throws unless every named argument is in `names` and every non-numeric word in `flags`. */
export function checkArgs(cmd: Command, names: readonly string[], flags: readonly string[] = []): void {
  for (const key of cmd.named.keys()) {
    if (!names.includes(key)) throw new Error(`unknown argument ${key}= (known: ${names.join(', ') || 'none'})`);
  }
  for (const word of cmd.words) {
    if (!isInteger(word) && !flags.includes(word)) throw new Error(`unknown word "${word}"`);
  }
}

/** The integers among the words, in order (`tick 1 5` → [1, 5]). */
export function intWords(cmd: Command): number[] {
  return cmd.words.filter(isInteger).map(Number);
}

/** The node ids among the words (`process-ready 1 3` → [1, 3]). */
export function nodeIds(cmd: Command): NodeId[] {
  return intWords(cmd);
}

/** The single node id a command acts on. */
export function oneNodeId(cmd: Command): NodeId {
  const ids = nodeIds(cmd);
  if (ids.length !== 1) throw new Error(`expected one node id, got ${ids.length}`);
  return ids[0]!;
}

export function hasFlag(cmd: Command, flag: string): boolean {
  return cmd.words.includes(flag);
}

/** A named integer argument, or `fallback` if absent. */
export function intArg(cmd: Command, name: string, fallback: number): number {
  const values = cmd.named.get(name);
  if (values === undefined) return fallback;
  if (values.length !== 1 || !isInteger(values[0]!)) throw new Error(`${name}= must be one integer`);
  return Number(values[0]);
}

/** A named list of integers (`voters=(1,2,3)`), or `fallback` if absent. */
export function intListArg(cmd: Command, name: string, fallback: readonly number[]): number[] {
  const values = cmd.named.get(name);
  if (values === undefined) return [...fallback];
  if (!values.every(isInteger)) throw new Error(`${name}= must be a list of integers`);
  return values.map(Number);
}

export function listArg(cmd: Command, name: string): string[] {
  return [...(cmd.named.get(name) ?? [])];
}

function isInteger(word: string): boolean {
  return /^-?\d+$/.test(word);
}
