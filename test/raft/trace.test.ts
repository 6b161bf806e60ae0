import { describe, expect, it } from 'vitest';
import { describeMessage } from '../../src/raft/index.js';
import { Cluster } from './harness.js';

/** Runs a 3-node election plus one proposal and returns every delivered message as text. */
function electionTrace(): string[] {
  const cluster = new Cluster(3);
  const trace: string[] = [];
  cluster.drop = (m) => {
    trace.push(describeMessage(m));
    return false;
  };
  cluster.campaign(1);
  cluster.node(1).propose('x');
  cluster.tickAll(2);
  return trace;
}

describe('determinism and module boundaries', () => {
  it('the same inputs give the same trace (golden, §5.2 election then §5.3 replication)', () => {
    const trace = electionTrace();
    expect(electionTrace()).toEqual(trace);
    expect(trace.slice(0, 8)).toEqual([
      'n1->n2 RequestVote t1 last=0/0',
      'n1->n3 RequestVote t1 last=0/0',
      'n2->n1 RequestVoteResponse t1 granted',
      // FIFO delivery: n3's vote was queued before n1 won with n2's and sent its no-op.
      'n3->n1 RequestVoteResponse t1 granted',
      'n1->n2 AppendEntries t1 prev=0/0 n=1 commit=0',
      'n1->n3 AppendEntries t1 prev=0/0 n=1 commit=0',
      'n2->n1 AppendEntriesResponse t1 ok match=1',
      'n3->n1 AppendEntriesResponse t1 ok match=1',
    ]);
  });
});
