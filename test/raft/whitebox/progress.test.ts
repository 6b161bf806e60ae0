import { describe, expect, it } from 'vitest';
import { Progress, STALLED_ROUNDS_MAX } from '../../../src/raft/progress.js';

describe('Progress (§5.3 nextIndex/matchIndex, inflight window)', () => {
  it('a probe pauses after one send until an answer arrives', () => {
    const pr = new Progress(5, 3);
    pr.sentEntries(6);
    expect(pr.isPaused()).toBe(true);
    expect(pr.nextIndex).toBe(5);
    pr.onSuccess(6);
    expect(pr.state).toBe('replicate');
    expect([pr.matchIndex, pr.nextIndex, pr.isPaused()]).toEqual([6, 7, false]);
  });

  it('replicate advances nextIndex optimistically and pauses when the window is full', () => {
    const pr = new Progress(1, 2);
    pr.becomeReplicate();
    pr.sentEntries(2);
    pr.sentEntries(4);
    expect([pr.nextIndex, pr.inflightAppends, pr.isPaused()]).toEqual([5, 2, true]);
    pr.onSuccess(2);
    expect([pr.matchIndex, pr.inflightAppends, pr.isPaused()]).toEqual([2, 1, false]);
  });

  it('matchIndex only grows: a stale success changes nothing', () => {
    const pr = new Progress(1, 2);
    pr.onSuccess(5);
    expect(pr.onSuccess(3)).toBe(false);
    expect(pr.matchIndex).toBe(5);
  });

  it('ignores stale rejections: at or below matchIndex (replicate), or not about the probe', () => {
    const pr = new Progress(1, 2);
    pr.onSuccess(4);
    expect(pr.onReject(3, 1)).toBe(false);
    expect(pr.onReject(6, 5)).toBe(true);
    expect([pr.state, pr.nextIndex]).toEqual(['probe', 5]);
    expect(pr.onReject(7, 5)).toBe(false);
  });

  it('a rejection never moves nextIndex to or below matchIndex', () => {
    const pr = new Progress(1, 2);
    pr.onSuccess(4);
    pr.onReject(8, 1);
    expect(pr.nextIndex).toBe(5);
  });

  it(`drops a window stalled for ${STALLED_ROUNDS_MAX} heartbeat rounds and probes from matchIndex + 1`, () => {
    const pr = new Progress(1, 2);
    pr.onSuccess(3);
    pr.sentEntries(5);
    pr.sentEntries(7);
    expect(pr.onHeartbeatRound()).toBe(false);
    expect(pr.onHeartbeatRound()).toBe(true);
    expect([pr.state, pr.nextIndex, pr.inflightAppends, pr.isPaused()]).toEqual(['probe', 4, 0, false]);
  });

  it('an acknowledgement between rounds keeps the window', () => {
    const pr = new Progress(1, 2);
    pr.onSuccess(3);
    pr.sentEntries(5);
    pr.sentEntries(7);
    pr.onHeartbeatRound();
    pr.onSuccess(5);
    expect(pr.onHeartbeatRound()).toBe(false);
    expect(pr.state).toBe('replicate');
  });

  it('a heartbeat round releases a paused probe (its answer may be lost)', () => {
    const pr = new Progress(4, 2);
    pr.sentEntries(5);
    expect(pr.isPaused()).toBe(true);
    pr.onHeartbeatRound();
    expect(pr.isPaused()).toBe(false);
  });
});
