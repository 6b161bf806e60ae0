import { describe, expect, it } from 'vitest';
import { RaftNode } from '../../src/raft/index.js';
import type { Message, RaftBugs, RaftNode as Node } from '../../src/raft/index.js';
import { aeOk, ae, drain, entriesOfTerms, makeConfig, nodeWithLog, rv, voteFor } from './harness.js';

function granted(messages: Message<string>[]): boolean[] {
  return messages.flatMap((m) => (m.type === 'RequestVoteResponse' ? [m.granted] : []));
}

/** Figure 8 (c): n1 leads term 4 with [1,2] + no-op; n2 and n3 acknowledge only index 2. */
function figure8(bugs: RaftBugs): Node<string> {
  const n1 = nodeWithLog(1, [1, 2, 3, 4, 5], 3, [1, 2], { bugs });
  for (let t = 0; t < 10; t++) n1.tick();
  drain(n1);
  n1.step(voteFor(2, 1, 4));
  n1.step(voteFor(3, 1, 4));
  drain(n1);
  n1.step(aeOk(2, 1, 4, 2));
  n1.step(aeOk(3, 1, 4, 2));
  return n1;
}

describe('bug switches each break the rule they name', () => {
  it('voteWithoutUpToDateCheck: grants a candidate with an older last log term (§5.4.1)', () => {
    const correct = nodeWithLog(1, [1, 2, 3], 3, [1, 3]);
    const buggy = nodeWithLog(1, [1, 2, 3], 3, [1, 3], { bugs: { voteWithoutUpToDateCheck: true } });
    for (const n of [correct, buggy]) n.step(rv(2, 1, 4, 9, 2));
    expect(granted(drain(correct).messages)).toEqual([false]);
    expect(granted(drain(buggy).messages)).toEqual([true]);
  });

  it('grantEveryVote: votes for a second candidate in the same term (§5.2)', () => {
    const correct = nodeWithLog(1, [1, 2, 3], 1, [1]);
    const buggy = nodeWithLog(1, [1, 2, 3], 1, [1], { bugs: { grantEveryVote: true } });
    for (const n of [correct, buggy]) {
      n.step(rv(2, 1, 2, 1, 1));
      n.step(rv(3, 1, 2, 1, 1));
    }
    expect(granted(drain(correct).messages)).toEqual([true, false]);
    expect(granted(drain(buggy).messages)).toEqual([true, true]);
  });

  it('commitOlderTermByCounting: commits an older-term entry once it is on a majority (Figure 8)', () => {
    expect(figure8({}).commitIndex).toBe(0);
    expect(figure8({ commitOlderTermByCounting: true }).commitIndex).toBe(2);
  });

  it('truncateMatchingEntries: a stale, shorter AppendEntries cuts acknowledged entries', () => {
    const all = entriesOfTerms([1, 1, 1, 1]);
    const make = (bugs: RaftBugs) => new RaftNode<string>(makeConfig(2, [1, 2, 3], { bugs }));
    const correct = make({});
    const buggy = make({ truncateMatchingEntries: true });
    for (const n of [correct, buggy]) {
      n.step(ae(1, 2, 1, [0, 0], all));
      n.step(ae(1, 2, 1, [0, 0], all.slice(0, 2)));
    }
    expect(correct.lastIndex).toBe(4);
    expect(buggy.lastIndex).toBe(2);
  });

  it('all switches are off by default', () => {
    const n = nodeWithLog(1, [1, 2, 3], 3, [1, 3]);
    n.step(rv(2, 1, 4, 9, 2));
    expect(granted(drain(n).messages)).toEqual([false]);
  });
});
