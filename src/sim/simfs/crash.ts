/**
 * What a power loss leaves on the disk. Synced changes stay. Of each file's unsynced writes and
 * truncates, a prefix is kept — none (no prng: the simplest model), or 0..all drawn from the prng,
 * the next one, if a write, maybe torn (a byte prefix of it reached the disk). Of each directory's
 * unsynced name changes (create, rename, unlink, link), a prefix is kept likewise; a file whose
 * names were all undone is gone. The logs are undone from their end, so each undo meets the state
 * its change left.
 */
import type { Prng } from '../prng.js';
import { reachableFiles, setEntry, type DirNode, type FileNode, type Usage } from './nodes.js';

export interface CrashSummary {
  /** Files that had unsynced changes. */
  readonly filesTouched: number;
  /** Unsynced data changes lost, and kept. */
  readonly opsLost: number;
  readonly opsKept: number;
  /** Whether some write reached the disk in part. */
  readonly torn: boolean;
  /** Unsynced name changes lost, and kept. */
  readonly namesLost: number;
  readonly namesKept: number;
}

export function crashTree(
  root: DirNode,
  dirs: readonly DirNode[],
  files: readonly FileNode[],
  usage: Usage,
  prng: Prng | null,
): CrashSummary {
  let namesLost = 0;
  let namesKept = 0;
  for (const dir of [...dirs].sort((a, b) => a.id - b.id)) {
    const keep = prng === null ? 0 : prng.rangeInclusive(0, dir.log.length);
    namesKept += keep;
    namesLost += dir.log.length - keep;
    for (let i = dir.log.length - 1; i >= keep; i--) {
      const changes = dir.log[i]!.changes;
      for (let j = changes.length - 1; j >= 0; j--) setEntry(dir, changes[j]!.name, changes[j]!.old, usage);
    }
    dir.log.length = 0;
  }
  let opsLost = 0;
  let opsKept = 0;
  let torn = false;
  for (const file of [...files].sort((a, b) => a.id - b.id)) {
    const keep = prng === null ? 0 : prng.rangeInclusive(0, file.log.length);
    opsKept += keep;
    opsLost += file.log.length - keep;
    for (let i = file.log.length - 1; i >= keep; i--) file.content.undo(file.log[i]!);
    const next = file.log[keep];
    if (prng !== null && next?.kind === 'write' && next.data.length >= 2 && prng.chance(0.5)) {
      file.content.place(next.position, next.data.subarray(0, prng.rangeInclusive(1, next.data.length - 1)));
      torn = true;
    }
    file.log.length = 0;
  }
  usage.used = reachableFiles(root).reduce((sum, file) => sum + file.content.size, 0);
  return { filesTouched: files.length, opsLost, opsKept, torn, namesLost, namesKept };
}
