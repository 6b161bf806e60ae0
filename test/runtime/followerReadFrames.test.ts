/** Follower reads over the wire: ReadIndex and ReadIndexResponse pass the field-by-field check of peer frames, and nothing looser. */
import { describe, expect, it } from 'vitest';
import { checkPeerMessage } from '../../src/runtime/peerMessages.js';

describe('follower-read frames', () => {
  const ctx = { self: 2, from: 1 };
  it('accepts well-formed ReadIndex and ReadIndexResponse', () => {
    const ask = { type: 'ReadIndex', from: 1, to: 2, term: 3, ctx: 41 };
    expect(checkPeerMessage(ask, ctx)).toEqual({ message: ask });
    const answer = { type: 'ReadIndexResponse', from: 1, to: 2, term: 3, ctx: 41, index: 900 };
    expect(checkPeerMessage(answer, ctx)).toEqual({ message: answer });
  });

  it.each([
    [{ type: 'ReadIndex', from: 1, to: 2, term: 3 }],
    [{ type: 'ReadIndex', from: 1, to: 2, term: 3, ctx: -1 }],
    [{ type: 'ReadIndex', from: 1, to: 2, term: 3, ctx: 1.5 }],
    [{ type: 'ReadIndexResponse', from: 1, to: 2, term: 3, ctx: 1 }],
    [{ type: 'ReadIndexResponse', from: 1, to: 2, term: 3, ctx: 1, index: 'nine' }],
    [{ type: 'ReadIndexResponse', from: 1, to: 2, term: 3, ctx: 1, index: 2 ** 60 }],
    [{ type: 'ReadIndex', from: 3, to: 2, term: 3, ctx: 1 }],
  ])('refuses %j', (frame) => {
    expect(checkPeerMessage(frame, ctx)).toHaveProperty('error');
  });
});
