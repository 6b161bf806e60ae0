/**
 * `raftsim serve` turns PreVote and CheckQuorum on by default (as etcd's server does); each has a
 * --no- form. Read through the command's own yargs builder, in process (no node is started).
 */
import yargs from 'yargs';
import { describe, expect, it } from 'vitest';
import { serveCommand } from '../../src/cli/serve.js';

function parsed(...flags: string[]): Record<string, unknown> {
  let seen: Record<string, unknown> = {};
  yargs(['serve', '--id', 'n1', '--data', '/tmp/raftsim-never-created', ...flags])
    .command({ ...serveCommand, handler: (args: Record<string, unknown>) => { seen = args; } } as never)
    .strict()
    .parseSync();
  return seen;
}

describe('serve: --pre-vote and --check-quorum', () => {
  it('are on by default', () => {
    expect(parsed()).toMatchObject({ 'pre-vote': true, 'check-quorum': true });
  });

  it('each turns off alone', () => {
    expect(parsed('--no-pre-vote')).toMatchObject({ 'pre-vote': false, 'check-quorum': true });
    expect(parsed('--no-check-quorum')).toMatchObject({ 'pre-vote': true, 'check-quorum': false });
    expect(parsed('--check-quorum=false', '--pre-vote')).toMatchObject({ 'pre-vote': true, 'check-quorum': false });
  });
});
