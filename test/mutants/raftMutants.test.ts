/**
 * Each Raft mutant breaks the one rule it names, and the correct core keeps it: the same inputs to
 * a RaftNode and to the mutant, side by side.
 */
import { describe, expect, it } from 'vitest';
import {
  ApplyBeforeCommit, CommitOlderTerm, GrantEveryVote, PreVoteBumpsTerm, TruncateMatchingEntries, VoteWithoutLogCheck,
} from '../../src/mutants/index.js';
import { AssertionError, RaftNode } from '../../src/raft/index.js';
import type { DurableState, Message, RaftConfig, RaftNode as Node } from '../../src/raft/index.js';
import { aeOk, ae, drain, entriesOfTerms, makeConfig, rv, voteFor } from '../raft/harness.js';

type NodeClass = new (config: RaftConfig, durable?: DurableState<string>) => Node<string>;

function granted(messages: Message<string>[]): boolean[] {
  return messages.flatMap((m) => (m.type === 'RequestVoteResponse' ? [m.granted] : []));
}

/** A node of class `Kind` starting from a durable term and log (as harness.ts nodeWithLog). */
function withLog(Kind: NodeClass, id: number, peers: number[], term: number, logTerms: number[]): Node<string> {
  return new Kind(makeConfig(id, peers), { hardState: { term, votedFor: null }, snapshot: null, entries: entriesOfTerms(logTerms) });
}

/** Figure 8 (c): n1 leads term 4 with [1,2] + no-op; n2 and n3 acknowledge only index 2. */
function figure8(Kind: NodeClass): Node<string> {
  const n1 = withLog(Kind, 1, [1, 2, 3, 4, 5], 3, [1, 2]);
  for (let t = 0; t < 10; t++) n1.tick();
  drain(n1);
  n1.step(voteFor(2, 1, 4));
  n1.step(voteFor(3, 1, 4));
  drain(n1);
  n1.step(aeOk(2, 1, 4, 2));
  n1.step(aeOk(3, 1, 4, 2));
  return n1;
}

describe('raft mutants each break the rule they name', () => {
  it('vote-without-log-check: grants a candidate with an older last log term (§5.4.1)', () => {
    const correct = withLog(RaftNode, 1, [1, 2, 3], 3, [1, 3]);
    const mutant = withLog(VoteWithoutLogCheck, 1, [1, 2, 3], 3, [1, 3]);
    for (const n of [correct, mutant]) n.step(rv(2, 1, 4, 9, 2));
    expect(granted(drain(correct).messages)).toEqual([false]);
    expect(granted(drain(mutant).messages)).toEqual([true]);
  });

  it('grant-every-vote: votes for a second candidate in the same term (§5.2)', () => {
    const correct = withLog(RaftNode, 1, [1, 2, 3], 1, [1]);
    const mutant = withLog(GrantEveryVote, 1, [1, 2, 3], 1, [1]);
    for (const n of [correct, mutant]) {
      n.step(rv(2, 1, 2, 1, 1));
      n.step(rv(3, 1, 2, 1, 1));
    }
    expect(granted(drain(correct).messages)).toEqual([true, false]);
    expect(granted(drain(mutant).messages)).toEqual([true, true]);
  });

  it('commit-older-term: commits an older-term entry once it is on a majority (Figure 8)', () => {
    expect(figure8(RaftNode).commitIndex).toBe(0);
    expect(figure8(CommitOlderTerm).commitIndex).toBe(2);
  });

  it('truncate-matching-entries: a stale, shorter AppendEntries cuts acknowledged entries', () => {
    const all = entriesOfTerms([1, 1, 1, 1]);
    const correct = new RaftNode<string>(makeConfig(2, [1, 2, 3]));
    const mutant = new TruncateMatchingEntries<string>(makeConfig(2, [1, 2, 3]));
    for (const n of [correct, mutant]) {
      n.step(ae(1, 2, 1, [0, 0], all));
      n.step(ae(1, 2, 1, [0, 0], all.slice(0, 2)));
    }
    expect(correct.lastIndex).toBe(4);
    expect(mutant.lastIndex).toBe(2);
  });

  it('apply-before-commit: the correct core asserts lastApplied ≤ commitIndex, so the mutant crashes at once', () => {
    // A single voter elects itself; its no-op is appended but not yet durable, so not committed.
    const correct = new RaftNode<string>(makeConfig(1, [1]));
    const mutant = new ApplyBeforeCommit<string>(makeConfig(1, [1]));
    for (const n of [correct, mutant]) {
      for (let t = 0; t < 30 && n.role !== 'leader'; t++) {
        n.tick();
        const ready = n.ready();
        if (ready.persist !== null) n.persisted(ready.persist.id);
      }
      expect(n.role).toBe('leader');
      n.propose('x');
    }
    expect(correct.ready().committed).toEqual([]);
    expect(() => mutant.ready()).toThrow(new AssertionError('raft: lastApplied beyond commitIndex'));
  });

  it('pre-vote-bumps-term: a pre-candidate that can win nothing still raises and persists its term (§9.6)', () => {
    // n1 times out with no answers: the correct pre-candidate stays in term 3 and asks about term 4.
    const correct = new RaftNode<string>(makeConfig(1, [1, 2, 3], { preVote: true }), { hardState: { term: 3, votedFor: null }, snapshot: null, entries: [] });
    const mutant = new PreVoteBumpsTerm<string>(makeConfig(1, [1, 2, 3], { preVote: true }), { hardState: { term: 3, votedFor: null }, snapshot: null, entries: [] });
    const preVoteTerms = (n: Node<string>) => drain(n).messages.flatMap((m) => (m.type === 'PreVote' ? [m.term] : []));
    for (const n of [correct, mutant]) for (let t = 0; t < 60 && n.role !== 'pre-candidate'; t++) n.tick();
    expect([correct.role, mutant.role]).toEqual(['pre-candidate', 'pre-candidate']);
    expect(correct.term).toBe(3);
    expect(preVoteTerms(correct)).toEqual([4, 4]);
    expect(mutant.term).toBe(4);
    expect(preVoteTerms(mutant)).toEqual([5, 5]);
  });
});
