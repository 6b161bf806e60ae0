/**
 * The text the interaction env prints: stable, one fact per line, built on src/raft's describe*
 * helpers so golden files read like the simulator's traces.
 *
 *   n1 Ready (persist #2)          a Ready; "(persist #N)" if it carries a write
 *     HardState t1 vote=n1          ...to storage: the hard state,
 *     Snapshot 5/1 [noop v2 v3]     ...a snapshot (index/term and the application state),
 *     Entries 1/1:noop 2/1:v2       ...log entries (index/term:command)
 *     Send n1->n2 AppendEntries …   messages to send
 *     Restore 5/1 [noop v2 v3]      a snapshot the application must restore
 *     Apply 1/1:noop 2/1:v2         committed entries to apply
 *   n1 fsync #2                    storage reports the write durable (node.persisted)
 *
 * A message line on its own (not under a Ready) is a delivery: `n1->n2 …` delivered,
 * `dropped n1->n2 …` dropped by the file, `lost n1->n2 … (n2 is down)` sent to a crashed node.
 */
import { describeEntry, describeMessage, describeStatus } from '../../../src/raft/index.js';
import type { LogEntry, Message, PersistRequest, RaftNode, Ready, Snapshot } from '../../../src/raft/index.js';

/** `2/1:v2`, or `1/1:noop` for a leader's no-op. */
export function entryText(e: LogEntry<string>): string {
  return e.command === null ? describeEntry(e) : `${describeEntry(e)}:${e.command}`;
}

export function entriesText(entries: readonly LogEntry<string>[]): string {
  return entries.map(entryText).join(' ');
}

/** describeMessage, plus the entries an AppendEntries carries (the paper's figures show them). */
export function messageText(m: Message<string>): string {
  const base = describeMessage(m);
  return m.type === 'AppendEntries' && m.entries.length > 0 ? `${base} [${entriesText(m.entries)}]` : base;
}

/** The application state a snapshot carries is the list of commands applied, `null` for no-ops. */
export function snapshotText(s: Snapshot): string {
  const data = Array.isArray(s.data) ? (s.data as readonly (string | null)[]).map((c) => c ?? 'noop').join(' ') : String(s.data);
  return `${s.lastIncludedIndex}/${s.lastIncludedTerm} [${data}]`;
}

export function readyLines(id: number, r: Ready<string>): string[] {
  const p = r.persist;
  const lines = [p === null ? `n${id} Ready` : `n${id} Ready (persist #${p.id})`];
  if (p !== null) lines.push(...persistLines(p));
  for (const m of r.messages) lines.push(`  Send ${messageText(m)}`);
  if (r.snapshotToApply !== null) lines.push(`  Restore ${snapshotText(r.snapshotToApply)}`);
  if (r.committed.length > 0) lines.push(`  Apply ${entriesText(r.committed)}`);
  return lines;
}

function persistLines(p: PersistRequest<string>): string[] {
  const lines: string[] = [];
  if (p.hardState !== null) lines.push(`  HardState ${hardStateText(p.hardState.term, p.hardState.votedFor)}`);
  if (p.snapshot !== null) lines.push(`  Snapshot ${snapshotText(p.snapshot)}`);
  if (p.entries.length > 0) lines.push(`  Entries ${entriesText(p.entries)}`);
  return lines;
}

export function hardStateText(term: number, votedFor: number | null): string {
  return `t${term} vote=${votedFor === null ? '-' : `n${votedFor}`}`;
}

/** describeStatus, and for a leader one line per follower with its replication progress. */
export function statusLines(node: RaftNode<string>, peers: readonly number[]): string[] {
  const lines = [describeStatus(node.status())];
  for (const peer of peers) {
    const pr = node.progressOf(peer);
    if (pr === null) continue;
    lines.push(`  n${peer} ${pr.state} match=${pr.matchIndex} next=${pr.nextIndex} inflight=${pr.inflightAppends}`);
  }
  return lines;
}

/** The node's log as it holds it in memory: its snapshot (if any), then its entries. */
export function logLines(node: RaftNode<string>): string[] {
  const snapshot = node.snapshot();
  const lines = snapshot === null ? [] : [`snapshot ${snapshotText(snapshot)}`];
  const entries = node.lastIndex >= node.firstIndex ? node.entries(node.firstIndex, node.lastIndex) : [];
  lines.push(entries.length === 0 ? 'no entries' : `entries ${entriesText(entries)}`);
  lines.push(`commit=${node.commitIndex} applied=${node.lastApplied}`);
  return lines;
}
