/**
 * Looking at the simulated disk from outside the machine: for tests, and for the world to aim its
 * faults at rest (latentFaults.ts) at files that exist. Paths resolve as the file system does.
 */
import { fsError } from './fsErrors.js';
import * as faults from './latentFaults.js';
import { reachableFiles, type DirNode, type FileNode, type Node, type Usage } from './nodes.js';
import { pathNames } from './simPaths.js';

export class SimFsInspector {
  constructor(
    protected readonly root: DirNode,
    protected readonly usage: Usage,
  ) {}

  /** Every file's paths (each name of a linked file), sorted. */
  listFiles(): string[] {
    const paths: string[] = [];
    const visit = (dir: DirNode, prefix: string): void => {
      for (const name of [...dir.entries.keys()].sort()) {
        const node = dir.entries.get(name)!;
        if (node.kind === 'dir') visit(node, `${prefix}/${name}`);
        else paths.push(`${prefix}/${name}`);
      }
    };
    visit(this.root, '');
    return paths.sort();
  }

  /** The file's size now, or undefined when no file has that path. */
  fileSize(path: string): number | undefined {
    return this.fileAt(path)?.content.size;
  }

  /** A copy of the file's bytes now (synced or not), or undefined. */
  readCurrent(path: string): Uint8Array | undefined {
    return this.fileAt(path)?.content.view().slice();
  }

  /** A copy of what of the file's data is durable (what a crash keeping nothing would leave), or undefined. */
  readSynced(path: string): Uint8Array | undefined {
    const file = this.fileAt(path);
    if (file === undefined) return undefined;
    const content = file.content.clone();
    for (let i = file.log.length - 1; i >= 0; i--) content.undo(file.log[i]!);
    return content.view().slice();
  }

  /** How many data changes to the file are not yet durable (0 also when there is no such file). */
  unsyncedChanges(path: string): number {
    return this.fileAt(path)?.log.length ?? 0;
  }

  /** Sizes of the reachable files, each counted once; equals usedBytes when nothing is open unlinked. */
  reachableBytes(): number {
    return reachableFiles(this.root).reduce((sum, file) => sum + file.content.size, 0);
  }

  flipBit(path: string, byteOffset: number, bit: number): boolean {
    const file = this.restingFile(path);
    return file !== undefined && faults.flipBit(file, byteOffset, bit);
  }

  zeroSector(path: string, offset: number): boolean {
    const file = this.restingFile(path);
    return file !== undefined && faults.zeroSector(file, offset);
  }

  loseWrite(path: string, from: number, to: number): boolean {
    const file = this.restingFile(path);
    return file !== undefined && faults.loseWrite(file, from, to);
  }

  misdirectWrite(path: string, from: number, to: number, targetPath: string, targetOffset: number): boolean {
    const file = this.restingFile(path);
    const target = this.restingFile(targetPath);
    return file !== undefined && target !== undefined && faults.misdirectWrite(file, from, to, target, targetOffset, this.usage);
  }

  /** The node at the path, or undefined; throws ENOTDIR when a name on the way is a file. */
  protected walk(names: readonly string[], syscall: string, path: string, dest?: string): Node | undefined {
    let node: Node = this.root;
    for (const name of names) {
      if (node.kind !== 'dir') throw fsError('ENOTDIR', syscall, path, dest);
      const next: Node | undefined = node.entries.get(name);
      if (next === undefined) return undefined;
      node = next;
    }
    return node;
  }

  private fileAt(path: string): FileNode | undefined {
    let node: Node | undefined;
    try {
      node = this.walk(pathNames(path, 'inspect'), 'inspect', path);
    } catch {
      return undefined;
    }
    return node?.kind === 'file' ? node : undefined;
  }

  /** Faults at rest damage durable data: a file with unsynced changes is not at rest. */
  private restingFile(path: string): FileNode | undefined {
    const file = this.fileAt(path);
    if (file !== undefined && file.log.length > 0) {
      throw new Error(`simfs: ${path} has unsynced changes; faults at rest apply between a crash and the restart`);
    }
    return file;
  }
}
