/** Positioned writes that finish: a StorageFile may write fewer bytes than asked. */
import type { StorageFile } from './storageEnv.js';

/** Writes all of `bytes` at `position`. */
export async function writeAll(file: StorageFile, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await file.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}
