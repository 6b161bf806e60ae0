import { describe, expect, it } from 'vitest';
import { describeEntry, describeMessage, describeReady, describeStatus } from '../../src/raft/index.js';
import type { Message } from '../../src/raft/index.js';
import { entriesOfTerms } from './harness.js';

describe('describe: stable one-line trace text', () => {
  it.each<[Message<string>, string]>([
    [{ type: 'RequestVote', from: 1, to: 2, term: 3, lastLogIndex: 5, lastLogTerm: 2 }, 'n1->n2 RequestVote t3 last=5/2'],
    [{ type: 'RequestVoteResponse', from: 2, to: 1, term: 3, granted: false }, 'n2->n1 RequestVoteResponse t3 rejected'],
    [{ type: 'PreVote', from: 1, to: 2, term: 4, lastLogIndex: 5, lastLogTerm: 2 }, 'n1->n2 PreVote t4 last=5/2'],
    [{ type: 'PreVoteResponse', from: 2, to: 1, term: 4, granted: true }, 'n2->n1 PreVoteResponse t4 granted'],
    [
      { type: 'AppendEntries', from: 1, to: 2, term: 3, prevLogIndex: 5, prevLogTerm: 2, entries: entriesOfTerms([3, 3, 3], 6), leaderCommit: 4 },
      'n1->n2 AppendEntries t3 prev=5/2 n=3 commit=4',
    ],
    [
      { type: 'AppendEntriesResponse', from: 2, to: 1, term: 3, success: false, matchIndex: 0, rejectedIndex: 5, conflictTerm: 2, conflictIndex: 3 },
      'n2->n1 AppendEntriesResponse t3 reject prev=5 conflict=2@3',
    ],
    [
      { type: 'AppendEntriesResponse', from: 2, to: 1, term: 3, success: true, matchIndex: 8, rejectedIndex: 0, conflictTerm: 0, conflictIndex: 0 },
      'n2->n1 AppendEntriesResponse t3 ok match=8',
    ],
    [{ type: 'InstallSnapshot', from: 1, to: 2, term: 3, snapshot: { lastIncludedIndex: 10, lastIncludedTerm: 2, data: null } }, 'n1->n2 InstallSnapshot t3 snap=10/2'],
    [{ type: 'InstallSnapshotResponse', from: 2, to: 1, term: 3, matchIndex: 10 }, 'n2->n1 InstallSnapshotResponse t3 match=10'],
  ])('%#: %s', (message, text) => {
    expect(describeMessage(message)).toBe(text);
  });

  it('describes status, entries and Ready', () => {
    expect(
      describeStatus({ id: 1, role: 'leader', term: 3, votedFor: 1, leaderId: 1, commitIndex: 4, lastApplied: 4, firstIndex: 1, lastIndex: 5, snapshotIndex: 0 }),
    ).toBe('n1 leader t3 vote=n1 lead=n1 commit=4 applied=4 log=1..5 snap=0');
    expect(describeEntry({ index: 5, term: 2, command: null })).toBe('5/2:noop');
    expect(
      describeReady({ persist: { id: 3, hardState: { term: 2, votedFor: 1 }, snapshot: null, entries: entriesOfTerms([2, 2], 4) }, messages: [], snapshotToApply: null, committed: entriesOfTerms([2], 3) }),
    ).toBe('persist#3(hs=t2/n1 snap=- ents=4..5) msgs=0 restore=- apply=3..3');
  });
});
