/**
 * Pure quorum arithmetic (Raft paper §5.2, §5.3): how many nodes make a majority, the highest index
 * a majority holds, and the outcome of an election. No state, no allocation.
 */

/** The smallest number of voters that is a majority of `voters`. */
export function majority(voters: number): number {
  return Math.floor(voters / 2) + 1;
}

/**
 * The highest index held by a majority, given each voter's match index (one per voter).
 * NB: sorts `matchIndexes` in place (descending); pass a scratch array you own.
 */
export function quorumIndex(matchIndexes: number[]): number {
  if (matchIndexes.length === 0) return 0;
  matchIndexes.sort(descending);
  // After a descending sort the majority-th largest value is held by at least a majority.
  return matchIndexes[majority(matchIndexes.length) - 1]!;
}

function descending(a: number, b: number): number {
  return b - a;
}

export type VoteResult = 'won' | 'lost' | 'pending';

/** The outcome of an election with `granted` and `rejected` answers out of `voters`. */
export function voteResult(granted: number, rejected: number, voters: number): VoteResult {
  const needed = majority(voters);
  if (granted >= needed) return 'won';
  // Lost once even every outstanding voter granting could not make a majority.
  if (voters - rejected < needed) return 'lost';
  return 'pending';
}
