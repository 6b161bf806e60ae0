/**
 * The scenario's `membership` section: the bootstrap configuration (thesis ch. 4). With
 * `"membership": {"initialVoters": 3}` and `nodes: 5`, every host starts with peers n1..n3 (the
 * bootstrap voters, RaftConfig.peers); n4 and n5 start as non-members and join only once a
 * configuration entry adds them (the add-learner fault). Absent: every node is a bootstrap voter,
 * and a parsed scenario holds no `membership`, so older scenarios and failure files stay as they were.
 */
import { unknownFieldProblem } from './fields.js';

export interface MembershipSettings {
  /** Nodes n1..initialVoters are the bootstrap configuration's voters; the rest start as non-members. */
  readonly initialVoters: number;
}

export const MEMBERSHIP_FIELDS = ['initialVoters'] as const;

/** The section as the file gives it, checked against `nodes`; a one-line problem, or the settings (undefined when absent). */
export function parseMembership(value: unknown, nodes: number): MembershipSettings | undefined | string {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `membership: must be an object like {"initialVoters": 3}, got ${JSON.stringify(value)}`;
  }
  const obj = value as Record<string, unknown>;
  const unknown = unknownFieldProblem(obj, 'membership', MEMBERSHIP_FIELDS);
  if (unknown) return unknown;
  const voters = obj.initialVoters;
  if (voters === undefined) return 'membership.initialVoters: missing (how many of the nodes, n1 on, are the bootstrap voters)';
  if (typeof voters !== 'number' || !Number.isInteger(voters) || voters < 1 || voters > nodes) {
    return `membership.initialVoters: must be an integer from 1 to nodes (${nodes}), got ${JSON.stringify(voters)}`;
  }
  return { initialVoters: voters };
}

/** The bootstrap voters of a scenario: n1..initialVoters, or every node. */
export function bootstrapVoters(scenario: { readonly nodes: number; readonly membership?: MembershipSettings }): number[] {
  const count = scenario.membership?.initialVoters ?? scenario.nodes;
  return Array.from({ length: count }, (_, i) => i + 1);
}
