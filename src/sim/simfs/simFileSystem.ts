/**
 * One simulated machine's file system, in memory and in virtual time: the StorageFs port the storage
 * engine runs on. Every call but the syncs settles in the current instant; fsyncs are serial on the
 * disk and take the world's fault model's time. Writes, truncates and name changes are kept in
 * per-node undo logs until a sync makes them durable, so that a crash (crash.ts) can take back the
 * unsynced ones — all of them, or a prefix drawn from a seed, tearing the next write.
 */
import type { OpenFlags, StorageFile, StorageFs } from '../../storage/storageEnv.js';
import type { Prng } from '../prng.js';
import { crashTree, type CrashSummary } from './crash.js';
import { fsError, settled } from './fsErrors.js';
import { FsyncQueue, type SimScheduler } from './fsyncQueue.js';
import { SimFsInspector } from './inspector.js';
import {
  assertLogRoom, dropSynced, newDir, newFile, setEntry,
  type DirNode, type FileNode, type Node,
} from './nodes.js';
import { SimFileHandle, type HandleHost } from './simFileHandle.js';
import { pathNames } from './simPaths.js';

export interface SimFsOptions {
  /** Virtual time; `after` becomes a world event. */
  readonly scheduler: SimScheduler;
  /** Latency of one fsync starting at `serviceStart` (the world's fault model: spikes, slow disk). */
  readonly fsyncMs: (serviceStart: number) => number;
  /** Total bytes of file data this disk holds; past it writes fail ENOSPC. */
  readonly capacityBytes: number;
  /** Told of every call (the world then lets promise continuations run). */
  readonly onCall?: () => void;
}

/** Where a path's last name lives. */
interface Place {
  readonly dir: DirNode;
  readonly name: string;
}

export class SimFileSystem extends SimFsInspector implements StorageFs, HandleHost {
  readonly capacityBytes: number;
  private readonly queue: FsyncQueue;
  private readonly unsyncedFiles = new Set<FileNode>();
  private readonly unsyncedDirs = new Set<DirNode>();
  private nextId = 1;
  /** The sequence number of the next change; a sync makes durable the changes below its mark. */
  private seq = 0;
  private full = false;

  constructor(private readonly options: SimFsOptions) {
    super(newDir(0), { used: 0 });
    if (!(options.capacityBytes >= 0)) throw new Error(`simfs: capacity ${options.capacityBytes} is not a size`);
    this.capacityBytes = options.capacityBytes;
    this.queue = new FsyncQueue(options.scheduler, options.fsyncMs);
  }

  get epoch(): number {
    return this.queue.epoch;
  }

  /** Bytes of file data held now (files with a name; synced or not). */
  get usedBytes(): number {
    return this.usage.used;
  }

  /** The disk-full fault: while full, every write rejects with ENOSPC. */
  setFull(full: boolean): void {
    this.full = full;
  }

  /**
   * The machine loses power: open handles die, fsyncs in flight never complete, and what was not
   * synced is lost — all of it (`prng` null), or for each file and directory a prefix drawn from
   * `prng`, the next write maybe torn.
   */
  crash(prng: Prng | null): CrashSummary {
    this.queue.crash();
    const summary = crashTree(this.root, [...this.unsyncedDirs], [...this.unsyncedFiles], this.usage, prng);
    this.unsyncedDirs.clear();
    this.unsyncedFiles.clear();
    return summary;
  }

  called(): void {
    this.options.onCall?.();
  }

  // ---- StorageFs -------------------------------------------------------------------------------

  mkdirp(path: string): Promise<string | null> {
    this.called();
    return settled(() => {
      let dir = this.root;
      let first: string | null = null;
      const names = pathNames(path, 'mkdir');
      for (const [i, name] of names.entries()) {
        const node = dir.entries.get(name);
        if (node?.kind === 'file') throw fsError(i === names.length - 1 ? 'EEXIST' : 'ENOTDIR', 'mkdir', path);
        const next = node ?? newDir(this.nextId++);
        if (node === undefined) {
          this.changeNames(dir, [[name, next]]);
          first ??= `/${names.slice(0, i + 1).join('/')}`;
        }
        dir = next as DirNode;
      }
      return first;
    });
  }

