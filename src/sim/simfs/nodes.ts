/**
 * The file system's tree: directories map names to nodes; a file node (an inode) holds its content
 * and may have several names (link). Each node keeps the log of its changes not yet made durable:
 * a file its data changes (undone by a crash, synced by fsync), a directory its name changes
 * (undone by a crash, made durable by fsync of the directory).
 */
import { FileContent, type DataOp } from './fileContent.js';

/** How many unsynced changes one file or directory may hold: the engine syncs far more often. */
export const MAX_UNSYNCED_OPS = 100_000;

export interface FileNode {
  readonly kind: 'file';
  readonly id: number;
  content: FileContent;
  /** How many directory entries name this file (it counts against capacity while > 0). */
  nlink: number;
  readonly log: DataOp[];
}

/** One unsynced change to a directory: the entries it replaced, in the order they were changed. */
export interface NameOp {
  readonly seq: number;
  readonly changes: readonly { readonly name: string; readonly old: Node | undefined }[];
}

export interface DirNode {
  readonly kind: 'dir';
  readonly id: number;
  readonly entries: Map<string, Node>;
  readonly log: NameOp[];
}

export type Node = FileNode | DirNode;

/** Bytes of file data on the disk: the sizes of the files that have a name. */
export interface Usage {
  used: number;
}

export function newFile(id: number): FileNode {
  return { kind: 'file', id, content: new FileContent(), nlink: 0, log: [] };
}

export function newDir(id: number): DirNode {
  return { kind: 'dir', id, entries: new Map(), log: [] };
}

/** Points `name` in `dir` at `node` (or removes it), keeping link counts and usage right. */
export function setEntry(dir: DirNode, name: string, node: Node | undefined, usage: Usage): void {
  const old = dir.entries.get(name);
  if (old === node) return;
  if (old?.kind === 'file') {
    old.nlink--;
    if (old.nlink === 0) usage.used -= old.content.size;
  }
  if (node === undefined) dir.entries.delete(name);
  else dir.entries.set(name, node);
  if (node?.kind === 'file') {
    if (node.nlink === 0) usage.used += node.content.size;
    node.nlink++;
  }
}

export function assertLogRoom(log: readonly unknown[], what: string): void {
  if (log.length >= MAX_UNSYNCED_OPS) {
    throw new Error(`simfs: more than ${MAX_UNSYNCED_OPS} unsynced changes to ${what}: the engine must sync`);
  }
}

/** Drops the log's changes with seq < `mark`: a sync called when `mark` was next made them durable. */
export function dropSynced<T extends { readonly seq: number }>(log: T[], mark: number): void {
  let count = 0;
  while (count < log.length && log[count]!.seq < mark) count++;
  if (count > 0) log.splice(0, count);
}

/** Every file reachable from `root`, each once, in the order met (names sorted). */
export function reachableFiles(root: DirNode): FileNode[] {
  const seen = new Set<FileNode>();
  const visit = (dir: DirNode): void => {
    for (const name of [...dir.entries.keys()].sort()) {
      const node = dir.entries.get(name)!;
      if (node.kind === 'dir') visit(node);
      else seen.add(node);
    }
  };
  visit(root);
  return [...seen];
}
