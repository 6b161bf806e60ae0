/**
 * The Raft core's RandomSource for a real node: seedrandom's Alea, seeded from the node id and the
 * start time. Runs need not be reproducible here (real time already is not); what matters is that
 * nodes started at the same moment still draw different election timeouts.
 */
import seedrandom from 'seedrandom';
import type { RandomSource } from '../raft/types.js';

export function seededRandom(seed: string): RandomSource {
  const next = seedrandom.alea(seed);
  return {
    rangeInclusive: (min, max) => min + Math.floor(next() * (max - min + 1)),
  };
}
