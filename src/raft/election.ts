import type { NodeId } from './types.js';
import { voteResult } from './quorum.js';
import type { VoteResult } from './quorum.js';

/**
 * A candidate's tally for one election (§5.2): one answer per voter, first one counts. Its own
 * vote counts only once the persist request that makes its term and self-vote durable is (see
 * `selfVoteTag`); otherwise a crash before that fsync could let it lead one term twice.
 */
export class VoteTally {
  /** 1 granted, -1 refused, 0 no answer, per position in `voters`. */
  private readonly votes: Int8Array;
  /** The persist request the self-vote waits for (0: counted, or no election running). */
  private selfVoteTag = 0;

  constructor(
    private readonly self: NodeId,
    private readonly voters: readonly NodeId[],
  ) {
    this.votes = new Int8Array(voters.length);
  }

  /** A new election whose self-vote becomes durable with persist request `selfVoteTag`. */
  start(selfVoteTag: number): void {
    this.votes.fill(0);
    this.selfVoteTag = selfVoteTag;
  }

  /** The self-vote's persist request, or 0 if it has been counted. */
  get pendingSelfVote(): number {
    return this.selfVoteTag;
  }

  /** The self-vote is durable: count it. */
  countSelfVote(): void {
    this.selfVoteTag = 0;
    this.votes[this.voters.indexOf(this.self)] = 1;
  }

  /** A voter's answer; a repeat answer from the same voter changes nothing. */
  record(from: NodeId, granted: boolean): void {
    const k = this.voters.indexOf(from);
    if (this.votes[k] === 0) this.votes[k] = granted ? 1 : -1;
  }

  result(): VoteResult {
    let granted = 0;
    let refused = 0;
    for (let k = 0; k < this.votes.length; k++) {
      if (this.votes[k] === 1) granted++;
      else if (this.votes[k] === -1) refused++;
    }
    return voteResult(granted, refused, this.voters.length);
  }
}
