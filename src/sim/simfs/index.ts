export { SimFileSystem, type SimFsOptions } from './simFileSystem.js';
export type { CrashSummary } from './crash.js';
export type { SimScheduler } from './fsyncQueue.js';
export { MAX_UNSYNCED_OPS } from './nodes.js';
export { MAX_NAME_BYTES, MAX_PATH_BYTES } from './simPaths.js';
export { SECTOR_BYTES } from './latentFaults.js';
