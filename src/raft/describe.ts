import type { RaftStatus } from './node.js';
import type { Message } from './messages.js';
import type { Ready } from './ready.js';
import { describeConfig } from './membership.js';
import type { LogEntry } from './types.js';

/**
 * Stable, compact one-line text for traces and golden tests (after etcd's Describe* helpers).
 * The format is part of the trace: change it only on purpose.
 *
 *   n1->n2 RequestVote t3 last=5/2
 *   n2->n1 RequestVoteResponse t3 granted
 *   n1->n2 PreVote t4 last=5/2
 *   n2->n1 PreVoteResponse t4 granted
 *   n1->n2 AppendEntries t3 prev=5/2 n=3 commit=4
 *   n2->n1 AppendEntriesResponse t3 ok match=8
 *   n2->n1 AppendEntriesResponse t3 reject prev=5 conflict=2@3
 *   n1->n2 InstallSnapshot t3 snap=10/2
 *   n2->n1 InstallSnapshotResponse t3 match=10
 *   n1->n2 TimeoutNow t3
 *   n2->n1 RequestVote t4 last=5/3 transfer      (a campaign the leader asked for)
 *   n2->n1 ReadIndex t3 ctx=7                    (a follower's read)
 *   n1->n2 ReadIndexResponse t3 ctx=7 index=12
 */
export function describeMessage(m: Message): string {
  const head = `n${m.from}->n${m.to} ${m.type} t${m.term}`;
  switch (m.type) {
    case 'RequestVote':
      return `${head} last=${m.lastLogIndex}/${m.lastLogTerm}${m.transfer === true ? ' transfer' : ''}`;
    case 'PreVote':
      return `${head} last=${m.lastLogIndex}/${m.lastLogTerm}`;
    case 'RequestVoteResponse':
    case 'PreVoteResponse':
      return `${head} ${m.granted ? 'granted' : 'rejected'}`;
    case 'AppendEntries':
      return `${head} prev=${m.prevLogIndex}/${m.prevLogTerm} n=${m.entries.length} commit=${m.leaderCommit}`;
    case 'AppendEntriesResponse':
      return m.success
        ? `${head} ok match=${m.matchIndex}`
        : `${head} reject prev=${m.rejectedIndex} conflict=${m.conflictTerm}@${m.conflictIndex}`;
    case 'InstallSnapshot':
      return `${head} snap=${m.snapshot.lastIncludedIndex}/${m.snapshot.lastIncludedTerm}`;
    case 'InstallSnapshotResponse':
      return `${head} match=${m.matchIndex}`;
    case 'ReadIndex':
      return `${head} ctx=${m.ctx}`;
    case 'ReadIndexResponse':
      return `${head} ctx=${m.ctx} index=${m.index}`;
    case 'TimeoutNow':
      return head;
  }
}

/** `n1 leader t3 vote=n1 lead=n1 commit=4 applied=4 log=1..5 snap=0` */
export function describeStatus(s: RaftStatus): string {
  const vote = s.votedFor === null ? '-' : `n${s.votedFor}`;
  const lead = s.leaderId === null ? '-' : `n${s.leaderId}`;
  return (
    `n${s.id} ${s.role} t${s.term} vote=${vote} lead=${lead} commit=${s.commitIndex} ` +
    `applied=${s.lastApplied} log=${s.firstIndex}..${s.lastIndex} snap=${s.snapshotIndex}`
  );
}

/** `5/2` (index/term), with `:noop` for the leader's no-op entry. */
export function describeEntry(e: LogEntry): string {
  if (e.config !== undefined) return `${e.index}/${e.term}:config ${describeConfig(e.config)}`;
  return e.command === null ? `${e.index}/${e.term}:noop` : `${e.index}/${e.term}`;
}

/** `persist#3(hs=t2/n1 snap=- ents=4..6) msgs=2 restore=- apply=3..4` */
export function describeReady(r: Ready): string {
  const p = r.persist;
  let persist = '-';
  if (p !== null) {
    const hs = p.hardState === null ? '-' : `t${p.hardState.term}/${p.hardState.votedFor === null ? '-' : `n${p.hardState.votedFor}`}`;
    const snap = p.snapshot === null ? '-' : `${p.snapshot.lastIncludedIndex}/${p.snapshot.lastIncludedTerm}`;
    persist = `#${p.id}(hs=${hs} snap=${snap} ents=${range(p.entries)})`;
  }
  const restore = r.snapshotToApply === null ? '-' : `${r.snapshotToApply.lastIncludedIndex}`;
  return `persist${persist} msgs=${r.messages.length} restore=${restore} apply=${range(r.committed)}`;
}

function range(entries: readonly LogEntry[]): string {
  if (entries.length === 0) return '-';
  return `${entries[0]!.index}..${entries[entries.length - 1]!.index}`;
}
