/**
 * Who is in the cluster and where each node listens: from `--peers n2=ADDR,n3=ADDR` plus the node's
 * own `--listen`, or from a JSON file `{"nodes": [{"id": "n1", "address": "127.0.0.1:7001"}, …]}`.
 * One address per node serves both the client HTTP API and the Raft peer traffic (see listener.ts).
 */
import type { NodeId } from '../raft/types.js';
import { formatAddress, parseAddress, type Address } from './addresses.js';
import { nodeName, parseNodeName } from './nodeNames.js';
import { RuntimeConfigError } from './runtimeConfigError.js';

export interface ClusterMembers {
  readonly self: NodeId;
  /** Every node including self, by id. */
  readonly addresses: ReadonlyMap<NodeId, Address>;
}

/** Builds the members from the command-line form. */
export function membersFromPeers(self: NodeId, listen: Address, peers: string): ClusterMembers {
  const addresses = new Map<NodeId, Address>([[self, listen]]);
  const items = peers.split(',').map((item) => item.trim()).filter((item) => item !== '');
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq < 0) throw new RuntimeConfigError(`bad peer "${item}": expected nK=127.0.0.1:PORT`);
    const id = parseNodeName(item.slice(0, eq));
    if (addresses.has(id)) throw new RuntimeConfigError(`peer ${nodeName(id)} is listed twice (or is this node)`);
    addresses.set(id, parseAddress(item.slice(eq + 1)));
  }
  return checked({ self, addresses });
}

/** Builds the members from a parsed cluster file; `listen` overrides self's address when given. */
export function membersFromFile(self: NodeId, json: unknown, listen: Address | null): ClusterMembers {
  const nodes = (json as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes)) throw new RuntimeConfigError('cluster config: expected {"nodes": [{"id": "n1", "address": "127.0.0.1:7001"}, …]}');
  const addresses = new Map<NodeId, Address>();
  for (const node of nodes as unknown[]) {
    const { id, address } = (node ?? {}) as { id?: unknown; address?: unknown };
    if (typeof id !== 'string' || typeof address !== 'string') {
      throw new RuntimeConfigError('cluster config: every node needs a string "id" and "address"');
    }
    const numeric = parseNodeName(id);
    if (addresses.has(numeric)) throw new RuntimeConfigError(`cluster config: ${id} is listed twice`);
    addresses.set(numeric, parseAddress(address));
  }
  if (!addresses.has(self)) throw new RuntimeConfigError(`cluster config does not list this node ${nodeName(self)}`);
  if (listen !== null) addresses.set(self, listen);
  return checked({ self, addresses });
}

function checked(members: ClusterMembers): ClusterMembers {
  const seen = new Map<string, NodeId>();
  for (const [id, address] of members.addresses) {
    const text = formatAddress(address);
    const other = seen.get(text);
    if (other !== undefined) throw new RuntimeConfigError(`${nodeName(other)} and ${nodeName(id)} share the address ${text}`);
    seen.set(text, id);
  }
  return members;
}