  open(path: string, flags: OpenFlags): Promise<StorageFile> {
    this.called();
    return settled(() => {
      const place = this.place(path, 'open');
      let node = place.dir.entries.get(place.name);
      if (node?.kind === 'dir') throw fsError('EISDIR', 'open', path);
      if (node === undefined && (flags === 'r' || flags === 'r+')) throw fsError('ENOENT', 'open', path);
      if (node !== undefined && flags === 'wx') throw fsError('EEXIST', 'open', path);
      if (node === undefined) node = this.create(place);
      else if (flags === 'w') this.truncateData(node, 0, path);
      return new SimFileHandle(this, node, path, flags !== 'r', this.epoch);
    });
  }

  readFile(path: string): Promise<Buffer> {
    this.called();
    return settled(() => Buffer.from(this.existingFile(path, 'open').content.view()));
  }

  writeFile(path: string, data: Uint8Array): Promise<void> {
    this.called();
    return settled(() => {
      const place = this.place(path, 'open');
      const node = place.dir.entries.get(place.name);
      if (node?.kind === 'dir') throw fsError('EISDIR', 'open', path);
      // Checked before anything changes: a refused writeFile leaves the old file as it was.
      if (this.full && data.length > 0) throw fsError('ENOSPC', 'write', path);
      this.checkSpace(data.length - (node?.content.size ?? 0), 'write', path);
      const file = node ?? this.create(place);
      this.truncateData(file, 0, path);
      if (data.length > 0) this.writeData(file, 0, Uint8Array.from(data), path);
    });
  }

  readdir(path: string): Promise<string[]> {
    this.called();
    return settled(() => [...this.existingDir(path, 'scandir').entries.keys()].sort());
  }

  rename(from: string, to: string): Promise<void> {
    this.called();
    return settled(() => {
      const source = this.place(from, 'rename', to);
      const target = this.place(to, 'rename', from);
      const node = source.dir.entries.get(source.name);
      if (node === undefined) throw fsError('ENOENT', 'rename', from, to);
      const replaced = target.dir.entries.get(target.name);
      if (replaced === node) return;
      if (replaced?.kind === 'dir') throw fsError('EISDIR', 'rename', from, to);
      if (node.kind === 'dir' && (replaced !== undefined || contains(node, target.dir))) {
        throw fsError(replaced !== undefined ? 'ENOTDIR' : 'EINVAL', 'rename', from, to);
      }
      // Within one directory a rename is one change, kept or lost whole by a crash (atomic);
      // across two, each directory logs its half.
      if (source.dir === target.dir) {
        this.changeNames(target.dir, [[target.name, node], [source.name, undefined]]);
      } else {
        this.changeNames(target.dir, [[target.name, node]]);
        this.changeNames(source.dir, [[source.name, undefined]]);
      }
    });
  }

  unlink(path: string): Promise<void> {
    this.called();
    return settled(() => {
      const place = this.place(path, 'unlink');
      const node = place.dir.entries.get(place.name);
      if (node === undefined) throw fsError('ENOENT', 'unlink', path);
      if (node.kind === 'dir') throw fsError('EISDIR', 'unlink', path);
      this.changeNames(place.dir, [[place.name, undefined]]);
    });
  }

  truncate(path: string, length: number): Promise<void> {
    this.called();
    return settled(() => {
      const file = this.existingFile(path, 'open');
      if (!Number.isInteger(length) || length < 0) throw fsError('EINVAL', 'ftruncate', path);
      this.truncateData(file, length, path);
    });
  }

  link(from: string, to: string): Promise<void> {
    this.called();
    return settled(() => {
      const source = this.place(from, 'link', to);
      const node = source.dir.entries.get(source.name);
      if (node === undefined) throw fsError('ENOENT', 'link', from, to);
      if (node.kind === 'dir') throw fsError('EPERM', 'link', from, to);
      const target = this.place(to, 'link', from);
      if (target.dir.entries.has(target.name)) throw fsError('EEXIST', 'link', from, to);
      this.changeNames(target.dir, [[target.name, node]]);
    });
  }

