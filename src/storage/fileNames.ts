/**
 * The names of the files in a storage directory. Numbers are zero-padded so that a plain
 * directory listing sorts them; parsing still compares numerically.
 */
export const TEMP_SUFFIX = '.tmp';

const SEGMENT = /^wal-(\d{10,})\.log$/;
const SNAPSHOT = /^snapshot-(\d{20})-(\d{20})\.snap$/;

export function segmentName(seq: number): string {
  return `wal-${String(seq).padStart(10, '0')}.log`;
}

export function snapshotName(index: number, term: number): string {
  return `snapshot-${String(index).padStart(20, '0')}-${String(term).padStart(20, '0')}.snap`;
}

export interface DirectoryListing {
  /** Sorted by seq. */
  readonly segments: readonly { readonly seq: number; readonly name: string }[];
  readonly snapshots: readonly { readonly index: number; readonly term: number; readonly name: string }[];
  /** Leftovers of writes a crash interrupted (never renamed into place, so never relied on). */
  readonly temps: readonly string[];
}

export function classify(names: readonly string[]): DirectoryListing {
  const segments: { seq: number; name: string }[] = [];
  const snapshots: { index: number; term: number; name: string }[] = [];
  const temps: string[] = [];
  for (const name of names) {
    const seg = SEGMENT.exec(name);
    const snap = SNAPSHOT.exec(name);
    if (seg) segments.push({ seq: Number(seg[1]), name });
    else if (snap) snapshots.push({ index: Number(snap[1]), term: Number(snap[2]), name });
    else if (name.endsWith(TEMP_SUFFIX)) temps.push(name);
  }
  segments.sort((a, b) => a.seq - b.seq);
  snapshots.sort((a, b) => a.index - b.index || a.term - b.term);
  return { segments, snapshots, temps };
}
