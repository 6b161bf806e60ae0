/**
 * The storage engine (src/storage) as the runtime uses it: on a real disk (NODE_STORAGE_ENV),
 * with recovery's notices on stderr unless the caller takes them.
 */
import { openStorage as openEngineStorage } from '../storage/index.js';
import type { NodeStorage, StorageOptions as EngineOptions } from '../storage/index.js';
import { NODE_STORAGE_ENV } from './nodeStorageEnv.js';

export type { NodeStorage, StorageStats } from '../storage/index.js';
export {
  DataDirInUseError, isStorageRefusal, LockFileUnreadableError, StorageAccessError, StorageCorruptError, WalMissingError,
} from '../storage/index.js';

/** The engine's options, with `log` optional (default: one line on stderr). */
export type StorageOptions = Omit<EngineOptions, 'log'> & { readonly log?: EngineOptions['log'] };

/** Opens (creating if needed) the storage in `dir` on the local disk; see the engine's openStorage for what it throws. */
export function openStorage<C>(dir: string, options: StorageOptions = {}): Promise<NodeStorage<C>> {
  const log = options.log ?? ((line: string) => process.stderr.write(`raftsim: storage: ${line}\n`));
  return openEngineStorage<C>(NODE_STORAGE_ENV, dir, { ...options, log });
}
