/**
 * Who is in the cluster and where each node listens: from `--peers` plus the node's own `--listen`
 * (and `--peer-listen`), or from a JSON file
 * `{"nodes": [{"id": "n1", "address": "127.0.0.1:7001", "peerAddress": "127.0.0.1:8001"}, …]}`.
 * By default one address per node serves both the client HTTP API and the Raft peer traffic (see
 * listener.ts); a node may instead take peers on an address of their own, written in --peers as
 * `n2=CLIENT/PEER`, e.g. `n2=127.0.0.1:7002/127.0.0.1:8002`, and in the file as "peerAddress".
 *
 * The nodes listed are every node that may ever be a member (membership changes need an address
 * for each). The bootstrap configuration's voters (RaftConfig.peers) are all of them, unless the
 * file says `"voters": ["n1", "n2", "n3"]` (or serve gets `--voters`): the others start as spares,
 * outside the configuration, until `raftsim member add-learner` adds them. Every node of a cluster
 * must be given the same voters.
 */
import type { NodeId } from '../raft/types.js';
import { formatAddress, parseAddress, type Address } from './addresses.js';
import { nodeName, parseNodeName } from './nodeNames.js';
import { RuntimeConfigError } from './runtimeConfigError.js';

export interface ClusterMembers {
  readonly self: NodeId;
  /** Every node's client (HTTP) address, including self, by id. */
  readonly addresses: ReadonlyMap<NodeId, Address>;
  /** Where every node, including self, accepts peer connections: its client address unless it has its own. */
  readonly peerAddresses: ReadonlyMap<NodeId, Address>;
  /** The bootstrap configuration's voters, sorted: every node listed unless a voters list says fewer. */
  readonly voters: readonly NodeId[];
}

/**
 * The bootstrap voters named by `names` ("n1,n2" text or a JSON array of names), all of them in
 * `addresses`; null (absent) means every node.
 */
export function bootstrapVoters(names: unknown, addresses: ReadonlyMap<NodeId, Address>): NodeId[] {
  if (names === undefined || names === null) return [...addresses.keys()].sort((a, b) => a - b);
  const list = typeof names === 'string' ? names.split(',').map((n) => n.trim()).filter((n) => n !== '') : names;
  if (!Array.isArray(list) || !list.every((n) => typeof n === 'string')) throw new RuntimeConfigError('voters: expected a list of node ids, e.g. ["n1", "n2", "n3"]');
  if (list.length === 0) throw new RuntimeConfigError('voters: at least one voter is needed');
  const ids = list.map((n: string) => parseNodeName(n));
  const seen = new Set<NodeId>();
  for (const id of ids) {
    if (seen.has(id)) throw new RuntimeConfigError(`voters: ${nodeName(id)} is listed twice`);
    if (!addresses.has(id)) throw new RuntimeConfigError(`voters: ${nodeName(id)} is not a node of the cluster`);
    seen.add(id);
  }
  return ids.sort((a, b) => a - b);
}

/** Builds the members from the command-line form; `peerListen` gives self its own peer address. */
export function membersFromPeers(self: NodeId, listen: Address, peers: string, peerListen: Address | null = null, voters: string | null = null): ClusterMembers {
  const addresses = new Map<NodeId, Address>([[self, listen]]);
  const peerAddresses = new Map<NodeId, Address>([[self, peerListen ?? listen]]);
  const items = peers.split(',').map((item) => item.trim()).filter((item) => item !== '');
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq < 0) throw new RuntimeConfigError(`bad peer "${item}": expected nK=127.0.0.1:PORT or nK=127.0.0.1:PORT/127.0.0.1:PEERPORT`);
    const id = parseNodeName(item.slice(0, eq));
    if (addresses.has(id)) throw new RuntimeConfigError(`peer ${nodeName(id)} is listed twice (or is this node)`);
    const parts = item.slice(eq + 1).split('/');
    if (parts.length > 2) throw new RuntimeConfigError(`bad peer "${item}": at most one "/" (client address/peer address)`);
    const client = parseAddress(parts[0]!);
    addresses.set(id, client);
    peerAddresses.set(id, parts.length === 2 ? parseAddress(parts[1]!) : client);
  }
  return checked({ self, addresses, peerAddresses, voters: bootstrapVoters(voters, addresses) });
}

/**
 * Builds the members from a parsed cluster file; `listen` and `peerListen` override self's
 * addresses when given, `voters` ("n1,n2,…") the file's voters list.
 */
export function membersFromFile(self: NodeId, json: unknown, listen: Address | null, peerListen: Address | null = null, voters: string | null = null): ClusterMembers {
  const nodes = (json as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes)) throw new RuntimeConfigError('cluster config: expected {"nodes": [{"id": "n1", "address": "127.0.0.1:7001"}, …]}');
  const addresses = new Map<NodeId, Address>();
  const peerAddresses = new Map<NodeId, Address>();
  for (const node of nodes as unknown[]) {
    const { id, address, peerAddress } = (node ?? {}) as { id?: unknown; address?: unknown; peerAddress?: unknown };
    if (typeof id !== 'string' || typeof address !== 'string') {
      throw new RuntimeConfigError('cluster config: every node needs a string "id" and "address"');
    }
    if (peerAddress !== undefined && typeof peerAddress !== 'string') throw new RuntimeConfigError(`cluster config: ${id}'s "peerAddress" must be a string`);
    const numeric = parseNodeName(id);
    if (addresses.has(numeric)) throw new RuntimeConfigError(`cluster config: ${id} is listed twice`);
    const client = parseAddress(address);
    addresses.set(numeric, client);
    peerAddresses.set(numeric, peerAddress === undefined ? client : parseAddress(peerAddress));
  }
  if (!addresses.has(self)) throw new RuntimeConfigError(`cluster config does not list this node ${nodeName(self)}`);
  if (listen !== null) {
    if (sameAddress(peerAddresses.get(self)!, addresses.get(self)!)) peerAddresses.set(self, listen);
    addresses.set(self, listen);
  }
  if (peerListen !== null) peerAddresses.set(self, peerListen);
  const fileVoters = (json as { voters?: unknown }).voters;
  return checked({ self, addresses, peerAddresses, voters: bootstrapVoters(voters ?? fileVoters, addresses) });
}

export function sameAddress(a: Address, b: Address): boolean {
  return a.host === b.host && a.port === b.port;
}

/** True when `id` takes peers on an address of its own rather than on its client port. */
export function hasOwnPeerAddress(members: ClusterMembers, id: NodeId): boolean {
  return !sameAddress(members.addresses.get(id)!, members.peerAddresses.get(id)!);
}

function checked(members: ClusterMembers): ClusterMembers {
  const seen = new Map<string, NodeId>();
  const claim = (id: NodeId, address: Address): void => {
    const text = formatAddress(address);
    const other = seen.get(text);
    if (other !== undefined) throw new RuntimeConfigError(`${nodeName(other)} and ${nodeName(id)} share the address ${text}`);
    seen.set(text, id);
  };
  for (const [id, address] of members.addresses) claim(id, address);
  for (const id of members.addresses.keys()) {
    if (!hasOwnPeerAddress(members, id)) continue;
    claim(id, members.peerAddresses.get(id)!);
  }
  return members;
}
