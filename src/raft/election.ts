import type { NodeId } from './types.js';
import { voteResult } from './quorum.js';
import type { VoteResult } from './quorum.js';

/**
 * A candidate's tally for one election (§5.2): one answer per voter, first one counts. Its own
 * vote counts only once the persist request that makes its term and self-vote durable is (see
 * `selfVoteTag`); otherwise a crash before that fsync could let it lead one term twice.
 */
export class VoteTally {
  /** true granted, false refused, per voter that answered; only current voters count (see result). */
  private readonly votes = new Map<NodeId, boolean>();
  /** The persist request the self-vote waits for (0: counted, or no election running). */
  private selfVoteTag = 0;

  constructor(
    private readonly self: NodeId,
    /** The voters of the configuration in force (it may change while the tally runs, never while campaigning). */
    private readonly voters: () => readonly NodeId[],
  ) {}

  /** A new election whose self-vote becomes durable with persist request `selfVoteTag`. */
  start(selfVoteTag: number): void {
    this.votes.clear();
    this.selfVoteTag = selfVoteTag;
  }

  /** The self-vote's persist request, or 0 if it has been counted. */
  get pendingSelfVote(): number {
    return this.selfVoteTag;
  }

  /** The self-vote is durable: count it. */
  countSelfVote(): void {
    this.selfVoteTag = 0;
    this.votes.set(this.self, true);
  }

  /** A voter's answer; a repeat answer from the same voter changes nothing. */
  record(from: NodeId, granted: boolean): void {
    if (!this.votes.has(from)) this.votes.set(from, granted);
  }

  result(): VoteResult {
    let granted = 0;
    let refused = 0;
    const voters = this.voters();
    for (const voter of voters) {
      const vote = this.votes.get(voter);
      if (vote === true) granted++;
      else if (vote === false) refused++;
    }
    return voteResult(granted, refused, voters.length);
  }
}
