/** The storage this runtime uses (./storage/), and the shape of its opener so tests can swap it. */
import type { NodeStorage, StorageOptions } from './storage/index.js';

export type { NodeStorage, StorageOptions } from './storage/index.js';

export type OpenStorage = <C>(dir: string, options?: StorageOptions) => Promise<NodeStorage<C>>;
