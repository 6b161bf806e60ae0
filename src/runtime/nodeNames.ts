/**
 * Node names on the command line and in JSON (`n1`, `n2`, …) and the core's numeric ids (1, 2, …).
 * The core only knows numbers; everything a person reads or types uses the names.
 */
import type { NodeId } from '../raft/types.js';
import { RuntimeConfigError } from './runtimeConfigError.js';

const NAME = /^n([1-9][0-9]{0,3})$/;

export function nodeName(id: NodeId): string {
  return `n${id}`;
}

/** `n3` → 3; throws a RuntimeConfigError naming the bad input otherwise. */
export function parseNodeName(text: string): NodeId {
  const match = NAME.exec(text.trim());
  if (match === null) throw new RuntimeConfigError(`bad node id "${text}": expected n1, n2, …`);
  return Number(match[1]);
}
