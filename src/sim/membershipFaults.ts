/**
 * Membership changes as the nemesis asks for them (thesis ch. 4): the leader of the time is asked
 * to add a learner, promote one, or remove a member, through `proposeConfigChange`, as an operator
 * would. A change without a node is given one that makes sense, drawn from the seed when it fires:
 * a node outside the leader's configuration to add, one of its learners to promote, any member to
 * remove (the leader included). The outcome, appended or refused, goes into the trace (and the
 * hash): a refusal is part of what happened, then the run goes on.
 */
import { isMember, type ConfigChange, type ConfigChangeType } from '../raft/membership.js';
import type { ConfigChangeResult } from '../raft/node.js';
import type { FaultAction } from './faults.js';
import type { NodeHost } from './host.js';
import { traceConfigChange } from './traceCodec.js';
import type { World } from './world.js';

export type MembershipFault = Extract<FaultAction, { kind: ConfigChangeType }>;

/** Why nothing was asked of a leader: no live, running leader, or no node the change could be about. */
export type NemesisRefusal = 'no-leader' | 'no-candidate';

export function applyMembershipChange(world: World, action: MembershipFault, leader: NodeHost | null): void {
  if (leader === null || leader.paused !== null) return traceConfigChange(world.trace, world.now, 0, action.kind, 0, 'no-leader');
  const node = action.node === 'leader' ? leader.id : action.node ?? pickNode(world, action.kind, leader);
  if (node === null) return traceConfigChange(world.trace, world.now, leader.id, action.kind, 0, 'no-candidate');
  const change: ConfigChange = { type: action.kind, node };
  let result: ConfigChangeResult | null = null;
  world.driver(leader).input(() => {
    result = leader.raft.proposeConfigChange(change);
  });
  traceConfigChange(world.trace, world.now, leader.id, action.kind, node, result ?? 'no-leader');
}

/** A node the change makes sense for, in the leader's configuration (the latest in its log), or null. */
function pickNode(world: World, type: ConfigChangeType, leader: NodeHost): number | null {
  const config = leader.raft.configuration;
  const { voters, learners } = config;
  const all = world.hosts.map((host) => host.id);
  const choices = type === 'add-learner' ? all.filter((id) => !isMember(config, id))
    : type === 'promote' ? learners.slice()
      : [...voters, ...learners].sort((a, b) => a - b);
  if (choices.length === 0) return null;
  return world.prng.child(`membership/${world.now}`).pick(choices);
}
