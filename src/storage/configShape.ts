import { configProblem } from '../raft/membership.js';

/** What is wrong with a configuration read from disk or a peer (any shape), or null if it is one. */
export function configShapeProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const keys = Object.keys(value);
  if (keys.length !== 2 || !keys.includes('voters') || !keys.includes('learners')) return 'fields must be exactly voters and learners';
  return configProblem(value as { voters: readonly number[]; learners: readonly number[] });
}
