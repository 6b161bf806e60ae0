/**
 * The parts of the storage engine a variant may replace. Only the bug catalog (src/mutants) passes
 * one, to run a known storage bug in the simulator and show that the recovery check catches it;
 * production passes none and gets the parts below. Nothing in the engine knows which bugs exist.
 */
import { Durability } from './durability.js';
import { readFrame } from './frame.js';
import type { FrameRead } from './frame.js';
import type { StorageClock, StorageFs } from './storageEnv.js';
import type { DurablePosition } from './durableMark.js';

export interface StorageVariant {
  /** How recovery reads one WAL record (the default checks its length and CRC). */
  readonly readRecord?: (bytes: Buffer, offset: number) => FrameRead;
  /** What recovery takes the durable mark to vouch for (the default: everything it records). */
  readonly vouchedPosition?: (mark: DurablePosition) => DurablePosition;
  /** What makes writes durable and counts the fsyncs (the default: every sync, as asked). */
  readonly durability?: (enabled: boolean, fs: StorageFs, clock: StorageClock) => Durability;
}

export const CORRECT_ENGINE: Required<StorageVariant> = {
  readRecord: readFrame,
  vouchedPosition: (mark) => mark,
  durability: (enabled, fs, clock) => new Durability(enabled, fs, clock),
};