  syncDir(path: string): Promise<void> {
    this.called();
    let dir: DirNode;
    try {
      dir = this.existingDir(path, 'open');
    } catch (error) {
      return Promise.reject(error);
    }
    const mark = this.seq;
    return this.queue.sync(() => {
      dropSynced(dir.log, mark);
      if (dir.log.length === 0) this.unsyncedDirs.delete(dir);
    });
  }

  // ---- HandleHost ------------------------------------------------------------------------------

  writeData(file: FileNode, position: number, data: Uint8Array, path: string): void {
    if (data.length === 0) return;
    if (this.full) throw fsError('ENOSPC', 'write', path);
    const growth = Math.max(0, position + data.length - file.content.size);
    if (file.nlink > 0) this.checkSpace(growth, 'write', path);
    this.logData(file, () => file.content.write(position, data, this.seq++));
  }

  syncData(file: FileNode): Promise<void> {
    const mark = this.seq;
    return this.queue.sync(() => {
      dropSynced(file.log, mark);
      if (file.log.length === 0) this.unsyncedFiles.delete(file);
    });
  }

  // ---- inside ----------------------------------------------------------------------------------

  private truncateData(file: FileNode, length: number, path: string): void {
    if (length === file.content.size) return;
    if (file.nlink > 0) this.checkSpace(length - file.content.size, 'ftruncate', path);
    this.logData(file, () => file.content.truncate(length, this.seq++));
  }

  /** Applies one data change (made by `change`), logs it, and keeps usage right. */
  private logData(file: FileNode, change: () => FileNode['log'][number]): void {
    assertLogRoom(file.log, `file ${file.id}`);
    const before = file.content.size;
    file.log.push(change());
    if (file.nlink > 0) this.usage.used += file.content.size - before;
    this.unsyncedFiles.add(file);
  }

  private checkSpace(growth: number, syscall: string, path: string): void {
    if (growth > 0 && (this.full || this.usage.used + growth > this.capacityBytes)) {
      throw fsError('ENOSPC', syscall, path);
    }
  }

  private create(place: Place): FileNode {
    const file = newFile(this.nextId++);
    this.changeNames(place.dir, [[place.name, file]]);
    return file;
  }

  /** Applies the name changes in order and logs them as one change to `dir`. */
  private changeNames(dir: DirNode, changes: readonly (readonly [string, Node | undefined])[]): void {
    assertLogRoom(dir.log, `directory ${dir.id}`);
    const undo = changes.map(([name, node]) => {
      const old = dir.entries.get(name);
      setEntry(dir, name, node, this.usage);
      return { name, old };
    });
    dir.log.push({ seq: this.seq++, changes: undo });
    this.unsyncedDirs.add(dir);
  }

  /** The directory holding the path's last name (which must exist), and that name. */
  private place(path: string, syscall: string, dest?: string): Place {
    const names = pathNames(path, syscall);
    const name = names.pop();
    if (name === undefined) throw fsError('EISDIR', syscall, path, dest);
    const dir = this.walk(names, syscall, path, dest);
    if (dir === undefined) throw fsError('ENOENT', syscall, path, dest);
    if (dir.kind !== 'dir') throw fsError('ENOTDIR', syscall, path, dest);
    return { dir, name };
  }

  private existingFile(path: string, syscall: string): FileNode {
    const node = this.walk(pathNames(path, syscall), syscall, path);
    if (node === undefined) throw fsError('ENOENT', syscall, path);
    if (node.kind === 'dir') throw fsError('EISDIR', syscall, path);
    return node;
  }

  private existingDir(path: string, syscall: string): DirNode {
    const node = this.walk(pathNames(path, syscall), syscall, path);
    if (node === undefined) throw fsError('ENOENT', syscall, path);
    if (node.kind !== 'dir') throw fsError('ENOTDIR', syscall, path);
    return node;
  }
}

/** Whether `dir` is `ancestor` or lies under it. */
function contains(ancestor: DirNode, dir: DirNode): boolean {
  if (ancestor === dir) return true;
  for (const node of ancestor.entries.values()) {
    if (node.kind === 'dir' && contains(node, dir)) return true;
  }
  return false;
}
