/**
 * The storage contract this runtime codes against (implemented in ./storage/, by its own author).
 * TEMPORARY mirror until ./storage/index.ts lands; then this re-exports from there.
 */
import type { PersistRequest } from '../raft/ready.js';
import type { DurableState } from '../raft/types.js';

export interface NodeStorage<C> {
  readonly recovered: DurableState<C>;
  /** Resolves, in order, when the request is durable (group commit). */
  persist(request: PersistRequest<C>): Promise<void>;
  readonly stats: { readonly fsyncs: number; readonly bytesWritten: number; readonly lastFsyncMs: number };
  onFsync?: (ms: number) => void;
  close(): Promise<void>;
}

export type OpenStorage = <C>(dir: string, options?: { segmentBytes?: number; fsync?: boolean }) => Promise<NodeStorage<C>>;
