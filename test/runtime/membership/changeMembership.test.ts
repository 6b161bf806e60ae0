/**
 * How a membership change is answered, against a fake leader: once its entry commits; "lost" when
 * a new leader replaced the entry (it did not happen); "timed-out" when it neither commits nor goes
 * within the bound (outcome unknown); the core's refusals passed on; no proposal at all on a follower.
 */
import { describe, expect, it } from 'vitest';
import type { ConfigChangeResult } from '../../../src/raft/node.js';
import { changeMembership } from '../../../src/runtime/membershipChange.js';
import type { RaftHost } from '../../../src/runtime/raftHost.js';

function fakeHost(options: { role?: string; result: ConfigChangeResult; later?: (node: FakeNode) => void }) {
  const node: FakeNode = { role: options.role ?? 'leader', leaderId: 2, commitIndex: 4, terms: new Map([[5, 3]]), termAt: (i) => node.terms.get(i) ?? null };
  let proposed = 0;
  const host = {
    node, timing: { tickMs: 1 }, requestTimeoutMs: 50,
    proposeConfigChange: () => {
      proposed++;
      if (options.later) setTimeout(() => options.later!(node), 5);
      return options.result;
    },
  } as unknown as RaftHost;
  return { host, node, proposed: () => proposed };
}

interface FakeNode { role: string; leaderId: number; commitIndex: number; terms: Map<number, number>; termAt: (index: number) => number | null }

const appended: ConfigChangeResult = { ok: true, index: 5, term: 3, config: { voters: [1, 2, 3], learners: [4] } };

describe('changeMembership', () => {
  it('answers once the entry commits, with the configuration it made', async () => {
    const f = fakeHost({ result: appended, later: (n) => { n.commitIndex = 5; } });
    expect(await changeMembership(f.host, { type: 'add-learner', node: 4 })).toEqual({ kind: 'committed', config: appended.config, index: 5, term: 3 });
  });

  it('says lost when another entry took the index, and timed-out when nothing happens in time', async () => {
    const lost = fakeHost({ result: appended, later: (n) => { n.terms.set(5, 4); } });
    expect(await changeMembership(lost.host, { type: 'remove', node: 1 })).toEqual({ kind: 'lost', index: 5, term: 3 });
    const replacedAndCommitted = fakeHost({ result: appended, later: (n) => { n.terms.set(5, 4); n.commitIndex = 9; } });
    expect(await changeMembership(replacedAndCommitted.host, { type: 'remove', node: 1 })).toMatchObject({ kind: 'lost' });
    const stuck = fakeHost({ result: appended });
    expect(await changeMembership(stuck.host, { type: 'promote', node: 4 }, 20)).toEqual({ kind: 'timed-out', index: 5, term: 3 });
  });

  it('passes refusals on, and proposes nothing on a follower', async () => {
    const pending = fakeHost({ result: { ok: false, reason: 'change-pending' } });
    expect(await changeMembership(pending.host, { type: 'promote', node: 4 })).toEqual({ kind: 'refused', reason: 'change-pending' });
    const follower = fakeHost({ role: 'follower', result: appended });
    expect(await changeMembership(follower.host, { type: 'promote', node: 4 })).toEqual({ kind: 'not-leader', leaderHint: 2 });
    expect(follower.proposed()).toBe(0);
  });
});
