/**
 * A cluster configuration that came from a peer (a configuration entry of an AppendEntries, or the
 * header of a snapshot stream): its shape is checked as storage checks it (configShape.ts), and
 * every node it names must be in this node's cluster file, since a member without an address
 * could never be reached (and a forged one could make a majority of strangers). Rebuilt from the
 * checked fields only.
 */
import type { ClusterConfig, NodeId } from '../raft/types.js';
import { configShapeProblem } from '../storage/configShape.js';
import { nodeName } from './nodeNames.js';

/** What is wrong with `value` as a configuration this node can use, or null. */
export function peerConfigProblem(value: unknown, known: ReadonlySet<NodeId> | undefined): string | null {
  const shape = configShapeProblem(value);
  if (shape !== null) return shape;
  if (known === undefined) return null;
  const config = value as ClusterConfig;
  const stranger = [...config.voters, ...config.learners].find((id) => !known.has(id));
  return stranger === undefined ? null : `${nodeName(stranger)} is not in this node's cluster file`;
}

/** A copy of a checked configuration (arrays of its own, nothing else carried over). */
export function copyConfig(config: ClusterConfig): ClusterConfig {
  return { voters: [...config.voters], learners: [...config.learners] };
}
