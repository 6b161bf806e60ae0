/**
 * The catalog's storage bugs: variants of the storage engine (src/storage) with one part replaced
 * (see storageVariant.ts). They run only where the simulator runs the engine (disk.storage
 * "engine"), and the recovery check (src/sim/recoveryCheck.ts) is what catches them.
 */
import { Durability, FRAME_HEADER_BYTES, NOTHING_CLAIMED } from '../storage/index.js';
import type { FrameRead, StorageVariant } from '../storage/index.js';

/**
 * Recovery reads a WAL record by its length alone and never checks its CRC: damage at rest is
 * replayed as a record (a flipped digit becomes another term or value) instead of being refused.
 */
export const RECOVERY_SKIPS_CHECKSUM: StorageVariant = {
  readRecord: (bytes: Buffer, offset: number): FrameRead => {
    if (bytes.length - offset < FRAME_HEADER_BYTES) return { ok: false, reason: 'short record header' };
    const length = bytes.readUInt32LE(offset);
    const end = offset + FRAME_HEADER_BYTES + length;
    if (length === 0 || end > bytes.length) return { ok: false, reason: 'bad record length' };
    return { ok: true, payload: bytes.subarray(offset + FRAME_HEADER_BYTES, end), end };
  },
};

/**
 * Recovery ignores the durable mark (issue 10's "silent amnesia"): damage anywhere in the last
 * segment is cut as if it were a torn write, and a WAL that ends short of what was made durable
 * is accepted, so acknowledged writes vanish without a word.
 */
export const RECOVERY_IGNORES_DURABLE_MARK: StorageVariant = {
  vouchedPosition: () => NOTHING_CLAIMED,
};

/** The WAL's fdatasync is skipped, yet writes are reported durable: a power cut loses acknowledged writes. */
class SkippedDataSync extends Durability {
  override syncData(): Promise<void> {
    return Promise.resolve();
  }
}

export const WAL_SKIPS_FDATASYNC: StorageVariant = {
  durability: (enabled, fs, clock) => new SkippedDataSync(enabled, fs, clock),
};
