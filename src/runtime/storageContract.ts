/** The storage this runtime uses (diskStorage.ts: the engine of src/storage on the local disk), and the shape of its opener so tests can swap it. */
import type { NodeStorage, StorageOptions } from './diskStorage.js';

export type { NodeStorage, StorageOptions } from './diskStorage.js';

export type OpenStorage = <C>(dir: string, options?: StorageOptions) => Promise<NodeStorage<C>>;
