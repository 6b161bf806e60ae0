/**
 * The datadriven runner itself: golden tests are only worth having if a wrong expectation fails,
 * readably, and a rewrite can never pass silently.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from './datadriven/commands/index.js';
import { InteractionEnv } from './datadriven/env.js';
import { parseCommand, parseDataDriven } from './datadriven/parse.js';
import { runDataDrivenFile } from './datadriven/runner.js';

/** A handler that echoes its command's words, upper-cased: output is predictable. */
const shout = (stanza: { command: { words: readonly string[] } }): string => stanza.command.words.join(' ').toUpperCase();

function fileWith(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'raftsim-dd-')), 'case.txt');
  writeFileSync(path, text);
  return path;
}

describe('datadriven runner', () => {
  it('passes when every output matches, and reads the double-separator form', () => {
    const path = fileWith('# a comment\necho a b\n----\nA B\n\necho\n----\n\necho x\n----\n----\nX\n----\n----\n');
    expect(() => runDataDrivenFile(path, shout, { rewrite: false })).not.toThrow();
  });

  it('fails a wrong expectation with file:line, the command and a line diff', () => {
    const path = fileWith('echo ok\n----\nOK\n\necho a b\n----\nA\nC\n');
    expect(() => runDataDrivenFile(path, shout, { rewrite: false })).toThrow(
      `${path}:5: output of "echo a b" differs (- expected, + actual):\n- A\n- C\n+ A B\nRerun with UPDATE_GOLDEN=1`,
    );
  });

  it('on rewrite, writes the actual outputs (keeping comments) and then fails with "golden updated"', () => {
    const path = fileWith('# keep me\necho a\n----\nwrong\n\n# and me\necho b\n----\nB\n');
    expect(() => runDataDrivenFile(path, shout, { rewrite: true })).toThrow(/^golden updated: .*\(1 of 2 outputs changed\)/);
    expect(readFileSync(path, 'utf8')).toBe('# keep me\necho a\n----\nA\n\n# and me\necho b\n----\nB\n');
    // Even with nothing to change, a rewrite run fails: it can never pass silently.
    expect(() => runDataDrivenFile(path, shout, { rewrite: true })).toThrow(/golden updated/);
    expect(() => runDataDrivenFile(path, shout, { rewrite: false })).not.toThrow();
  });

  it('writes an output with a blank line in the double-separator form, which reads back', () => {
    const path = fileWith('echo\n----\nstale\n');
    expect(() => runDataDrivenFile(path, () => 'one\n\ntwo', { rewrite: true })).toThrow(/golden updated/);
    expect(readFileSync(path, 'utf8')).toBe('echo\n----\n----\none\n\ntwo\n----\n----\n');
    expect(parseDataDriven(readFileSync(path, 'utf8'), path)[0]!.expected).toBe('one\n\ntwo\n');
  });

  it('parses words, key=value and key=(list) arguments', () => {
    const cmd = parseCommand('deliver-msgs 2 drop from=(1, 3) type=AppendEntries', 'here');
    expect([cmd.name, cmd.words, Object.fromEntries(cmd.named)]).toEqual([
      'deliver-msgs', ['2', 'drop'], { from: ['1', '3'], type: ['AppendEntries'] },
    ]);
    expect(() => parseDataDriven('campaign 1\nstatus\n', 'f.txt')).toThrow('f.txt:1: expected "----" after the command');
  });

  it('rejects unknown commands and arguments with the usage, so a typo cannot pass silently', () => {
    const env = new InteractionEnv();
    expect(() => runCommand(env, parseCommand('campain 1', 'here'))).toThrow(/unknown command "campain"/);
    expect(() => runCommand(env, parseCommand('add-nodes 3 voter=(1,2,3)', 'here'))).toThrow(
      /unknown argument voter=.*\(usage: add-nodes 3 voters=/,
    );
    expect(() => runCommand(env, parseCommand('add-nodes 1 mutant=no-such-mutant', 'here'))).toThrow(/unknown mutant no-such-mutant/);
  });
});
