import { describe, expect, it } from 'vitest';
import { Durability } from '../../../src/raft/durability.js';
import { RaftLog } from '../../../src/raft/log.js';
import type { Message } from '../../../src/raft/index.js';
import { entriesOfTerms } from '../harness.js';

const vote: Message<string> = { type: 'RequestVoteResponse', from: 1, to: 2, term: 1, granted: true };

describe('durability barrier (Figure 2: respond only after stable storage is updated)', () => {
  it('a message depending on unstable state is tagged with the next request and released by it', () => {
    // Arrange
    const log = new RaftLog<string>();
    const d = new Durability<string>(log);
    const out: Message<string>[] = [];
    d.markHardState();
    // Act
    d.send(vote, out);
    const request = d.takeRequest(1, 2)!;
    // Assert
    expect(out).toEqual([]);
    expect(request).toMatchObject({ id: 1, hardState: { term: 1, votedFor: 2 }, entries: [] });
    d.persisted(1, out);
    expect(out).toEqual([vote]);
  });

  it('with nothing unstable, a message waits only for requests already issued', () => {
    const d = new Durability<string>(new RaftLog<string>());
    const out: Message<string>[] = [];
    d.markHardState();
    d.takeRequest(1, null);
    d.send(vote, out);
    expect(out).toEqual([]);
    d.persisted(1, out);
    expect(out).toEqual([vote]);
    d.send(vote, out);
    expect(out).toHaveLength(2);
  });

  it('requests carry only the entries written since the last one, from the lowest rewritten index', () => {
    const log = new RaftLog<string>(0, 0, []);
    const d = new Durability<string>(log);
    log.append(entriesOfTerms([1, 1, 1]), 0);
    d.markEntries(1);
    expect(d.takeRequest(1, null)!.entries.map((e) => e.index)).toEqual([1, 2, 3]);
    log.truncateFrom(2);
    log.append(entriesOfTerms([2], 2), 0);
    d.markEntries(2);
    expect(d.takeRequest(2, null)!.entries.map((e) => `${e.index}/${e.term}`)).toEqual(['2/2']);
  });

  it('tracks the durable log tip per request, even across a truncation and rewrite', () => {
    // Arrange: request 1 makes [1,1,1] durable; request 2 rewrites index 2 with term 2.
    const log = new RaftLog<string>();
    const d = new Durability<string>(log);
    const out: Message<string>[] = [];
    log.append(entriesOfTerms([1, 1, 1]), 0);
    d.markEntries(1);
    d.takeRequest(1, null);
    log.truncateFrom(2);
    log.append(entriesOfTerms([2], 2), 0);
    d.markEntries(2);
    d.takeRequest(2, null);
    // Act / Assert: after request 1, the durable tip (3, term 1) no longer exists in memory.
    d.persisted(1, out);
    expect([d.durableLastIndex, d.durableLastTerm]).toEqual([3, 1]);
    expect(log.termAt(3)).toBeNull();
    d.persisted(2, out);
    expect([d.durableLastIndex, d.durableLastTerm]).toEqual([2, 2]);
  });

  it('rejects persisted ids never issued, and ignores repeats', () => {
    const d = new Durability<string>(new RaftLog<string>());
    const out: Message<string>[] = [];
    expect(() => d.persisted(1, out)).toThrow(/never issued/);
    d.markHardState();
    d.takeRequest(1, null);
    expect(d.persisted(1, out)).toBe(true);
    expect(d.persisted(1, out)).toBe(false);
  });
});
