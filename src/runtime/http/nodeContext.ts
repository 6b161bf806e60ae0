/** What the HTTP handlers need of a running node. */
import type { NodeId } from '../../raft/types.js';
import type { Address } from '../addresses.js';
import type { NodeMetrics } from '../metrics.js';
import type { RaftHost } from '../raftHost.js';
import type { PeerTransport } from '../transport.js';
import type { BodyBudget } from './body.js';
import type { HttpLimits } from './limits.js';

export interface NodeContext {
  readonly self: NodeId;
  /** Every node's address, including this one. */
  readonly addresses: ReadonlyMap<NodeId, Address>;
  readonly host: RaftHost;
  readonly transport: PeerTransport;
  readonly metrics: NodeMetrics;
  /** The partition/heal endpoints exist only when this is set (`serve --test-admin`). */
  readonly testAdmin: boolean;
  readonly limits: HttpLimits;
  /** Request body bytes held at once, over all connections (limits.maxBufferedBodyBytes). */
  readonly bodyBudget: BodyBudget;
}
