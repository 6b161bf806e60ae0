/**
 * An open file of the simulated file system. It addresses the file node, not its name (a renamed or
 * unlinked file stays writable, as on POSIX). After a crash the handle is dead: every call rejects.
 */
import type { StorageFile } from '../../storage/storageEnv.js';
import { fsError, settled } from './fsErrors.js';
import type { FileNode } from './nodes.js';

/** What a handle needs from its file system. */
export interface HandleHost {
  readonly epoch: number;
  called(): void;
  /** Writes (and logs) `data` at `position`, or throws ENOSPC changing nothing. */
  writeData(file: FileNode, position: number, data: Uint8Array, path: string): void;
  syncData(file: FileNode): Promise<void>;
}

export class SimFileHandle implements StorageFile {
  private closed = false;

  constructor(
    private readonly host: HandleHost,
    private readonly file: FileNode,
    private readonly path: string,
    private readonly writable: boolean,
    private readonly epoch: number,
  ) {}

  write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesWritten: number }> {
    this.host.called();
    return settled(() => {
      this.check('write');
      if (!this.writable) throw fsError('EBADF', 'write');
      checkRange(buffer, offset, length, position, 'write');
      this.host.writeData(this.file, position, buffer.slice(offset, offset + length), this.path);
      return { bytesWritten: length };
    });
  }

  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }> {
    this.host.called();
    return settled(() => {
      this.check('read');
      checkRange(buffer, offset, length, position, 'read');
      return { bytesRead: this.file.content.read(buffer, offset, length, position) };
    });
  }

  datasync(): Promise<void> {
    return this.syncNow('fdatasync');
  }

  sync(): Promise<void> {
    return this.syncNow('fsync');
  }

  close(): Promise<void> {
    this.host.called();
    return settled(() => {
      this.check('close');
      this.closed = true;
    });
  }

  private syncNow(syscall: string): Promise<void> {
    this.host.called();
    try {
      this.check(syscall);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.host.syncData(this.file);
  }

  private check(syscall: string): void {
    if (this.closed || this.epoch !== this.host.epoch) throw fsError('EBADF', syscall);
  }
}

function checkRange(buffer: Uint8Array, offset: number, length: number, position: number, syscall: string): void {
  const ok =
    Number.isInteger(offset) && Number.isInteger(length) && Number.isInteger(position) &&
    offset >= 0 && length >= 0 && position >= 0 && offset + length <= buffer.length;
  if (!ok) throw fsError('EINVAL', syscall);
}
